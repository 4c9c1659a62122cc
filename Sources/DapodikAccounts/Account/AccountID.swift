public import Foundation

/// The stable identifier of an account (Dapodik's `pengguna_id`, a UUID).
public struct AccountID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The underlying UUID.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    /// - Parameter rawValue: The account's UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// A new, random identifier.
    public static func random() -> AccountID { AccountID(UUID()) }

    /// The UUID's canonical lower-case string (`uuidString.lowercased()`, written without the
    /// detour through upper case: every stored key of an account is this string).
    public var description: String {
        func digit(_ nibble: UInt8) -> UInt8 {
            nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
        return withUnsafeBytes(of: rawValue.uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { text in
                var end = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[end] = UInt8(ascii: "-")
                        end += 1
                    }
                    text[end] = digit(byte >> 4)
                    text[end + 1] = digit(byte & 0x0F)
                    end += 2
                }
                return end
            }
        }
    }

    /// Orders identifiers by their string form, so listings are stable.
    public static func < (lhs: AccountID, rhs: AccountID) -> Bool { lhs.description < rhs.description }

    /// Decodes the identifier from its UUID string.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    /// Encodes the identifier as its UUID string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
