/// The name of a code key, stored with every digest so the right key is found after rotation.
///
/// One to 64 characters from `A-Z a-z 0-9 . _ -`, such as `"2025-08"` or `"k1"`. The identifier
/// is not secret; the key material is.
public struct CodeKeyID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The identifier's text.
    public let rawValue: String

    /// The longest identifier, in characters.
    public static let maximumLength = 64

    /// Validates an identifier.
    /// - Parameter rawValue: The identifier, such as `"2025-08"`.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidKeyID`` when it is empty, longer
    ///   than ``maximumLength``, or has another character.
    public init(_ rawValue: String) throws(CodeError) {
        let allowed = rawValue.utf8.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
        guard allowed, !rawValue.isEmpty, rawValue.utf8.count <= Self.maximumLength else {
            throw CodeError(
                .invalidKeyID,
                indonesian: "ID kunci harus 1 sampai \(Self.maximumLength) karakter: huruf, angka, titik, "
                    + "garis bawah atau tanda minus.",
                english: "A key identifier must have 1 to \(Self.maximumLength) characters: letters, digits, "
                    + "dots, underscores or hyphens.")
        }
        self.rawValue = rawValue
    }

    /// The identifier's text.
    public var description: String { rawValue }

    /// Orders identifiers by their text.
    public static func < (lhs: CodeKeyID, rhs: CodeKeyID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes and re-validates an identifier.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the identifier as its text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
