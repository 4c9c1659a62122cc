#if canImport(FoundationEssentials)
    public import DapodikLanguage
    import FoundationEssentials
#else
    import Foundation
#endif

// Asking for a code (LANJUT) and submitting it (SIMPAN), for an operator's own account and for a PTK.
extension VerificationService {
    /// Issues a verification code to the caller's own e-mail address and queues its e-mail (LANJUT).
    ///
    /// The code, its challenge, the outbox message, the address quota and the event are one
    /// commit, which also removes up to two other addresses' quotas whose last send left the day's
    /// window more than an hour ago. With ``DispatchOptions/sendImmediately`` (the default) the e-mail
    /// is then sent at once, under a lease taken in that same commit (should the process die before the
    /// send is recorded, a dispatcher sends it once the lease has expired); a failure is recorded in the
    /// outbox and retried by the dispatcher, and shows in the returned status. Earlier unexpired codes
    /// of the same challenge keep working (mail arrives out of order).
    /// - Parameters:
    ///   - account: The account to verify: the caller's own.
    ///   - caller: The logged-in account.
    ///   - language: The language of the e-mail; the configuration's default if `nil`.
    /// - Returns: The delivery status after the commit (and the immediate send, if any).
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/authorization`` (not the
    ///   caller's own account), ``VerificationError/Code/noEmailAddress``,
    ///   ``VerificationError/Code/alreadyVerified``, ``VerificationError/Code/resendNotAllowed``
    ///   with ``VerificationError/retryAt`` (cooldown, codes per challenge, sends per address per
    ///   day, codes per account per day across its challenges), ``VerificationError/Code/emailInUse``
    ///   (the address's mailbox is another account's, ``reserveMailboxes(progress:)``),
    ///   ``VerificationError/Code/storeNeedsUpgrade`` (before that has run once), or ``VerificationError/Code/tooManyWrongCodes`` (a new challenge while the account's
    ///   wrong codes are bounded, ``Configuration/wrongCodeLimits``). A failed *delivery* is *not* an error: the status says so.
    public func requestCode(for account: AccountID, by caller: AccountID, language: Language? = nil)
        async throws(VerificationError) -> DeliveryStatus
    {
        try await perform {
            let issued = try await retryingConflicts {
                try await issueCode(for: account, by: caller, language: language ?? configuration.defaultLanguage)
            }
            return try await status(afterIssuing: issued, sent: await sendRightAway(issued))
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
    /// - Throws: ``VerificationError/Code/authorization`` (not the caller's own account),
    ///   ``VerificationError/Code/invalidInput`` (not a code at all: wrong length, letters; not
    ///   counted as an attempt), or ``VerificationError/Code/tooManyWrongCodes`` (the account's
    ///   bound across challenges, ``Configuration/wrongCodeLimits``; not counted either),
    ///   ``VerificationError/Code/emailInUse`` (a right code for an address whose mailbox another
    ///   account holds: two accounts stored before mailboxes were reserved, see
    ///   ``reserveMailboxes(progress:)``) or ``VerificationError/Code/storeNeedsUpgrade`` (a right
    ///   code before that has run). A wrong or expired code is *not* an error: it is an outcome.
    public func submitCode(_ code: String, for account: AccountID, by caller: AccountID)
        async throws(VerificationError) -> CodeSubmissionResult
    {
        try await perform {
            let code = try configuration.policy.parseCode(code)
            return try await retryingConflicts { try await evaluate(code, for: account, by: caller) }
        }
    }

    func openChallenge(of account: AccountID) async throws -> Loaded<VerificationChallenge>? {
        try await store.load(whereUnique: VerificationChallenge.openIndex, equals: account.description)
    }

    /// Whether `code` is a code sent for an earlier challenge of `account` to the same address as
    /// `open`, which a newer challenge replaced (cancelled as superseded): read only for a code the
    /// open challenge takes as wrong.
    func isReplacedCode(
        _ code: VerificationCode, of account: AccountID, for open: VerificationChallenge
    ) async throws -> Bool {
        try await challenges(of: account).contains { loaded in
            let earlier = loaded.value
            guard case .cancelled(let reason, _) = earlier.state, reason == .superseded,
                earlier.address == open.address, earlier.id != open.id
            else { return false }
            return earlier.codes.contains {
                VerificationPolicy.isMatch(code, $0, of: earlier, keyRing: configuration.keyRing)
            }
        }
    }

    /// Every stored challenge of `account`, open and closed.
    func challenges(of account: AccountID) async throws -> [Loaded<VerificationChallenge>] {
        try await store.loadAll(where: VerificationChallenge.accountIndex, equals: account.description)
    }

    func latestChallenge(of account: AccountID) async throws -> Loaded<VerificationChallenge>? {
        Self.latest(of: try await challenges(of: account))
    }

    /// The challenge started last of `challenges`.
    static func latest(of challenges: [Loaded<VerificationChallenge>]) -> Loaded<VerificationChallenge>? {
        challenges.max { ($0.value.createdAt, $0.value.id) < ($1.value.createdAt, $1.value.id) }
    }

    /// Whether the next code for `address` is issued on `challenge`: it is open, for that address,
    /// and may issue another code. Otherwise the next code starts a new challenge (the old one, if
    /// open, is cancelled), within the account's cooldown and daily budget.
    func continues(_ challenge: VerificationChallenge, for address: EmailAddress) -> Bool {
        challenge.state.isOpen && challenge.address == address
            && challenge.codes.count < configuration.policy.maximumCodesPerChallenge
    }

    func purpose(of role: Role) -> VerificationPurpose {
        role == .ptk ? .staffAddress : .operatorOwnAddress
    }

    /// The sends to `address`'s mailbox within the policy's window (24 hours), oldest first, with
    /// those of the quota the address had before quotas were keyed by mailbox
    /// (``AddressQuota/earlierKey(_:)``); the mailbox quota's version, and that earlier quota.
    func recentSends(to address: EmailAddress, at time: Date) async throws -> (
        sends: [Date], version: UInt64?, earlier: Loaded<AddressQuota>?
    ) {
        let quota = try await store.load(AddressQuota.storedKey(address))
        var earlier: Loaded<AddressQuota>?
        if let key = AddressQuota.earlierKey(address) { earlier = try await store.load(key) }
        guard let earlier else { return (AddressQuota.recent(quota?.value.sends ?? [], at: time), quota?.version, nil) }
        let sends = (quota?.value.sends ?? []) + earlier.value.sends
        return (AddressQuota.recent(sends, at: time).sorted(), quota?.version, earlier)
    }

    /// Issues one code in one commit; returns what it committed.
    func issueCode(for accountID: AccountID, by caller: AccountID, language: Language) async throws -> CodeIssue {
        // At the stored precision, so the values handed on are those a read after the commit gives.
        let time = now.atStoredPrecision
        let account = try await self.caller(caller).value
        guard accountID == caller else { throw VerificationError.authorization }
        guard let address = account.email else { throw VerificationError.noEmailAddress }
        if account.isEmailVerified { throw VerificationError.alreadyVerified }
        // An account stored before mailboxes were reserved may reach another account's mailbox.
        try await requireMailboxesReserved()
        if let holder = try await holderOfMailbox(address), holder != accountID {
            throw VerificationError.emailInUse
        }
        guard let school = try await loadSchool(account.schoolNPSN)?.value else {
            throw VerificationError.schoolNotFound
        }

        var batch = Batch()
        var challenge: VerificationChallenge
        var challengeVersion: UInt64?
        // One read gives the open challenge and the earlier ones a new challenge takes its account's
        // cooldown and daily budget of codes from.
        let all = try await challenges(of: accountID)
        let open = all.first { $0.value.state.isOpen }
        // Read for every request (the status returned shows it): no code is sent while it blocks submissions.
        let history = try await store.load(AccountCodeLimits.History.storedKey(accountID))?.value
        if let open, continues(open.value, for: address) {
            // A code nobody may submit is not sent: the account's own bound on wrong codes holds.
            if let block = configuration.wrongCodeLimits.submissionBlock(history, at: time) {
                throw VerificationError.tooManyWrongCodes(until: block.retryAt)
            }
            challenge = open.value
            challengeVersion = open.version
        } else {
            if let stale = open {
                // Opened for an address the account no longer has, or every code it may issue is issued:
                // close it (its codes stop working), start afresh within the account's budget.
                let reason: CancellationReason = stale.value.address == address ? .superseded : .addressChanged
                try batch.put(try stale.value.cancelling(because: reason, at: time), replacing: stale.version)
            }
            // A new challenge brings new guesses: refused while the account's wrong codes are bounded.
            if let block = configuration.wrongCodeLimits.newChallengeBlock(history, at: time) {
                throw VerificationError.tooManyWrongCodes(until: block.retryAt)
            }
            // Challenges nothing needs any more go in the same commit, so the read above stays as
            // small as one day's codes allow however long the account goes unverified.
            for old in all where configuration.policy.hasOutlivedAccountWindow(old.value, at: time) {
                batch.delete(VerificationChallenge.storedKey(old.value.id), expecting: old.version)
            }
            challenge = VerificationChallenge(
                account: accountID, purpose: purpose(of: account.role), address: address, createdAt: time,
                accountCodesIssuedBefore: configuration.policy.accountCodeTimes(in: all.map(\.value), at: time))
        }

        let quotaKey = AddressQuota.storedKey(address)
        let (sends, quotaVersion, earlierQuota) = try await recentSends(to: address, at: time)
        let policy = configuration.policy
        if case .refused(let reason, let allowedAt, _) = policy.issueDecision(
            for: challenge, at: time, recentSendsToAddress: sends)
        {
            // Told with where the account's codes went: the last one, and any of the day to another address.
            let elsewhere = all.contains {
                $0.value.address.canonical != address.canonical
                    && !policy.accountCodeTimes(in: [$0.value], at: time).isEmpty
            }
            throw VerificationError.resendNotAllowed(
                reason: reason, until: allowedAt, to: address, lastCodeAddress: Self.lastCodeAddress(in: all),
                otherAddressesCounted: elsewhere)
        }
        let code = policy.generateCode()
        challenge = try policy.issuing(
            code, on: challenge, at: time, recentSendsToAddress: sends, keyRing: configuration.keyRing)
        let ordinal = challenge.codes.count
        var message = OutboxMessage(
            queuing: { messageID in
                .verificationCode(
                    .init(
                        challenge: challenge.id, ordinal: ordinal, purpose: challenge.purpose,
                        sealedCode: seal(code, messageID: messageID), issuedAt: time,
                        username: account.username.value))
            }, to: address, of: account, school: school, language: language, at: time,
            senderDomain: configuration.sender.domain)

        // Sent right away: leased to this request in this very commit, not in one of its own. Should
        // the process die before the send is recorded, the lease expires and a dispatcher sends it.
        let leased = configuration.dispatch.sendImmediately
        if leased {
            message.state = .sending(
                leaseUntil: time.adding(configuration.dispatch.lease(sendingThrough: configuration.transport)),
                since: time)
        }
        try batch.put(challenge, replacing: challengeVersion)
        try batch.enqueue(message)
        let quota = AddressQuota(sends: sends + [time])
        try batch.put(quota, at: quotaKey, replacing: quotaVersion)
        if let earlierQuota, let key = AddressQuota.earlierKey(address) {
            // Its sends are the mailbox quota's now: one record counts them.
            batch.delete(key, expecting: earlierQuota.version)
        }
        batch.record(
            .codeIssued, at: time, by: caller, account: accountID, school: school.npsn.description, email: address,
            detail: "code \(ordinal) of challenge \(challenge.id)")
        // Addresses sent a code once must not each keep a record for ever: every code removes a few
        // quotas that count no send any more, in its own commit.
        let removals = await idleRecordRemovals(in: AddressQuota.idleIndex, sparing: quotaKey, at: time)
        let sequence = try await commit(batch, removing: removals)
        // A put creates version 1 or replaces version n with n + 1.
        return CodeIssue(
            message: Loaded(value: message, version: 1, sequence: sequence), leased: leased,
            challenge: Loaded(value: challenge, version: (challengeVersion ?? 0) + 1, sequence: sequence),
            account: account, timeZone: school.timeZone, wrongCodeHistory: history, sendsToAddress: quota.sends,
            codeDigits: code.digits)
    }

    /// The address the newest code of `challenges` (all of one account's) went to, or `nil` when
    /// none issued one.
    static func lastCodeAddress(in challenges: [Loaded<VerificationChallenge>]) -> EmailAddress? {
        challenges.compactMap { loaded in loaded.value.codes.last.map { (loaded.value.address, $0.issuedAt) } }
            .max { $0.1 < $1.1 }?.0
    }

    func evaluate(_ code: VerificationCode, for accountID: AccountID, by caller: AccountID) async throws
        -> CodeSubmissionResult
    {
        let time = now
        let loaded = try await self.caller(caller)
        guard accountID == caller else { throw VerificationError.authorization }
        var account = loaded.value
        let asking = configuration.codeRequestAction.words(for: account.role, username: account.username)
        if account.isEmailVerified { return .make(.alreadyVerified, asking: asking) }
        let policy = configuration.policy
        guard let open = try await openChallenge(of: accountID), open.value.address == account.email else {
            // The account was read before a concurrent submission verified it or closed the
            // challenge: what the policy answers for the latest challenge, once closed, is what
            // happened in between. An open one for an old address is not this address's challenge.
            // A closed challenge for another address (the address changed since) says nothing about
            // this one: the account asks for a code first.
            guard let latest = try await latestChallenge(of: accountID)?.value, let email = account.email else {
                return .make(.noCodeIssued, asking: asking)
            }
            if case .cancelled(.addressChanged, _) = latest.state {
                // Codes were sent, to an address the account had before (changed and perhaps changed
                // back since): said, not "no code was sent".
                return .addressChanged(from: latest.address, to: email, asking: asking)
            }
            guard latest.address == email else {
                return .addressChanged(from: latest.address, to: email, asking: asking)
            }
            guard !latest.state.isOpen else { return .make(.noCodeIssued, asking: asking) }
            let outcome = policy.evaluate(code, for: latest, at: time, keyRing: configuration.keyRing).outcome
            guard outcome == .attemptsExhausted else { return CodeSubmissionResult(outcome, asking: asking) }
            let history = try await store.load(AccountCodeLimits.History.storedKey(accountID))?.value
            return try await namingTheWait(
                CodeSubmissionResult(outcome, asking: asking), after: history, of: account, at: time)
        }
        let historyKey = AccountCodeLimits.History.storedKey(accountID)
        let history = try await store.load(historyKey)
        if let block = configuration.wrongCodeLimits.submissionBlock(history?.value, at: time) {
            throw VerificationError.tooManyWrongCodes(until: block.retryAt)
        }
        let evaluation = policy.evaluate(code, for: open.value, at: time, keyRing: configuration.keyRing)
        let school = account.schoolNPSN.description
        if case .wrong = evaluation.outcome, try await isReplacedCode(code, of: accountID, for: open.value) {
            // The person typed a code they were sent, of a request a newer one replaced: told so, not
            // counted as a wrong guess (it is not one).
            var batch = Batch()
            batch.record(
                .codeRejected, at: time, by: caller, account: accountID, school: school,
                detail: "code of a replaced challenge")
            // The open challenge is put unchanged, so a concurrent change forces a re-decision.
            try batch.put(open.value, replacing: open.version)
            try await commit(batch)
            return .make(.replaced, asking: asking)
        }
        var batch = Batch()
        var outcome = evaluation.outcome
        switch evaluation.outcome {
        case .verified(let ordinal):
            // One verified account per mailbox, also of two stored before reservations existed.
            try await requireMailboxesReserved()
            try await keepMailboxOnVerification(of: open.value.address, for: accountID, in: &batch)
            try account.markEmailVerified(open.value.address, at: time)
            try put(account, in: &batch, replacing: loaded.version)
            batch.record(
                .emailVerified, at: time, by: caller, account: accountID, school: school, email: open.value.address,
                detail: "code \(ordinal)")
            if let history { batch.delete(historyKey, expecting: history.version) }
        case .wrong(let left):
            let next = configuration.wrongCodeLimits.recordingWrongCode(
                history?.value, at: time, exhaustedChallenge: !evaluation.challenge.state.isOpen)
            // The account's own bound may leave fewer attempts than the challenge: the person is told
            // the smaller number, and 0 (the last attempt) when the next code would be refused anyway.
            let shown = min(left, configuration.wrongCodeLimits.wrongCodesLeft(next, at: time))
            outcome = .wrong(attemptsLeft: shown)
            batch.record(
                .codeRejected, at: time, by: caller, account: accountID, school: school,
                detail: "wrong code, \(shown) attempts left")
            try batch.put(next, at: historyKey, replacing: history?.version)
        case .expired(let ordinal):
            batch.record(
                .codeRejected, at: time, by: caller, account: accountID, school: school,
                detail: "code \(ordinal) expired")
        case .attemptsExhausted, .alreadyVerified, .noCodeIssued, .cancelled, .uncheckable: break
        }
        if evaluation.changed || !batch.events.isEmpty {
            // Written even when unchanged (an expired code), so a concurrent change forces a re-decision.
            try batch.put(evaluation.challenge, replacing: open.version)
        }
        if !batch.events.isEmpty { try await commit(batch) }
        let result = CodeSubmissionResult(outcome, asking: asking)
        switch outcome {
        case .wrong(attemptsLeft: 0):
            let after = configuration.wrongCodeLimits.recordingWrongCode(
                history?.value, at: time, exhaustedChallenge: true)
            return try await namingTheWait(result, after: after, of: account, at: time)
        case .attemptsExhausted:
            return try await namingTheWait(result, after: history?.value, of: account, at: time)
        default:
            return result
        }
    }

    /// `result` of a challenge that takes no more codes, saying when a new code may be asked for
    /// when the account must wait first (after an exhausted challenge, `history`), on the school's
    /// clock: "ask for a new code" is true only once the wait is over.
    private func namingTheWait(
        _ result: CodeSubmissionResult, after history: AccountCodeLimits.History?, of account: Account, at time: Date
    ) async throws -> CodeSubmissionResult {
        guard let block = configuration.wrongCodeLimits.newChallengeBlock(history, at: time) else { return result }
        let zone = try await loadSchool(account.schoolNPSN)?.value.timeZone ?? .wib
        return result.waitingForNewCode(block.retryAt, in: zone, role: account.role)
    }
}
