import DapodikAccounts
import DapodikCrypto

/// Which password a ``Session`` was opened with, so that a session ends when the password changes,
/// wherever it is changed (``VerificationService/resume(_:)``).
///
/// The SHA-256 of the account's id and its stored credential, whose salt is fresh with every new
/// password: it changes with every password change, reset and rehash, and tells nothing about the
/// password (without the salt, which it does not contain, no guess can be checked against it).
/// It is not a secret, but an app that keeps sessions outside its own memory must still protect
/// them from being forged, as it would without it. Never printed in full.
public struct CredentialStamp: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stamp's 16 bytes, as 32 lower-case hexadecimal digits.
    public let text: String

    /// The stamp of `account` with `credential` as its password (none: an account no one can log
    /// in to has a stamp all the same).
    init(account: AccountID, credential: PasswordCredential?) {
        var message = Array("dapodik-verification-session-stamp-v1\u{0}".utf8)
        message += Array(account.description.utf8)
        message.append(0)
        message += Array((credential?.encoded ?? "").utf8)
        text = Crypto.sha256(message).prefix(16).map(hexByte).joined()
    }

    /// Wraps a stamp kept by the app (a session stored between requests).
    /// - Parameter text: 32 hexadecimal digits; anything else simply matches no account.
    public init(text: String) { self.text = text }

    /// Whether two stamps are equal, compared in time that does not depend on where they differ.
    /// - Parameters:
    ///   - lhs: One stamp.
    ///   - rhs: The other.
    /// - Returns: Whether they are equal.
    public static func == (lhs: CredentialStamp, rhs: CredentialStamp) -> Bool {
        Crypto.constantTimeEquals(Array(lhs.text.utf8), Array(rhs.text.utf8))
    }

    /// Hashes the stamp (for sets and dictionaries).
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// The first four digits and an ellipsis: enough to tell two stamps apart in a log.
    public var description: String { String(text.prefix(4)) + "…" }
}
