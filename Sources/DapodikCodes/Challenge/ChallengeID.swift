import DapodikAccounts
import DapodikCrypto

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// The stable identifier of a ``VerificationChallenge`` (a UUID).
package struct ChallengeID: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    /// The underlying UUID.
    public let rawValue: UUID

    /// Wraps an existing UUID.
    /// - Parameter rawValue: The challenge's UUID.
    public init(_ rawValue: UUID) { self.rawValue = rawValue }

    /// A new, random identifier (a version 4 UUID, RFC 9562 §5.4).
    /// - Returns: The identifier.
    public static func random() -> ChallengeID { ChallengeID(Crypto.randomUUID()) }

    /// The UUID's canonical lower-case text.
    public var description: String { rawValue.text() }

    /// Orders identifiers by their text, so listings are stable.
    public static func < (lhs: ChallengeID, rhs: ChallengeID) -> Bool { lhs.description < rhs.description }

    /// Decodes the identifier from its UUID text.
    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    /// Encodes the identifier as its UUID text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
