#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationPolicy {
    /// May a code be issued for `challenge` now?
    ///
    /// Final reasons come first (verified, cancelled, locked, all codes used); of the passing ones
    /// (cooldown, the address's daily limit) the one that lasts longer is reported, so the time
    /// given is one at which asking again succeeds.
    /// - Parameters:
    ///   - challenge: The stored challenge.
    ///   - now: The current time.
    ///   - recentSendsToAddress: When code mails were sent to the challenge's address: every code
    ///     issued for that (canonical) address in at least the last 24 hours, by any challenge of
    ///     any account, this challenge's included. Older instants are ignored. The count spans
    ///     challenges, so the caller supplies it from the store.
    /// - Returns: ``IssueDecision/allowed(quota:)`` or ``IssueDecision/refused(reason:allowedAt:quota:)``.
    package func issueDecision(
        for challenge: VerificationChallenge, at now: Date, recentSendsToAddress: [Date]
    ) -> IssueDecision {
        let windowStart = now.adding(.zero - Self.addressWindow)
        let recent = recentSendsToAddress.filter { $0 > windowStart }.sorted()
        let quota = IssueQuota(
            codesLeftInChallenge: max(0, maximumCodesPerChallenge - challenge.codes.count),
            mailsLeftToAddress: max(0, maximumMailsPerAddressPerDay - recent.count))

        switch challenge.state {
        case .verified: return .refused(reason: .alreadyVerified, allowedAt: nil, quota: quota)
        case .cancelled: return .refused(reason: .cancelled, allowedAt: nil, quota: quota)
        case .exhausted: return .refused(reason: .attemptsExhausted, allowedAt: nil, quota: quota)
        case .open: break
        }
        if quota.codesLeftInChallenge == 0 {
            return .refused(reason: .codeLimitReached, allowedAt: nil, quota: quota)
        }

        var refusal: (reason: IssueRefusalReason, allowedAt: Date)?
        if let latest = challenge.latestCode {
            let cooldownEnds = latest.issuedAt.adding(resendCooldown)
            if now < cooldownEnds { refusal = (.cooldown, cooldownEnds) }
        }
        if quota.mailsLeftToAddress == 0 {
            // The oldest sends must leave the window until one fewer than the limit remain.
            let windowFrees = recent[recent.count - maximumMailsPerAddressPerDay].adding(Self.addressWindow)
            if refusal.map({ windowFrees > $0.allowedAt }) ?? true { refusal = (.addressDailyLimit, windowFrees) }
        }
        if let refusal {
            return .refused(reason: refusal.reason, allowedAt: refusal.allowedAt, quota: quota)
        }
        return .allowed(quota: quota)
    }

    /// The challenge with `code` issued: a new stored code, numbered after the last, holding the
    /// code's keyed digest under the ring's current key.
    ///
    /// A pure transformation: generate the code (``generateCode()``), call this, then store the
    /// returned challenge and queue the mail carrying `code` in one commit. Issuing resets nothing:
    /// failed attempts and earlier codes stay.
    /// - Parameters:
    ///   - code: The new code, of ``codeLength`` digits.
    ///   - challenge: The stored challenge.
    ///   - now: The current time: the code's issue time.
    ///   - recentSendsToAddress: As for ``issueDecision(for:at:recentSendsToAddress:)``.
    ///   - keyRing: The keys; the current one digests the code.
    /// - Returns: The challenge to store.
    /// - Throws: ``CodeError`` with code ``CodeError/Code/issueRefused`` (its
    ///   ``CodeError/refusalReason`` and ``CodeError/allowedAt`` set) when
    ///   ``issueDecision(for:at:recentSendsToAddress:)`` refuses, and
    ///   ``CodeError/Code/lengthMismatch`` for a code of another length.
    package func issuing(
        _ code: VerificationCode, on challenge: VerificationChallenge, at now: Date, recentSendsToAddress: [Date],
        keyRing: CodeKeyRing
    ) throws(CodeError) -> VerificationChallenge {
        guard code.length == codeLength else {
            throw CodeError(
                .lengthMismatch, indonesian: "Kode harus terdiri dari \(codeLength) angka sesuai kebijakan.",
                english: "The policy asks for codes of \(codeLength) digits.")
        }
        if case .refused(let reason, let allowedAt, _) = issueDecision(
            for: challenge, at: now, recentSendsToAddress: recentSendsToAddress)
        {
            throw CodeError(refusal: reason, allowedAt: allowedAt)
        }
        let key = keyRing.currentKey
        var next = challenge
        next.codes.append(
            IssuedCode(
                ordinal: challenge.codes.count + 1, keyID: key.id,
                digest: CodeDigest.compute(code: code, challenge: challenge.id, address: challenge.address, key: key),
                issuedAt: now))
        return next
    }
}
