import DapodikCrypto
public import Foundation

/// The stable identifier of an account (Dapodik's `pengguna_id`, a UUID).
public struct AccountID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The underlying UUID.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    /// - Parameter rawValue: The account's UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// A new, random identifier (a version 4 UUID, RFC 9562 §5.4).
    public static func random() -> AccountID { AccountID(Crypto.randomUUID()) }

    /// The UUID's canonical lower-case string (`uuidString.lowercased()`, written without the
    /// detour through upper case: every stored key of an account is this string).
    public var description: String { rawValue.text() }

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
