/// A school's national number (*Nomor Pokok Sekolah Nasional*).
///
/// Eight digits for a school; `P` and seven digits for a community learning centre (PKBM/SKB);
/// `K` and seven digits for a course and training institution (LKP); six digits for a university.
/// In all, `\d{8}|[KP]\d{7}|\d{6}`. Surrounding white space is trimmed; the letter may be typed in
/// lower case and is stored upper-case.
public struct NPSN: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// What kind of institution an NPSN numbers, read from its shape.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A school (eight digits).
        case school
        /// A community learning centre, PKBM or SKB (`P` and seven digits).
        case communityLearningCentre
        /// A course and training institution, LKP (`K` and seven digits).
        case courseInstitution
        /// A university (six digits).
        case university
    }

    /// The number, such as `20100001` or `P9970001`.
    public let value: String

    /// The kind of institution, read from the number's shape.
    public var kind: Kind {
        switch value.first {
        case "P": .communityLearningCentre
        case "K": .courseInstitution
        default: value.utf8.count == 6 ? .university : .school
        }
    }

    /// The number.
    public var description: String { value }

    /// Validates an NPSN.
    /// - Parameter string: The number as typed; surrounding white space is ignored, and a leading
    ///   `p` or `k` is upper-cased.
    /// - Throws: ``ValidationError`` with code ``ValidationError/Code/npsnFormat`` (field `"npsn"`)
    ///   when the string has none of the three shapes.
    public init(_ string: String) throws(ValidationError) {
        let trimmed = string.trimmingWhitespace()
        // Every valid shape is ASCII, so the shapes are checked on the bytes.
        let normalized = trimmed.withASCIIBytes { bytes -> String? in
            guard let first = bytes.first, bytes.count == 6 || bytes.count == 8 else { return nil }
            if bytes.allSatisfy({ $0.isASCIIDigit }) { return trimmed }
            guard bytes.count == 8, bytes.dropFirst().allSatisfy({ $0.isASCIIDigit }) else { return nil }
            switch first {
            case UInt8(ascii: "P"), UInt8(ascii: "K"): return trimmed
            case UInt8(ascii: "p"): return "P" + trimmed.dropFirst()
            case UInt8(ascii: "k"): return "K" + trimmed.dropFirst()
            default: return nil
            }
        }
        guard let normalized = normalized ?? nil else {
            throw ValidationError(
                .npsnFormat, field: "npsn",
                indonesian: "NPSN harus 8 angka (sekolah), P atau K diikuti 7 angka (PKBM/SKB atau LKP), "
                    + "atau 6 angka (perguruan tinggi).",
                english: "An NPSN is 8 digits (school), P or K followed by 7 digits (PKBM/SKB or LKP), "
                    + "or 6 digits (university).")
        }
        self.value = normalized
    }

    /// Orders numbers by their text.
    public static func < (lhs: NPSN, rhs: NPSN) -> Bool { lhs.value < rhs.value }

    /// Decodes and re-validates an NPSN.
    /// - Parameter decoder: The decoder to read a single string from.
    /// - Throws: `DecodingError.dataCorrupted` with the ``ValidationError`` as underlying error when
    ///   the string is not a valid NPSN; any error of the decoder itself.
    public init(from decoder: any Decoder) throws {
        self = try decoder.decodeValidated { string throws(ValidationError) in try NPSN(string) }
    }

    /// Encodes the NPSN as its string value.
    /// - Parameter encoder: The encoder to write a single string to.
    /// - Throws: Only what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
