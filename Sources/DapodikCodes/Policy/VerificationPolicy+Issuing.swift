#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationPolicy {
    /// May a code be issued for `challenge` now?
    ///
    /// Final reasons come first (verified, cancelled, locked, all codes used); of the passing ones
    /// (cooldown, the address's daily limit, the account's daily budget) the one that lasts longest
    /// is reported, so the time given is one at which asking again succeeds. The cooldown and the
    /// account's budget count the challenge's own codes and the account's earlier ones it carries
    /// (``VerificationChallenge/accountCodesIssuedBefore``).
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
        let recent = Self.within(Self.addressWindow, before: now, recentSendsToAddress)
        let accountCodes = challenge.accountCodesIssuedBefore + challenge.codes.map(\.issuedAt)
        let recentAccountCodes = Self.within(Self.accountWindow, before: now, accountCodes)
        let quota = IssueQuota(
            codesLeftInChallenge: max(0, maximumCodesPerChallenge - challenge.codes.count),
            mailsLeftToAddress: max(0, maximumMailsPerAddressPerDay - recent.count),
            codesLeftToAccount: max(0, maximumCodesPerAccountPerDay - recentAccountCodes.count))

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
        func refuse(_ reason: IssueRefusalReason, until allowedAt: Date) {
            if refusal.map({ allowedAt > $0.allowedAt }) ?? true { refusal = (reason, allowedAt) }
        }
        if let latest = accountCodes.max() {
            let cooldownEnds = latest.adding(resendCooldown)
            if now < cooldownEnds { refuse(.cooldown, until: cooldownEnds) }
        }
        // The oldest sends must leave their window until one fewer than the limit remain.
        if quota.mailsLeftToAddress == 0 {
            refuse(
                .addressDailyLimit,
                until: recent[recent.count - maximumMailsPerAddressPerDay].adding(Self.addressWindow))
        }
        if quota.codesLeftToAccount == 0 {
            refuse(
                .accountDailyLimit,
                until: recentAccountCodes[recentAccountCodes.count - maximumCodesPerAccountPerDay]
                    .adding(Self.accountWindow))
        }
        if let refusal {
            return .refused(reason: refusal.reason, allowedAt: refusal.allowedAt, quota: quota)
        }
        return .allowed(quota: quota)
    }

    /// When the codes of `challenges` (all of one account's) were issued, within the
    /// ``accountWindow`` before `now`, oldest first: what a new challenge of the account carries
    /// (``VerificationChallenge/accountCodesIssuedBefore``), so that the cooldown and the daily
    /// budget span challenges.
    /// - Parameters:
    ///   - challenges: Every stored challenge of the account.
    ///   - now: The current time.
    /// - Returns: The issue times, at most ``maximumCodesPerAccountPerDay`` (the latest), which is
    ///   all the budget and the cooldown need.
    package func accountCodeTimes(in challenges: [VerificationChallenge], at now: Date) -> [Date] {
        let times = Self.within(Self.accountWindow, before: now, challenges.flatMap { $0.codes.map(\.issuedAt) })
        return Array(times.suffix(maximumCodesPerAccountPerDay))
    }

    /// The same times as ``accountCodeTimes(in:at:)``, from the one challenge that knows them all: the
    /// account's newest, which carries the earlier challenges' times and holds its own codes.
    /// - Parameters:
    ///   - challenge: The account's newest challenge.
    ///   - now: The current time.
    /// - Returns: The issue times within the window, oldest first, at most the budget's number.
    package func accountCodeTimes(knownTo challenge: VerificationChallenge, at now: Date) -> [Date] {
        let times = Self.within(
            Self.accountWindow, before: now, challenge.accountCodesIssuedBefore + challenge.codes.map(\.issuedAt))
        return Array(times.suffix(maximumCodesPerAccountPerDay))
    }

    /// Whether `challenge` is closed and neither it nor any of its codes is younger than the
    /// ``accountWindow``: nothing needs it any more (not the cooldown or the daily budget, which count
    /// codes inside the window; not the status, which shows the newest challenge; not its codes,
    /// which expire within ``maximumCodeLifetime``, at most the window), so a new challenge of the
    /// account may remove it. The account's stored challenges then stay as few as its codes of one
    /// window allow, however long it goes unverified.
    /// - Parameters:
    ///   - challenge: A challenge of the account.
    ///   - now: The current time.
    /// - Returns: `true` when it may be removed.
    package func hasOutlivedAccountWindow(_ challenge: VerificationChallenge, at now: Date) -> Bool {
        guard !challenge.state.isOpen else { return false }
        let lastActivity =
            challenge.codes.map(\.issuedAt).max().map { max($0, challenge.createdAt) } ?? challenge.createdAt
        return lastActivity.adding(Self.accountWindow) <= now && lastActivity.adding(maximumCodeLifetime) <= now
    }

    /// The instants of `times` less than `window` before `now`, oldest first.
    private static func within(_ window: Duration, before now: Date, _ times: [Date]) -> [Date] {
        let windowStart = now.adding(.zero - window)
        return times.filter { $0 > windowStart }.sorted()
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
