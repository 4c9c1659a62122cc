/// What a submitted code did.
package enum SubmissionOutcome: Sendable, Hashable {
    /// The code numbered `ordinal` matched and was valid: the address is verified.
    case verified(ordinal: Int)
    /// The code matched none; `attemptsLeft` more wrong codes are taken (0: the challenge is now
    /// locked).
    case wrong(attemptsLeft: Int)
    /// The code matched code number `ordinal`, which has expired; ask for a new one. Not counted as
    /// a wrong attempt: the person had the right code, only late.
    case expired(ordinal: Int)
    /// The challenge is locked after too many wrong codes; nothing is accepted any more.
    case attemptsExhausted
    /// The challenge was already verified; codes are single use.
    case alreadyVerified
    /// No code was issued for the challenge yet.
    case noCodeIssued
    /// The challenge was cancelled.
    case cancelled
    /// Every unexpired code of the challenge was digested under a key the ring no longer has (a key
    /// retired, or the key file lost and made anew): no code can match, so the one typed is not
    /// counted as wrong; ask for a new one.
    case uncheckable
}

/// The result of ``VerificationPolicy/evaluate(_:for:at:keyRing:)``: the outcome, and the challenge
/// to store.
package struct CodeEvaluation: Sendable, Hashable {
    /// What the submitted code did.
    public let outcome: SubmissionOutcome
    /// The challenge after the submission: verified, with one more failed attempt, locked, or
    /// unchanged.
    public let challenge: VerificationChallenge
    /// Whether ``challenge`` differs from the one evaluated, so it must be stored (with the version
    /// it was read at, so that exactly one concurrent submission wins).
    public let changed: Bool
}
