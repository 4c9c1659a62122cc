#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationPolicy {
    /// Whether `submitted` is code `issued` of `challenge` (whatever the challenge's state, and
    /// whether or not the code expired): its digest under the key it was made with matches. A key the
    /// ring no longer has matches nothing.
    package static func isMatch(
        _ submitted: VerificationCode, _ issued: IssuedCode, of challenge: VerificationChallenge,
        keyRing: CodeKeyRing
    ) -> Bool {
        guard let key = keyRing.key(for: issued.keyID) else { return false }
        return CodeDigest.compute(code: submitted, challenge: challenge.id, address: challenge.address, key: key)
            .matches(issued.digest)
    }

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
    /// refused with ``SubmissionOutcome/attemptsExhausted``, right code or not. Once every code has
    /// expired, any code is ``SubmissionOutcome/expired(ordinal:)`` (the newest's ordinal) and not
    /// counted: nothing could verify, and the person needs a new code, not another try.
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
        for issued in challenge.codes where Self.isMatch(submitted, issued, of: challenge, keyRing: keyRing) {
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
        // Every code has expired: no code typed can verify, so none is "wrong" (nor counted); the
        // person needs a new one, as for an expired code.
        if let newest = challenge.codes.last, challenge.codes.allSatisfy({ isExpired($0, at: now) }) {
            return CodeEvaluation(outcome: .expired(ordinal: newest.ordinal), challenge: challenge, changed: false)
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
