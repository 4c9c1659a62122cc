/// A name people read: a person's display name or a school's name.
///
/// Surrounding white space is trimmed and runs of inner white space become one space; any letter
/// of any script is fine (names such as *Ni Luh Putu Ayu* or *SD Negeri 1 Wamena*), control
/// characters are not. At most ``maximumLength`` characters.
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
    ///   ``ValidationError/Code/nameControlCharacter`` for a control character. Letters outside
    ///   ASCII and inner double spaces are *not* errors.
    public init(_ string: String, field: String = "name") throws(ValidationError) {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: field, indonesian: indonesian, english: english)
        }
        if string.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control && !$0.properties.isWhitespace
        }) {
            throw fail(
                .nameControlCharacter, "Nama tidak boleh berisi karakter kontrol.",
                "A name must not contain control characters.")
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
