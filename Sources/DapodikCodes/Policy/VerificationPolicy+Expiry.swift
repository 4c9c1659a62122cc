#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationPolicy {
    /// The first instant at which `code` is no longer accepted.
    ///
    /// Once the message was handed over: ``codeLifetimeAfterHandOver`` after that, but never later
    /// than ``maximumCodeLifetime`` after issue. While no hand-over is recorded: the 24-hour cap.
    /// A code whose hand-over was never recorded is accepted until the cap because the person may
    /// well have it: a transport can accept a message and the receipt be lost (a crash between the
    /// SMTP reply and the commit), and the retry is then the second copy. Accepting it costs no
    /// security: guesses are limited by ``maximumFailedAttempts`` per challenge, not by time.
    /// - Parameter code: A code of a challenge.
    /// - Returns: The expiry instant; the code is valid strictly before it.
    package func expiry(of code: IssuedCode) -> Date {
        let cap = code.issuedAt.adding(maximumCodeLifetime)
        guard let handedOverAt = code.handedOverAt else { return cap }
        return min(handedOverAt.adding(codeLifetimeAfterHandOver), cap)
    }

    /// Whether `code` is no longer accepted at `now`.
    /// - Parameters:
    ///   - code: A code of a challenge.
    ///   - now: The current time.
    /// - Returns: `true` from ``expiry(of:)`` on.
    package func isExpired(_ code: IssuedCode, at now: Date) -> Bool { now >= expiry(of: code) }

    /// Whether `challenge` has unexpired codes and every one was digested under a key `keyRing` no
    /// longer has (a key retired, or the key file lost and made anew): no code typed can match, so a
    /// submission is ``SubmissionOutcome/uncheckable`` and a status says a new code is needed.
    /// - Parameters:
    ///   - challenge: The challenge.
    ///   - now: The current time.
    ///   - keyRing: The keys accepted now.
    /// - Returns: `false` when no code is unexpired (expiry decides then) or one can still be checked.
    package func noCodeCanBeChecked(in challenge: VerificationChallenge, at now: Date, keyRing: CodeKeyRing) -> Bool {
        let unexpired = challenge.codes.filter { !isExpired($0, at: now) }
        return !unexpired.isEmpty && unexpired.allSatisfy { !keyRing.accepts($0.keyID) }
    }

    /// The instant after which no code of `challenge` is accepted any more: the latest expiry of
    /// its codes. What to tell a waiting person as "valid until", and when a dispatcher may drop
    /// the challenge's queued mail.
    /// - Parameter challenge: The challenge.
    /// - Returns: The latest expiry, or `nil` when no code was issued.
    package func lastExpiry(of challenge: VerificationChallenge) -> Date? {
        challenge.codes.map { expiry(of: $0) }.max()
    }
}
