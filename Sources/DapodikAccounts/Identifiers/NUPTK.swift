/// A staff number (*Nomor Unik Pendidik dan Tenaga Kependidikan*): 16 digits.
///
/// Not everyone has one, so accounts hold it as an optional. Surrounding white space is trimmed.
public struct NUPTK: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The 16 digits.
    public let value: String

    /// The number.
    public var description: String { value }

    /// Validates a NUPTK.
    /// - Parameter string: The number as typed; surrounding white space is ignored.
    /// - Throws: ``ValidationError`` with code ``ValidationError/Code/nuptkFormat`` (field
    ///   `"nuptk"`) unless the string is exactly 16 ASCII digits.
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.trimmingWhitespace()
        guard trimmed.isASCIIDigits(count: 16) else {
            throw ValidationError(
                .nuptkFormat, field: "nuptk", indonesian: "NUPTK harus terdiri dari 16 angka.",
                english: "A NUPTK is exactly 16 digits.")
        }
        self.value = trimmed
    }

    /// Orders numbers by their text.
    public static func < (lhs: NUPTK, rhs: NUPTK) -> Bool { lhs.value < rhs.value }

    /// Decodes and re-validates a NUPTK.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid NUPTK; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try NUPTK(string) }
    }

    /// Encodes the NUPTK as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
