#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// One code issued for a challenge, as stored: its number, its keyed digest and its times. The
/// code itself is not here.
package struct IssuedCode: Sendable, Hashable, Codable {
    /// The code's number within its challenge: 1 for the first, 2 for the first resend, ….
    public let ordinal: Int
    /// The key whose HMAC made ``digest``.
    public let keyID: CodeKeyID
    /// The keyed digest of the code.
    public let digest: CodeDigest
    /// When the code was issued (and its message queued).
    public let issuedAt: Date
    /// When a mail transport accepted the message carrying the code; `nil` while it waits in the
    /// outbox (or if the transport's receipt was lost).
    public internal(set) var handedOverAt: Date?

    /// Creates the stored form of an issued code.
    package init(ordinal: Int, keyID: CodeKeyID, digest: CodeDigest, issuedAt: Date, handedOverAt: Date? = nil) {
        self.ordinal = ordinal
        self.keyID = keyID
        self.digest = digest
        self.issuedAt = issuedAt
        self.handedOverAt = handedOverAt
    }
}
