/// A name people read: a person's display name or a school's name.
///
/// Surrounding white space is trimmed and runs of inner spaces become one space; any letter of any
/// script is fine (names such as *Ni Luh Putu Ayu* or *SD Negeri 1 Wamena*). Control characters,
/// line breaks and bidirectional overrides are refused, never silently turned into spaces: a name
/// ends up in e-mail headers and on other people's screens. At most ``maximumLength`` characters.
public struct DisplayName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The longest name, in characters: generous for long Indonesian names and school names.
    public static let maximumLength = 150

    /// The name, trimmed, inner white space collapsed.
    public let value: String

    /// The name.
    public var description: String { value }

    /// Validates and normalizes a name.
    /// - Parameters:
    ///   - string: The name as typed.
    ///   - field: The field named in an error, such as `"displayName"` or `"schoolName"`.
    /// - Throws: ``ValidationError``: ``ValidationError/Code/nameEmpty`` when nothing but white
    ///   space was given, ``ValidationError/Code/nameTooLong`` above 150 characters,
    ///   ``ValidationError/Code/nameControlCharacter`` for a control character, line break, line
    ///   or paragraph separator or bidirectional formatting character, naming it (`U+000D`).
    ///   Letters outside ASCII and inner double spaces are *not* errors.
    public init(_ string: String, field: String = "name") throws(ValidationError) {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: field, indonesian: indonesian, english: english)
        }
        if let forbidden = string.unicodeScalars.first(where: Self.isForbidden) {
            let name = Self.codePoint(forbidden)
            throw fail(
                .nameControlCharacter, "Nama tidak boleh berisi karakter kontrol (\(name)).",
                "A name must not contain control characters (\(name)).")
        }
        let collapsed = string.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !collapsed.isEmpty else {
            throw fail(.nameEmpty, "Nama wajib diisi.", "The name is required.")
        }
        guard collapsed.count <= Self.maximumLength else {
            throw fail(
                .nameTooLong, "Nama terlalu panjang (maksimal \(Self.maximumLength) karakter).",
                "The name is too long (at most \(Self.maximumLength) characters).")
        }
        self.value = collapsed
    }

    /// Whether a name refuses `scalar`: every C0 and C1 control (tab, CR, LF, VT, FF, NEL U+0085
    /// included: a name is one line), the line and paragraph separators U+2028 and U+2029, and the
    /// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
    /// which can make a name read differently from what it is (Unicode TR #36 §2.1; CVE-2021-42574).
    /// Joiners such as U+200D stay allowed: some scripts need them.
    static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isBidiControl
        }
    }

    /// `U+000D`: how an error names a character that cannot be shown.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Decodes and re-validates a name.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid name; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try DisplayName(string) }
    }

    /// Encodes the name as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
