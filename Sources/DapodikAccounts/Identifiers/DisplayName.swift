/// A name people read: a person's display name or a school's name.
///
/// Surrounding white space is trimmed and runs of inner spaces become one space; any letter of any
/// script is fine (names such as *Ni Luh Putu Ayu* or *SD Negeri 1 Wamena*). Control characters,
/// line breaks and bidirectional overrides are refused, never silently turned into spaces: a name
/// ends up in e-mail headers and on other people's screens. At most ``maximumLength`` characters and
/// ``maximumCodePoints`` code points.
public struct DisplayName: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The longest name, in characters: generous for long Indonesian names and school names.
    public static let maximumLength = 150

    /// The most Unicode code points in a name: four for each of ``maximumLength`` characters, room for
    /// letters with several marks (Vietnamese, Balinese) but not for a character stacked with thousands.
    public static let maximumCodePoints = 4 * maximumLength

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
    ///   or paragraph separator or bidirectional formatting character, naming it (`U+000D`);
    ///   ``ValidationError/Code/nameEmpty`` also for a name with no character one can see (only
    ///   zero-width spaces, byte-order marks, Hangul fillers, combining marks without a letter);
    ///   ``ValidationError/Code/nameControlCharacter`` also for such an invisible character among
    ///   visible ones, naming it (`U+200B`), except the joiners and variation selectors some
    ///   scripts need. Letters outside ASCII and inner double spaces are *not* errors.
    public init(_ string: String, field: String = "name") throws(ValidationError) {
        try self.init(validating: string, field: field, asTyped: true)
    }

    /// A name read back from storage: the rules of ``init(_:field:)`` except those added after such
    /// names could be stored (a character one can see, none hidden among them, at most
    /// ``maximumCodePoints`` code points), so that no stored record becomes unreadable.
    /// - Parameters:
    ///   - string: The stored name.
    ///   - field: The field named in an error.
    /// - Throws: ``ValidationError`` as ``init(_:field:)`` does, but never for a name of invisible
    ///   characters only.
    package init(stored string: String, field: String = "name") throws(ValidationError) {
        try self.init(validating: string, field: field, asTyped: false)
    }

    private init(validating string: String, field: String, asTyped: Bool) throws(ValidationError) {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: field, indonesian: indonesian, english: english)
        }
        let collapsed: String
        switch string.withASCIIBytes(Self.collapsedASCII) {
        case .forbidden(let scalar)?:
            throw Self.controlCharacterError(scalar, fail: fail)
        case .collapsed(let text)?:
            collapsed = text ?? string
        case nil:
            if let forbidden = string.unicodeScalars.first(where: Self.isForbidden) {
                throw Self.controlCharacterError(forbidden, fail: fail)
            }
            collapsed = string.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            // (Every ASCII name left after the fast path has a character one can see.)
            if asTyped, !collapsed.isEmpty, !collapsed.unicodeScalars.contains(where: Self.isVisible) {
                throw fail(
                    .nameEmpty, "Nama wajib diisi: nama ini hanya berisi karakter yang tidak terlihat.",
                    "The name is required: this one holds only characters that cannot be seen.")
            }
            if asTyped, let hidden = string.unicodeScalars.first(where: Self.isHidden) {
                let name = Self.codePoint(hidden)
                throw fail(
                    .nameControlCharacter,
                    "Nama tidak boleh berisi karakter yang tidak terlihat (\(name)): dua nama bisa tampak sama padahal "
                        + "berbeda.",
                    "A name must not contain a character that cannot be seen (\(name)): two names could look the same "
                        + "and differ.")
            }
        }
        guard !collapsed.isEmpty else {
            throw fail(.nameEmpty, "Nama wajib diisi.", "The name is required.")
        }
        // For ASCII text the number of characters is the number of bytes (CR LF, the one ASCII
        // cluster of two, is refused above), which is cheap to count.
        guard collapsed.utf8.count <= Self.maximumLength || collapsed.count <= Self.maximumLength else {
            throw fail(
                .nameTooLong, "Nama terlalu panjang (maksimal \(Self.maximumLength) karakter).",
                "The name is too long (at most \(Self.maximumLength) characters).")
        }
        // A character may stack any number of combining marks: bound the code points too, so a name
        // of few characters cannot carry megabytes into e-mails and screens.
        if asTyped, collapsed.unicodeScalars.count > Self.maximumCodePoints {
            throw fail(
                .nameTooLong,
                "Nama terlalu panjang: terlalu banyak tanda diakritik bertumpuk (paling banyak "
                    + "\(Self.maximumCodePoints) huruf dan tanda).",
                "The name is too long: too many stacked marks (at most \(Self.maximumCodePoints) letters and "
                    + "marks).")
        }
        self.value = collapsed
    }

    /// What the ASCII fast path makes of a name.
    enum ASCIIForm {
        /// The first control character.
        case forbidden(Unicode.Scalar)
        /// The name with its spaces collapsed, or `nil` when that is the name as given.
        case collapsed(String?)
    }

    /// ASCII `bytes` with runs of spaces collapsed to one and surrounding spaces dropped (the only
    /// white space left once every control is refused), or the first control.
    static func collapsedASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> ASCIIForm {
        var needsCollapsing = bytes.first == UInt8(ascii: " ") || bytes.last == UInt8(ascii: " ")
        for index in bytes.indices {
            let byte = bytes[index]
            if byte.isASCIIControl { return .forbidden(Unicode.Scalar(byte)) }
            if byte == UInt8(ascii: " "), index > 0, bytes[index - 1] == UInt8(ascii: " ") { needsCollapsing = true }
        }
        guard needsCollapsing else { return .collapsed(nil) }
        let words = bytes.split(separator: UInt8(ascii: " "))
        let length = words.reduce(max(0, words.count - 1)) { $0 + $1.count }
        return .collapsed(
            String(unsafeUninitializedCapacity: length) { buffer in
                var end = 0
                for word in words {
                    if end > 0 {
                        buffer[end] = UInt8(ascii: " ")
                        end += 1
                    }
                    for byte in word {
                        buffer[end] = byte
                        end += 1
                    }
                }
                return end
            })
    }

    /// The error for a name holding `scalar`, which cannot be shown, so it is named (`U+000D`).
    private static func controlCharacterError(
        _ scalar: Unicode.Scalar, fail: (ValidationError.Code, String, String) -> ValidationError
    ) -> ValidationError {
        let name = codePoint(scalar)
        return fail(
            .nameControlCharacter, "Nama tidak boleh berisi karakter kontrol (\(name)).",
            "A name must not contain control characters (\(name)).")
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

    /// Whether a name as typed refuses `scalar` as a character no one sees that is not needed to
    /// write any script: a default-ignorable code point (zero-width space U+200B, word joiner, the
    /// byte-order mark U+FEFF, the soft hyphen U+00AD, the Hangul fillers, tag characters, …), with
    /// which two names could look alike on every screen and differ. The joiners U+200C and U+200D
    /// and the variation selectors stay allowed: some scripts and emoji need them. Names stored
    /// before this rule are read back as they are.
    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.properties.isDefaultIgnorableCodePoint else { return false }
        switch scalar.value {
        case 0x200C, 0x200D, 0x180B...0x180D, 0x180F, 0xFE00...0xFE0F, 0xE0100...0xE01EF: return false
        default: return true
        }
    }

    /// Whether `scalar` is a character one can see on its own: not white space, not a mark (which
    /// only modifies a letter before it), and not one of the code points that are ignored when text
    /// is shown (zero-width space, byte-order mark, the Hangul fillers, soft hyphen).
    static func isVisible(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .spaceSeparator: return false
        default: return !properties.isWhitespace && !properties.isDefaultIgnorableCodePoint
        }
    }

    /// `U+000D`: how an error names a character that cannot be shown.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Decodes and re-validates a name, as stored data: by the rules of a name as typed, except that a
    /// name of invisible characters only is read back (so no record stored earlier becomes unreadable).
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid name; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try DisplayName(stored: string) }
    }

    /// Encodes the name as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
