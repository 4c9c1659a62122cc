/// The name an account logs in with.
///
/// Dapodik logs people in with their e-mail address or with a short name the operator chose, so
/// the rule admits both:
/// - 3 to 254 characters (254 so every valid ``EmailAddress`` fits);
/// - only ASCII letters, digits and `.`, `_`, `-`, `+`, `@`;
/// - the first and the last character a letter or a digit.
///
/// Surrounding white space is trimmed and letters are lower-cased: usernames compare without
/// regard to case, so `Budi.Santoso` and `budi.santoso` can never be two accounts, and a person
/// who types their name with a capital still logs in.
public struct Username: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The shortest username.
    public static let minimumLength = 3
    /// The longest username, the length of the longest e-mail address (RFC 5321 §4.5.3.1.3).
    public static let maximumLength = 254

    /// The username, lower-cased.
    public let value: String

    /// The username.
    public var description: String { value }

    /// Validates and normalizes a username.
    /// - Parameter string: The username as typed; surrounding white space is ignored and letters
    ///   are lower-cased.
    /// - Throws: ``ValidationError`` (field `"username"`): ``ValidationError/Code/usernameLength``
    ///   outside 3…254 characters, ``ValidationError/Code/usernameCharacter`` for any other
    ///   character (including spaces and non-ASCII letters), ``ValidationError/Code/usernameEdge``
    ///   when it starts or ends with punctuation. Upper-case letters are *not* an error.
    public init(_ string: String) throws(ValidationError) {
        func fail(_ code: ValidationError.Code, _ indonesian: String, _ english: String) -> ValidationError {
            ValidationError(code, field: "username", indonesian: indonesian, english: english)
        }
        let parsed: Parsed
        if let ascii = string.withASCIIBytes({ bytes in Self.parse(bytes, original: string, trimming: true) }) {
            parsed = ascii
        } else {
            // Lower-casing other text can give ASCII (the Kelvin sign U+212A becomes `k`), so it is
            // normalized the Unicode way first; the rules then apply to its bytes, and any byte
            // outside ASCII is a character no username has.
            let normalized = string.trimmingWhitespace().lowercased()
            parsed =
                normalized.withASCIIBytes { bytes in Self.parse(bytes, original: normalized, trimming: false) }
                ?? .character
        }
        switch parsed {
        case .username(let value):
            self.value = value
        case .character:
            throw fail(
                .usernameCharacter,
                "Nama pengguna hanya boleh berisi huruf, angka, dan tanda . _ - + @ (tanpa spasi).",
                "A username may contain only letters, digits and . _ - + @ (no spaces).")
        case .length:
            throw fail(
                .usernameLength,
                "Nama pengguna harus \(Self.minimumLength) sampai \(Self.maximumLength) karakter.",
                "A username must be \(Self.minimumLength) to \(Self.maximumLength) characters long.")
        case .edge:
            throw fail(
                .usernameEdge, "Nama pengguna harus diawali dan diakhiri huruf atau angka.",
                "A username must start and end with a letter or a digit.")
        }
    }

    /// A username read from bytes, or the first rule it breaks.
    enum Parsed {
        case username(String)
        case character, length, edge
    }

    /// Applies the rules, in their order, to ASCII `bytes` (surrounding white space ignored when
    /// `trimming`, letters compared lower-cased); the value is `original` itself when it needs no change.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, original: String, trimming: Bool) -> Parsed {
        let name = trimming ? bytes.asciiTrimmedBounds : bytes.indices
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            let lower = byte.asciiLowercased
            return lower.isASCIILowercase || lower.isASCIIDigit
        }
        for index in name {
            let byte = bytes[index]
            guard
                isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "@")
            else { return .character }
        }
        guard (minimumLength...maximumLength).contains(name.count) else { return .length }
        guard isAlphanumeric(bytes[name.lowerBound]), isAlphanumeric(bytes[name.upperBound - 1]) else {
            return .edge
        }
        if name.count == bytes.count, !bytes.contains(where: { $0.isASCIIUppercase }) { return .username(original) }
        return .username(bytes.asciiString(name, lowercased: true))
    }

    /// Orders usernames alphabetically.
    public static func < (lhs: Username, rhs: Username) -> Bool { lhs.value < rhs.value }

    /// Decodes and re-validates a username.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid username; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try Username(string) }
    }

    /// Encodes the username as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
