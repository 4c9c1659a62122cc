#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The sends to one address in the last 24 hours, across challenges (design: 10 mails per address
/// per day).
struct AddressQuota: Codable {
    var sends: [Date]
}

// Asking for a code (LANJUT) and submitting it (SIMPAN), for an operator's own account and for a PTK.
extension VerificationService {
    /// Issues a verification code to the caller's own e-mail address and queues its e-mail (LANJUT).
    ///
    /// The code, its challenge, the outbox message, the address quota and the event are one
    /// commit. With ``DispatchOptions/sendImmediately`` (the default) the e-mail is then sent at
    /// once; a failure is recorded in the outbox and retried by the dispatcher, and shows in the
    /// returned status. Earlier unexpired codes of the same challenge keep working (mail arrives
    /// out of order).
    /// - Parameters:
    ///   - account: The account to verify: the caller's own.
    ///   - caller: The logged-in account.
    ///   - language: The language of the e-mail; the configuration's default if `nil`.
    /// - Returns: The delivery status after the commit (and the immediate send, if any).
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/authorization`` (not the
    ///   caller's own account), ``VerificationError/Code/noEmailAddress``,
    ///   ``VerificationError/Code/alreadyVerified``, or ``VerificationError/Code/resendNotAllowed``
    ///   with ``VerificationError/retryAt`` (cooldown, codes per challenge, sends per address per
    ///   day). A failed *delivery* is *not* an error: the status says so.
    public func requestCode(for account: AccountID, by caller: AccountID, language: Language? = nil)
        async throws(VerificationError) -> DeliveryStatus
    {
        try await perform {
            let messageID = try await retryingConflicts {
                try await issueCode(for: account, by: caller, language: language ?? configuration.defaultLanguage)
            }
            if configuration.dispatch.sendImmediately {
                _ = try await dispatch(messageID)
            }
            return try await status(of: account)
        }
    }

    /// Checks a code the person typed (SIMPAN).
    ///
    /// Any unexpired code of the open challenge is accepted, not only the newest. Exactly one of
    /// any number of concurrent submissions of a right code answers ``CodeSubmissionResult/Outcome/verified``;
    /// the others answer ``CodeSubmissionResult/Outcome/alreadyVerified``. Wrong codes are counted
    /// across resends and never exceed the policy's limit, however many arrive at once.
    /// - Parameters:
    ///   - code: The code as typed.
    ///   - account: The account being verified: the caller's own.
    ///   - caller: The logged-in account.
    /// - Returns: What the code did, with a message to show.
    /// - Throws: ``VerificationError/Code/authorization`` (not the caller's own account) or
    ///   ``VerificationError/Code/invalidInput`` (not a code at all: wrong length, letters; not
    ///   counted as an attempt). A wrong or expired code is *not* an error: it is an outcome.
    public func submitCode(_ code: String, for account: AccountID, by caller: AccountID)
        async throws(VerificationError) -> CodeSubmissionResult
    {
        try await perform {
            let code = try VerificationCode(code)
            return try await retryingConflicts { try await evaluate(code, for: account, by: caller) }
        }
    }

    func openChallenge(of account: AccountID) async throws -> Loaded<Challenge>? {
        try await store.load(Challenge.self, whereUnique: Indexes.openChallenge, equals: account.description)
    }

    func latestChallenge(of account: AccountID) async throws -> Loaded<Challenge>? {
        try await store.loadAll(Challenge.self, where: Indexes.challengeAccount, equals: account.description)
            .max { ($0.value.codes.first?.issuedAt ?? .distantPast) < ($1.value.codes.first?.issuedAt ?? .distantPast) }
    }

    func challengeIndexes(_ challenge: Challenge) -> [IndexEntry] {
        var entries = [
            IndexEntry(name: Indexes.challengeAccount, value: challenge.account.description, isUnique: false)
        ]
        if challenge.state == .open {
            entries.append(IndexEntry(name: Indexes.openChallenge, value: challenge.account.description, isUnique: true))
        }
        return entries
    }

    func purpose(of role: Role) -> ChallengePurpose {
        role == .ptk ? .staffEmail : .operatorEmail
    }

    /// Issues one code in one commit; returns the outbox message's id.
    func issueCode(for accountID: AccountID, by caller: AccountID, language: Language) async throws -> UUID {
        let time = now
        let account = try await self.caller(caller).value
        guard accountID == caller else { throw VerificationError.authorization }
        guard let address = account.email else { throw VerificationError.noEmailAddress }
        if case .verified = account.emailStatus { throw VerificationError.alreadyVerified }
        guard let school = try await loadSchool(account.school)?.value else { throw VerificationError.schoolNotFound }

        var batch = Batch()
        var challenge: Challenge
        var challengeVersion: UInt64?
        if let open = try await openChallenge(of: accountID), open.value.address == address {
            challenge = open.value
            challengeVersion = open.version
        } else {
            if let stale = try await openChallenge(of: accountID) {
                var cancelled = stale.value
                cancelled.cancel()
                try batch.put(
                    Collections.challenge, cancelled.id.uuidString, cancelled, indexes: challengeIndexes(cancelled),
                    replacing: stale.version)
            }
            challenge = Challenge(id: UUID(), account: accountID, purpose: purpose(of: account.role), address: address)
        }

        let quotaKey = RecordKey(Collections.addressQuota, address.canonical)
        let quota = try await store.load(AddressQuota.self, quotaKey)
        let recentSends = (quota?.value.sends ?? []).filter { time.timeIntervalSince($0) < 24 * 3600 }
        switch configuration.policy.issueDecision(
            for: challenge, now: time, sendsToAddressInLast24Hours: recentSends.count)
        {
        case .allowed: break
        case .refused(let reason, let allowedAt, _):
            throw VerificationError.resendNotAllowed(reason: reason, until: allowedAt)
        }

        let code = VerificationCode.random()
        challenge = configuration.policy.issuing(code, in: challenge, keyRing: configuration.keyRing, now: time)
        let ordinal = challenge.codes.count
        let messageUUID = UUID()
        let messageID = messageUUID.uuidString.lowercased() + "@" + configuration.sender.domain
        let keyID = configuration.keyRing.currentKeyID
        guard let key = configuration.keyRing.key(for: keyID) else { throw VerificationError.busy }
        let message = OutboxMessage(
            id: messageUUID, messageID: messageID,
            content: .verificationCode(
                .init(
                    challenge: challenge.id, ordinal: ordinal, purpose: challenge.purpose,
                    sealedCode: CodeSeal.seal(code.digits, messageID: messageID, keyID: keyID, key: key),
                    issuedAt: time, username: account.username)),
            recipient: address, recipientName: account.displayName, account: accountID, school: school.npsn.description,
            schoolName: school.name, timeZone: school.timeZone, language: language, createdAt: time, state: .queued,
            attempts: [])

        try batch.put(
            Collections.challenge, challenge.id.uuidString, challenge, indexes: challengeIndexes(challenge),
            replacing: challengeVersion)
        try batch.put(Collections.outbox, messageUUID.uuidString, message, indexes: message.indexes, replacing: nil)
        try batch.put(
            Collections.addressQuota, address.canonical, AddressQuota(sends: recentSends + [time]), replacing: quota?.version)
        batch.record(
            .codeIssued, at: time, by: caller, account: accountID, school: school.npsn.description, email: address,
            detail: "code \(ordinal) of challenge \(challenge.id.uuidString.lowercased())")
        try await commit(batch)
        return messageUUID
    }

    func evaluate(_ code: VerificationCode, for accountID: AccountID, by caller: AccountID) async throws
        -> CodeSubmissionResult
    {
        let time = now
        let loaded = try await self.caller(caller)
        guard accountID == caller else { throw VerificationError.authorization }
        var account = loaded.value
        if case .verified = account.emailStatus { return .make(.alreadyVerified) }
        guard let open = try await openChallenge(of: accountID), open.value.address == account.email else {
            if let latest = try await latestChallenge(of: accountID), latest.value.state == .exhausted {
                return .make(.attemptsExhausted)
            }
            return .make(.noCodeIssued)
        }
        let (outcome, challenge) = configuration.policy.evaluate(
            code, in: open.value, keyRing: configuration.keyRing, now: time)
        let school = account.school.description
        var batch = Batch()
        let result: CodeSubmissionResult.Outcome
        switch outcome {
        case .verified(let ordinal):
            account.emailStatus = .verified(at: time, address: open.value.address)
            account.updatedAt = time
            try put(account, in: &batch, replacing: loaded.version)
            batch.record(
                .emailVerified, at: time, by: caller, account: accountID, school: school, email: open.value.address,
                detail: "code \(ordinal)")
            result = .verified
        case .wrong(let left):
            batch.record(
                .codeRejected, at: time, by: caller, account: accountID, school: school,
                detail: "wrong code, \(left) attempts left")
            result = .wrong(attemptsLeft: left)
        case .expired:
            batch.record(.codeRejected, at: time, by: caller, account: accountID, school: school, detail: "expired code")
            result = .expired
        case .attemptsExhausted: result = .attemptsExhausted
        case .alreadyVerified: result = .alreadyVerified
        case .noCodeIssued, .cancelled: result = .noCodeIssued
        }
        if challenge != open.value || !batch.events.isEmpty {
            // Written even when unchanged (an expired code), so a concurrent change forces a re-decision.
            try batch.put(
                Collections.challenge, challenge.id.uuidString, challenge, indexes: challengeIndexes(challenge),
                replacing: open.version)
        }
        if !batch.events.isEmpty { try await commit(batch) }
        return .make(result)
    }
}
