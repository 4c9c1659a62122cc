#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationPolicy {
    /// What does `submitted` do to `challenge` at `now`?
    ///
    /// Every code of the challenge counts while unexpired, not just the latest: mail arrives out of
    /// order. The submitted code's digest is computed under each stored code's key and compared in
    /// constant time with every stored digest (no early exit). A code whose key was retired from
    /// `keyRing` no longer matches; when that leaves no unexpired code to check, the submission is
    /// ``SubmissionOutcome/uncheckable`` and not counted (nothing could have matched, so no guess is
    /// gained). A wrong code raises the challenge's failed-attempt count, which
    /// no new code resets; the wrong attempt that reaches ``maximumFailedAttempts`` is still
    /// answered (`wrong(attemptsLeft: 0)`) and locks the challenge, and every later submission is
    /// refused with ``SubmissionOutcome/attemptsExhausted``, right code or not.
    /// - Parameters:
    ///   - submitted: The code the person typed (read with ``parseCode(_:)``, so typing mistakes
    ///     never count as attempts).
    ///   - challenge: The stored challenge.
    ///   - now: The current time.
    ///   - keyRing: The keys accepted now.
    /// - Returns: The outcome and the challenge to store.
    package func evaluate(
        _ submitted: VerificationCode, for challenge: VerificationChallenge, at now: Date, keyRing: CodeKeyRing
    ) -> CodeEvaluation {
        switch challenge.state {
        case .verified: return CodeEvaluation(outcome: .alreadyVerified, challenge: challenge, changed: false)
        case .cancelled: return CodeEvaluation(outcome: .cancelled, challenge: challenge, changed: false)
        case .exhausted: return CodeEvaluation(outcome: .attemptsExhausted, challenge: challenge, changed: false)
        case .open: break
        }
        guard !challenge.codes.isEmpty else {
            return CodeEvaluation(outcome: .noCodeIssued, challenge: challenge, changed: false)
        }

        var validMatch: Int?
        var expiredMatch: Int?
        for issued in challenge.codes {
            guard let key = keyRing.key(for: issued.keyID) else { continue }
            let digest = CodeDigest.compute(
                code: submitted, challenge: challenge.id, address: challenge.address, key: key)
            guard digest.matches(issued.digest) else { continue }
            if isExpired(issued, at: now) {
                expiredMatch = expiredMatch ?? issued.ordinal
            } else {
                validMatch = validMatch ?? issued.ordinal
            }
        }

        var next = challenge
        if let ordinal = validMatch {
            next.state = .verified(ordinal: ordinal, at: now)
            return CodeEvaluation(outcome: .verified(ordinal: ordinal), challenge: next, changed: true)
        }
        if let ordinal = expiredMatch {
            return CodeEvaluation(outcome: .expired(ordinal: ordinal), challenge: challenge, changed: false)
        }
        if noCodeCanBeChecked(in: challenge, at: now, keyRing: keyRing) {
            return CodeEvaluation(outcome: .uncheckable, challenge: challenge, changed: false)
        }
        next.failedAttempts = min(challenge.failedAttempts, VerificationChallenge.maximumStoredFailedAttempts - 1) + 1
        let attemptsLeft = max(0, maximumFailedAttempts - next.failedAttempts)
        if attemptsLeft == 0 { next.state = .exhausted(at: now) }
        return CodeEvaluation(outcome: .wrong(attemptsLeft: attemptsLeft), challenge: next, changed: true)
    }
}
