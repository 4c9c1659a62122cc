#if canImport(FoundationEssentials)
    import DapodikLanguage
    import FoundationEssentials
#else
    import Foundation
#endif

// The delivery status of a verification: what the person waiting for a code is told.
extension VerificationService {
    /// The delivery status of an account's verification, as one value to show.
    /// - Parameters:
    ///   - account: The account being verified.
    ///   - caller: The logged-in account: the account itself, or the verified operator or principal
    ///     of its school.
    /// - Returns: The status now.
    /// - Throws: ``VerificationError/Code/authorization`` for anyone else. An account that never
    ///   asked for a code is *not* an error: its state is ``DeliveryStatus/State/notStarted``.
    public func deliveryStatus(for account: AccountID, by caller: AccountID) async throws(VerificationError)
        -> DeliveryStatus
    {
        try await perform {
            let actor = try await self.caller(caller).value
            if account != caller {
                let target = try await loadAccount(account)
                try requireSchoolReader(actor, of: target?.value.schoolNPSN ?? actor.schoolNPSN)
                guard target != nil else { throw VerificationError.notFound }
                return try await status(of: account, for: .schoolStaff)
            }
            return try await status(of: account, for: .accountHolder)
        }
    }

    /// The delivery status of `accountID` now, told to `audience`.
    func status(of accountID: AccountID, for audience: StatusAudience) async throws -> DeliveryStatus {
        let time = now
        var facts = try await deliveryFacts(of: accountID, at: time)
        facts.audience = audience
        return deliveryStatus(of: facts, at: time)
    }

    /// The status right after issuing a code, from the values the request holds rather than read
    /// again: what ``status(of:)`` would read at this point, as long as the e-mail was handed over
    /// (or not yet sent, without ``DispatchOptions/sendImmediately``) and recorded in one go. After
    /// anything else (a failed or abandoned send, a lease held elsewhere, a conflict, a store error)
    /// the status is read afresh.
    /// - Parameters:
    ///   - issued: What issuing the code committed.
    ///   - sent: What sending it right away did, `nil` when it was not tried or did not get as far
    ///     as an outcome.
    ///
    /// The code is committed before this is asked, so a store failing here (a full disk after the
    /// send) is no refusal: the status is then made from the values committed (the message queued or
    /// being sent), which a later read confirms or brings up to date. Never "nothing was changed".
    func status(afterIssuing issued: CodeIssue, sent: DispatchReport?) async throws -> DeliveryStatus {
        var message = issued.message.value
        var challenge = issued.challenge.value
        if configuration.dispatch.sendImmediately {
            if let sent, sent.outcome == .handedOver, let recorded = sent.recorded {
                (message, challenge) = recorded
            } else if let read = try? await status(of: issued.account.id, for: .accountHolder) {
                return read
            }
        }
        let time = now
        var facts = DeliveryFacts(account: issued.account, timeZone: issued.timeZone, challenge: challenge)
        facts.message = message
        if challenge.codes.count > 1, let earlier = try? await messages(of: challenge) {
            // A resend: an earlier code's e-mail to this address may have come back (a read for
            // resends only; a first code has no earlier one).
            facts.earlierReturn = Self.earlierReturn(in: earlier, before: message)
        }
        facts.wrongCodeHistory = issued.wrongCodeHistory
        facts.recentSendsToAddress = AddressQuota.recent(issued.sendsToAddress, at: time)
        // The challenge just issued on is the account's newest: it knows every code of the window.
        facts.accountCodeTimes = configuration.policy.accountCodeTimes(knownTo: challenge, at: time)
        return deliveryStatus(of: facts, at: time)
    }

    /// Reads everything the delivery status of `accountID` depends on, so that the status itself is
    /// a pure function of the result (``deliveryStatus(of:at:)``); told to the account's holder unless
    /// the caller sets ``DeliveryFacts/audience``.
    func deliveryFacts(of accountID: AccountID, at time: Date) async throws -> DeliveryFacts {
        guard let account = try await loadAccount(accountID)?.value else { throw VerificationError.notFound }
        let zone = try await loadSchool(account.schoolNPSN)?.value.timeZone ?? .wib
        var challenge = try await openChallenge(of: accountID)?.value
        // Unless the open challenge takes the next code, that code opens a new challenge, which carries
        // the times of the account's codes so far.
        var all: [VerificationChallenge]?
        let openTakesNextCode = challenge.map { open in account.email.map { continues(open, for: $0) } ?? false }
        if openTakesNextCode != true {
            let loaded = try await challenges(of: accountID)
            if challenge == nil { challenge = Self.latest(of: loaded)?.value }
            all = loaded.map(\.value)
        }
        var facts = DeliveryFacts(account: account, timeZone: zone, challenge: challenge)
        if let challenge {
            let messages = try await messages(of: challenge)
            facts.message = Self.newest(of: messages)
            facts.earlierReturn = Self.earlierReturn(in: messages, before: facts.message)
        }
        // A verified address, or none, is all the status needs to know.
        if case .verified = account.emailStatus { return facts }
        guard let address = account.email else { return facts }
        facts.wrongCodeHistory = try await store.load(AccountCodeLimits.History.storedKey(account.id))?.value
        facts.recentSendsToAddress = try await recentSends(to: address, at: time).sends
        if let all { facts.accountCodeTimes = configuration.policy.accountCodeTimes(in: all, at: time) }
        return facts
    }

    /// Every code message of `challenge`.
    func messages(of challenge: VerificationChallenge) async throws -> [OutboxMessage] {
        try await store.loadAll(where: OutboxMessage.challengeIndex, equals: challenge.id.description).map(\.value)
    }

    /// The message of the newest code of `messages`.
    static func newest(of messages: [OutboxMessage]) -> OutboxMessage? {
        messages.max { ($0.codeContent?.ordinal ?? 0) < ($1.codeContent?.ordinal ?? 0) }
    }

    /// The latest return among `messages` other than `newest`, with its code's ordinal.
    static func earlierReturn(in messages: [OutboxMessage], before newest: OutboxMessage?)
        -> (ordinal: Int, record: OutboxMessage.ReturnRecord)?
    {
        messages.compactMap { message -> (ordinal: Int, record: OutboxMessage.ReturnRecord)? in
            guard message.id != newest?.id, let record = message.returned, let content = message.codeContent else {
                return nil
            }
            return (content.ordinal, record)
        }
        .max { $0.record.reportedAt < $1.record.reportedAt }
    }

    /// The delivery status `facts` show at `time`: a pure function of them and of the configuration's
    /// policies; it reads neither the store nor the clock.
    func deliveryStatus(of facts: DeliveryFacts, at time: Date) -> DeliveryStatus {
        let (account, challenge, message, zone) = (facts.account, facts.challenge, facts.message, facts.timeZone)
        // The operator is the holder of their own status, and is never sent to "the school operator".
        let audience = facts.audience == .accountHolder ? StatusAudience.holder(account.role) : facts.audience
        let policy = configuration.policy
        let masked = account.email?.masked
        var status = DeliveryStatus(
            state: .notStarted, maskedAddress: masked, codeOrdinal: nil, codeExpiresAt: nil, codeExpiresAtText: nil,
            mayRequestNewCode: account.email != nil, newCodeAllowedAt: nil, codesLeft: policy.maximumCodesPerChallenge,
            attemptsLeft: min(
                policy.maximumFailedAttempts,
                configuration.wrongCodeLimits.wrongCodesLeft(facts.wrongCodeHistory, at: time)),
            timeZone: zone,
            explanation: LocalizedText(indonesian: "", english: ""))
        var sentences: [LocalizedText] = []

        if case .verified(let at, let address) = account.emailStatus {
            status.state = .verified(at: at)
            status.mayRequestNewCode = false
            status.maskedAddress = address.masked
            status.explanation = LocalizedText(
                indonesian:
                    "Email \(address.masked) sudah terverifikasi pada "
                    + "\(zone.formattedDateTime(at, language: .indonesian)).",
                english: "The e-mail address \(address.masked) was verified on "
                    + "\(zone.formattedDateTime(at, language: .english)).")
            return status
        }
        // `masked` is `nil` only without an address.
        guard let address = account.email, let masked else {
            status.mayRequestNewCode = false
            status.explanation = LocalizedText(
                indonesian: "Akun ini belum memiliki alamat email aktif. Operator sekolah perlu mengisinya.",
                english: "This account has no active e-mail address yet. The school operator needs to enter one.")
            return status
        }
        // A new challenge is refused while the account's wrong codes are bounded (AccountCodeLimits).
        let newChallengeBlock = configuration.wrongCodeLimits.newChallengeBlock(facts.wrongCodeHistory, at: time)
        // What the next code would be issued on: the open challenge for the address while it may issue
        // codes, else a new one.
        let next: VerificationChallenge
        if let challenge, continues(challenge, for: address) {
            next = challenge
        } else {
            next = VerificationChallenge(
                account: account.id, purpose: purpose(of: account.role), address: address, createdAt: time,
                accountCodesIssuedBefore: facts.accountCodeTimes)
        }
        let decision = policy.issueDecision(for: next, at: time, recentSendsToAddress: facts.recentSendsToAddress)
        status.mayRequestNewCode = decision.isAllowed
        switch decision {
        case .allowed(let quota): status.codesLeft = quota.codesLeft
        case .refused(_, let allowedAt, let quota):
            status.newCodeAllowedAt = allowedAt
            status.codesLeft = quota.codesLeft
        }
        // Only a person's unlock lets the next code out: said instead of a sending limit that is not the reason.
        let lockedUntilUnlocked = next.codes.isEmpty && newChallengeBlock == .untilUnlocked
        if next.codes.isEmpty, let newChallengeBlock {
            status.mayRequestNewCode = false
            // Until an unlock (no retry time), no time is promised.
            status.newCodeAllowedAt = newChallengeBlock.retryAt.map { max($0, status.newCodeAllowedAt ?? $0) }
        }
        guard let challenge, statusReadsMessages(of: challenge), challenge.address == address,
            let newest = challenge.codes.last
        else {
            // How the front end asks for a code (the LANJUT button, a command), for the account's holder.
            let action = configuration.codeRequestAction.words(for: account.role, username: account.username)
            let notAsked = audience.pick(
                LocalizedText(
                    indonesian: "Belum ada kode yang diminta. Kode akan dikirim ke \(masked) setelah Anda memintanya "
                        + "dengan \(action.indonesian).",
                    english: "No code has been asked for. It will go to \(masked) once you ask for it with "
                        + "\(action.english)."),
                LocalizedText(
                    indonesian: "Belum ada kode yang diminta. Kode akan dikirim ke \(masked) setelah pemilik akun "
                        + "memintanya dengan \(action.indonesian).",
                    english: "No code has been asked for. It will go to \(masked) once the account's holder asks for "
                        + "it with \(action.english)."))
            let notYet = LocalizedText(
                indonesian: "Belum ada kode yang diminta untuk \(masked).",
                english: "No code has been asked for \(masked) yet.")
            status.explanation =
                status.mayRequestNewCode
                ? notAsked
                : LocalizedText(joining: [
                    notYet,
                    resendSentence(
                        status, zone: zone, seenAt: time, lockedUntilUnlocked: lockedUntilUnlocked, for: audience),
                ])
            return status
        }

        status.codeOrdinal = newest.ordinal
        // The account's own bound on wrong codes may leave fewer than the challenge.
        status.attemptsLeft = min(
            max(0, policy.maximumFailedAttempts - challenge.failedAttempts),
            configuration.wrongCodeLimits.wrongCodesLeft(facts.wrongCodeHistory, at: time))
        if newest.handedOverAt != nil {
            let expiry = policy.expiry(of: newest)
            status.codeExpiresAt = expiry
            status.codeExpiresAtText = zone.formattedTime(expiry, language: .indonesian)
            status.codeExpiryDescription = LocalizedText(
                indonesian: zone.formattedDateTime(expiry, language: .indonesian),
                english: zone.formattedDateTime(expiry, language: .english))
        }

        switch message?.state ?? .queued {
        case .queued:
            status.state = .queued(since: newest.issuedAt)
            sentences.append(
                LocalizedText(
                    indonesian: "Kode ke-\(newest.ordinal) sedang dalam antrean pengiriman ke \(masked).",
                    english: "Code \(newest.ordinal) is queued for sending to \(masked)."))
        case .sending(let leaseUntil, _) where leaseUntil < time:
            // The process that was sending it stopped before recording the attempt (a crash, a
            // kill): the message is due again, and goes out at the next dispatcher round.
            let reason = LocalizedText(
                indonesian: "pengiriman sebelumnya terhenti sebelum selesai (prosesnya berhenti).",
                english: "the last attempt stopped before it finished (its process ended).")
            // The interrupted attempt was made though never recorded: it counts.
            status.state = .retrying(
                reason: reason, nextAttemptAt: leaseUntil, attempts: (message?.attempts.count ?? 0) + 1)
            sentences.append(
                LocalizedText(
                    indonesian: "Kode ke-\(newest.ordinal) belum pasti terkirim ke \(masked): \(reason.indonesian) "
                        + "Pesan akan dikirim lagi pada putaran pengiriman berikutnya; tidak perlu meminta kode baru.",
                    english: "Code \(newest.ordinal) may not have reached \(masked): \(reason.english) "
                        + "It will be sent again at the next dispatch round; there is no need to ask for a new code."))
        case .sending(let leaseUntil, let since):
            // Since the send began; a record from before the start was kept shows the last attempt's time.
            status.state = .sending(since: since ?? message?.attempts.last?.at ?? newest.issuedAt)
            // Should the sending process stop (a crash, a kill), nothing says so until its lease ends:
            // the person learns when the message goes again at the latest.
            let again = moment(
                SchoolTimeZone.wholeMinute(notBefore: leaseUntil), in: zone, seenAt: time, preposition: false)
            sentences.append(
                LocalizedText(
                    indonesian: "Kode ke-\(newest.ordinal) sedang dikirim ke \(masked). Bila pengiriman ini terhenti, "
                        + "pesan dapat dikirim lagi mulai \(again.indonesian), pada putaran pengiriman berikutnya; "
                        + "tidak perlu meminta kode baru.",
                    english: "Code \(newest.ordinal) is being sent to \(masked). Should this send stop, the message "
                        + "can be sent again from \(again.english), at the next dispatch round; there is no need to "
                        + "ask for a new code."))
        case .handedOver(let at):
            status.state = .handedOver(at: at, maskedAddress: masked)
            let when = moment(at, in: zone, seenAt: time)
            let check = audience.pick(
                LocalizedText(
                    indonesian: "Periksa kotak masuk dan folder spam.", english: "Check the inbox and the spam folder."),
                LocalizedText(
                    indonesian: "Pemilik akun perlu memeriksa kotak masuk dan folder spam.",
                    english: "The account's holder should check the inbox and the spam folder."))
            sentences.append(
                LocalizedText(
                    indonesian: "Kode ke-\(newest.ordinal) telah dikirim ke \(masked) \(when.indonesian). "
                        + check.indonesian,
                    english: "Code \(newest.ordinal) was sent to \(masked) \(when.english). " + check.english))
        case .retrying(let next, let disposition):
            let reason = retryReason(disposition, attempt: message?.attempts.last)
            let attempts = message?.attempts.count ?? 0
            status.state = .retrying(reason: reason, nextAttemptAt: next, attempts: attempts)
            // Rounded up to the whole minute, as every time a person may act on: never earlier than it is.
            let when = moment(SchoolTimeZone.wholeMinute(notBefore: next), in: zone, seenAt: time)
            if message?.attempts.last?.outcomeUnknown == true {
                // The message went out whole and only the server's answer was lost: it may well be in
                // the inbox, and its code works if it is, until the longest a code lives (no hand-over
                // was recorded to start its shorter lifetime). Saying "not sent" would send the person away.
                let until = moment(policy.expiry(of: newest), in: zone, seenAt: time, preposition: false)
                let look = audience.pick(
                    LocalizedText(
                        indonesian: "Periksa kotak masuk dan folder spam lebih dulu; bila kodenya ada, kode itu "
                            + "berlaku sampai \(until.indonesian).",
                        english: "Check the inbox and the spam folder first; if the code is there, it is valid until "
                            + "\(until.english)."),
                    LocalizedText(
                        indonesian: "Pemilik akun perlu memeriksa kotak masuk dan folder spam lebih dulu; bila "
                            + "kodenya ada, kode itu berlaku sampai \(until.indonesian).",
                        english: "The account's holder should check the inbox and the spam folder first; if the "
                            + "code is there, it is valid until \(until.english)."))
                sentences.append(
                    LocalizedText(
                        indonesian: "Kode ke-\(newest.ordinal) mungkin sudah sampai ke \(masked): \(reason.indonesian) "
                            + "\(look.indonesian) Bila belum ada, pesan yang sama dikirim lagi \(when.indonesian); "
                            + "tidak perlu meminta kode baru.",
                        english: "Code \(newest.ordinal) may already have reached \(masked): \(reason.english) "
                            + "\(look.english) If it is not there, the same message is sent again \(when.english); "
                            + "there is no need to ask for a new code."))
                break
            }
            sentences.append(
                LocalizedText(
                    indonesian: "Kode ke-\(newest.ordinal) belum terkirim ke \(masked): \(reason.indonesian) "
                        + "Percobaan berikutnya dijadwalkan \(when.indonesian); tidak perlu meminta kode baru.",
                    english: "Code \(newest.ordinal) has not reached \(masked) yet: \(reason.english) "
                        + "The next attempt is due \(when.english); there is no need to ask for a new code."))
        case .failed:
            let (reason, whatToDo) = failureReason(message?.attempts.last, address: address, for: audience)
            status.state = .failed(reason: reason, whatToDo: whatToDo)
            sentences.append(
                LocalizedText(
                    indonesian:
                        "Kode ke-\(newest.ordinal) tidak dapat dikirim ke \(masked): \(reason.indonesian) "
                        + whatToDo.indonesian,
                    english: "Code \(newest.ordinal) could not be delivered to \(masked): \(reason.english) "
                        + whatToDo.english))
        case .expired, .cancelled:
            status.state = .expired
        }

        var keysReplaced = false
        if case .exhausted = challenge.state {
            status.state = .attemptsExhausted
            // When the account is locked too, the resend sentence says so (and that is the whole story).
            sentences =
                lockedUntilUnlocked
                ? []
                : [
                    LocalizedText(
                        indonesian: "Terlalu banyak kode salah yang dimasukkan.",
                        english: "Too many wrong codes were entered.")
                ]
        } else if isFailed(status.state) {
            // Refused for good: that stays the news, and its advice, after the code's lifetime too (it was
            // never out there to expire); saying "expired before it was known to reach the mail server"
            // would hide the refusal and its reason.
        } else if let expiry = status.codeExpiresAt, time >= expiry {
            status.state = .expired
        } else if time >= policy.expiry(of: newest) {
            status.state = .expired
        } else if policy.noCodeCanBeChecked(in: challenge, at: time, keyRing: configuration.keyRing) {
            // Made under keys that are gone (a key file lost and made anew): no code can be checked any
            // more, as when it expired; a new code is made under the current key.
            status.state = .expired
            keysReplaced = true
        }
        if challenge.state.isOpen, status.state != .expired, status.state != .attemptsExhausted,
            !isFailed(status.state),
            let block = configuration.wrongCodeLimits.submissionBlock(facts.wrongCodeHistory, at: time)
        {
            // The account's own bound on wrong codes stops every submission and every new code, whatever
            // the open challenge still allows.
            status.state = .attemptsExhausted
            status.attemptsLeft = 0
            status.mayRequestNewCode = false
            status.newCodeAllowedAt = block.retryAt
            if let retryAt = block.retryAt {
                let when = moment(
                    SchoolTimeZone.wholeMinute(notBefore: retryAt), in: zone, seenAt: time, preposition: false)
                sentences = [
                    LocalizedText(
                        indonesian: "Terlalu banyak kode salah untuk akun ini. Kode dapat dimasukkan atau diminta lagi "
                            + "mulai \(when.indonesian).",
                        english: "Too many wrong codes for this account. Codes may be entered or asked for again "
                            + "from \(when.english).")
                ]
            } else {
                sentences = [lockSentence(for: audience)]
            }
        }
        if status.state == .expired {
            sentences = [
                keysReplaced
                    ? LocalizedText(
                        indonesian: "Kode ke-\(newest.ordinal) tidak dapat diperiksa lagi karena kunci kode sudah "
                            + "diganti; minta kode baru.",
                        english: "Code \(newest.ordinal) can no longer be checked because the code keys were "
                            + "replaced; ask for a new one.")
                    : newest.handedOverAt == nil
                        // Its e-mail never reached a mail server as far as anyone knows (the server was out
                        // of reach, or no dispatcher ran, for the code's whole life): said, not just "expired".
                        ? LocalizedText(
                            indonesian: "Kode ke-\(newest.ordinal) sudah kedaluwarsa sebelum emailnya dipastikan "
                                + "diterima server email.",
                            english: "Code \(newest.ordinal) expired before its e-mail was known to reach the mail "
                                + "server.")
                        : LocalizedText(
                            indonesian: "Kode ke-\(newest.ordinal) sudah kedaluwarsa.",
                            english: "Code \(newest.ordinal) has expired.")
            ]
        } else if status.state == .attemptsExhausted || isFailed(status.state) {
            // Nothing to say about validity: no code of this challenge will be accepted or arrive.
        } else if let expiry = status.codeExpiresAt {
            let until = untilExpiry(of: status, expiry, in: zone, seenAt: time)
            sentences.append(
                LocalizedText(
                    indonesian: "Kode berlaku sampai \(until.indonesian).",
                    english: "The code is valid until \(until.english)."))
        } else {
            let minutes = Int(policy.codeLifetimeAfterHandOver.timeInterval / 60)
            sentences.append(
                LocalizedText(
                    indonesian: "Kode berlaku \(minutes) menit sejak email diserahkan ke server email.",
                    english: "The code is valid for \(minutes) minutes from when the e-mail reaches the mail server."))
        }
        if let returned = message?.returned, status.state != .attemptsExhausted {
            describeReturn(
                returned, ordinal: newest.ordinal, zone: zone, seenAt: time, for: audience, in: &status, &sentences)
        } else if let ended = message?.delayEnded, case .handedOver = status.state {
            describeDelayEnd(
                ended, ordinal: newest.ordinal, zone: zone, seenAt: time, for: audience, in: &status, &sentences)
        } else if let earlier = facts.earlierReturn, status.state != .attemptsExhausted, !isFailed(status.state) {
            describeEarlierReturn(
                earlier.record, ordinal: earlier.ordinal, zone: zone, seenAt: time, for: audience, in: &status,
                &sentences)
        }
        // Earlier codes are accepted only while the challenge is open and its newest code is valid.
        let earlierCodesWork =
            challenge.state.isOpen && status.state != .expired
            && status.state != .attemptsExhausted && !isFailed(status.state)
        // A new code after the challenge's last one starts a new challenge, which cancels this one.
        let rollsOver = next.id != challenge.id
        let earlierCodes: EarlierCodes =
            !earlierCodesWork ? .unmentioned : rollsOver ? .stopWithTheNextCode : .keepWorking
        sentences.append(
            resendSentence(
                status, zone: zone, seenAt: time, earlierCodes: earlierCodes,
                lockedUntilUnlocked: lockedUntilUnlocked, for: audience))
        status.explanation = LocalizedText(joining: sentences)
        return status
    }

    /// Whether the status of an unverified account whose latest challenge is `challenge` tells of its
    /// codes and reads their messages: not once it was cancelled, nor once it was verified (the account
    /// was given another address since, perhaps the same one again later: that code is not this
    /// verification's, and the next code starts a new challenge). The outbox retention removes the
    /// messages of a challenge for which this is false (``challengesReadByStatus(of:)``).
    func statusReadsMessages(of challenge: VerificationChallenge) -> Bool {
        switch challenge.state {
        case .cancelled, .verified: false
        case .open, .exhausted: true
        }
    }

    func isFailed(_ state: DeliveryStatus.State) -> Bool {
        if case .failed = state { true } else { false }
    }

    /// An instant for a sentence, on the school's clock: `pukul 10.17 WIB` / `at 10:17 WIB (UTC+7)`
    /// when it falls on the day the person reads it, with the full date otherwise (`pada Kamis, 2
    /// Juli 2026 pukul 00.20 WIT` / `on Thursday, …`). Without `preposition`, for "until" and
    /// "from": `pukul 10.17 WIB` / `10:17 WIB (UTC+7)`, `Kamis, 2 Juli …` / `Thursday, 2 July …`.
    func moment(_ date: Date, in zone: SchoolTimeZone, seenAt time: Date, preposition: Bool = true)
        -> LocalizedText
    {
        if zone.isSameDay(date, time) {
            return LocalizedText(
                indonesian: "pukul " + zone.formattedTime(date, language: .indonesian),
                english: (preposition ? "at " : "") + zone.formattedTime(date, language: .english))
        }
        return LocalizedText(
            indonesian: (preposition ? "pada " : "") + zone.formattedDateTime(date, language: .indonesian),
            english: (preposition ? "on " : "") + zone.formattedDateTime(date, language: .english))
    }

    /// ``moment(_:in:seenAt:preposition:)`` of the code's expiry without a preposition, from the
    /// expiry texts `status` holds already (``DeliveryStatus/codeExpiresAtText``,
    /// ``DeliveryStatus/codeExpiryDescription``) rather than formatted again: the same words.
    func untilExpiry(of status: DeliveryStatus, _ expiry: Date, in zone: SchoolTimeZone, seenAt time: Date)
        -> LocalizedText
    {
        guard let time24 = status.codeExpiresAtText, let description = status.codeExpiryDescription else {
            return moment(expiry, in: zone, seenAt: time, preposition: false)
        }
        if zone.isSameDay(expiry, time) {
            return LocalizedText(
                indonesian: "pukul " + time24, english: zone.formattedTime(expiry, language: .english))
        }
        return description
    }

    /// That the account's wrong codes in a row locked it, and who unlocks it, told to `audience`.
    func lockSentence(for audience: StatusAudience) -> LocalizedText {
        let unlocker = audience.pick(
            holder: LocalizedText(
                indonesian: "Operator sekolah perlu membuka kuncinya.",
                english: "The school operator needs to unlock it."),
            operatorItself: LocalizedText(
                indonesian: "Administrator sistem perlu membuka kuncinya.",
                english: "An administrator of the system needs to unlock it."),
            staff: LocalizedText(
                indonesian: "Operator sekolah perlu membuka kuncinya.",
                english: "The school operator needs to unlock it."))
        return LocalizedText(
            indonesian: "Terlalu banyak kode salah berturut-turut untuk akun ini. " + unlocker.indonesian,
            english: "Too many wrong codes in a row for this account. " + unlocker.english)
    }

    /// What a status says of the challenge's earlier codes beside a new code that may be asked for now.
    enum EarlierCodes {
        /// Nothing: none is accepted (the challenge is closed, or its newest code expired or failed),
        /// so saying anything could contradict the policy.
        case unmentioned
        /// They are accepted, and stay so after a new code.
        case keepWorking
        /// They are accepted, but the next code starts a new challenge, which ends them.
        case stopWithTheNextCode
    }

    /// What the account's holder may do about a new code, told to `audience`, and what becomes of
    /// the earlier codes (`earlierCodes`) when one is asked for now. `lockedUntilUnlocked` says that
    /// no new code is refused for a sending limit but for the account's lock (wrong codes in a row).
    func resendSentence(
        _ status: DeliveryStatus, zone: SchoolTimeZone, seenAt time: Date, earlierCodes: EarlierCodes = .unmentioned,
        lockedUntilUnlocked: Bool = false, for audience: StatusAudience
    ) -> LocalizedText {
        if status.mayRequestNewCode {
            let who = audience.pick(
                LocalizedText(indonesian: "Anda", english: "You"),
                LocalizedText(indonesian: "Pemilik akun", english: "The account's holder"))
            let (indonesian, english) =
                switch earlierCodes {
                case .unmentioned: (".", ".")
                case .keepWorking:
                    (
                        "; kode sebelumnya yang belum kedaluwarsa tetap berlaku.",
                        "; earlier codes that have not expired still work."
                    )
                case .stopWithTheNextCode:
                    (
                        "; kode sebelumnya tidak berlaku lagi begitu kode baru diminta.",
                        "; earlier codes stop working as soon as a new one is asked for."
                    )
                }
            return LocalizedText(
                indonesian: "\(who.indonesian) dapat meminta kode baru sekarang (sisa \(status.codesLeft) kode)"
                    + indonesian,
                english: "\(who.english) may ask for a new code now (\(status.codesLeft) left)" + english)
        }
        if let at = status.newCodeAllowedAt {
            let when = moment(SchoolTimeZone.wholeMinute(notBefore: at), in: zone, seenAt: time, preposition: false)
            return LocalizedText(
                indonesian: "Kode baru dapat diminta mulai \(when.indonesian).",
                english: "A new code may be asked for from \(when.english).")
        }
        if lockedUntilUnlocked { return lockSentence(for: audience) }
        return audience.pick(
            holder: LocalizedText(
                indonesian: "Batas pengiriman kode tercapai; hubungi operator sekolah.",
                english: "The code sending limit is reached; contact the school operator."),
            operatorItself: LocalizedText(
                indonesian: "Batas pengiriman kode tercapai; hubungi administrator sistem.",
                english: "The code sending limit is reached; contact the administrator of the system."),
            staff: LocalizedText(
                indonesian: "Batas pengiriman kode untuk akun ini tercapai.",
                english: "The code sending limit for this account is reached."))
    }

    func retryReason(_ disposition: OutboxMessage.Disposition, attempt: OutboxMessage.Attempt?) -> LocalizedText {
        if disposition == .misconfigured {
            // Said without "administrators have been alerted": whether anyone is told depends on
            // the embedding application's `onMisconfiguration`, which the service cannot know.
            return LocalizedText(
                indonesian: "server pengirim email salah konfigurasi; pesan disimpan dan dikirim setelah pengelola "
                    + "server memperbaikinya.",
                english: "the sending mail server is misconfigured; the message is kept and sent once the server's "
                    + "administrators fix it.")
        }
        if attempt?.outcomeUnknown == true {
            return LocalizedText(
                indonesian: "server email tidak menjawab setelah pesan terkirim utuh (sambungannya terputus atau "
                    + "waktunya habis), jadi belum diketahui apakah server menerimanya.",
                english: "no answer came from the mail server after the whole message was sent (the connection "
                    + "broke or the time ran out), so whether the server took it is unknown.")
        }
        let code = attempt?.replyCode.map { " (\($0))" } ?? ""
        // A full mailbox (RFC 5321 §4.5.3.1.10's 552 to RCPT, or the enhanced status X.2.2 of RFC 3463):
        // neither the server's fault nor a wrong address.
        let reply = attempt?.serverReply ?? ""
        if attempt?.replyCode == 552 || reply.contains("4.2.2") || reply.contains("5.2.2") {
            return LocalizedText(
                indonesian: "kotak surat penerima penuh\(code); dikirim lagi nanti, bila sudah ada tempat.",
                english: "the recipient's mailbox is full\(code); it is sent again later, once there is room.")
        }
        return LocalizedText(
            indonesian: "server email sedang sibuk atau tidak dapat dihubungi\(code).",
            english: "the mail server is busy or unreachable\(code).")
    }

    /// Why a permanent refusal happened, and what `audience` can do about it.
    func failureReason(_ attempt: OutboxMessage.Attempt?, address: EmailAddress, for audience: StatusAudience)
        -> (LocalizedText, LocalizedText)
    {
        let code = attempt?.replyCode.map { " (\($0))" } ?? ""
        // The server's own reply, never the transport's detail (which may name local programs and
        // files). It often quotes the address; the status shows it masked, as everywhere.
        let detail =
            attempt?.serverReply.map {
                " [\($0.replacing(address.value, with: address.masked).replacing(address.canonical, with: address.masked))]"
            } ?? ""
        let reply = attempt?.serverReply ?? ""
        if attempt?.replyCode == 552 || reply.contains("5.2.2") {
            // A full mailbox refused for good (RFC 3463 X.2.2): the address is right.
            return (
                LocalizedText(
                    indonesian: "kotak surat penerima penuh\(code)\(detail).",
                    english: "the recipient's mailbox is full\(code)\(detail)."),
                audience.pick(
                    LocalizedText(
                        indonesian: "Alamatnya benar. Kosongkan sebagian kotak surat itu, lalu minta kode baru.",
                        english: "The address is right. Make room in that mailbox, then ask for a new code."),
                    LocalizedText(
                        indonesian: "Alamatnya benar. Pemilik akun perlu mengosongkan sebagian kotak suratnya, lalu "
                            + "meminta kode baru.",
                        english: "The address is right. The account's holder needs to make room in the mailbox, "
                            + "then ask for a new code."))
            )
        }
        if let attempt, attempt.replyCode == nil, let status = attempt.exitStatus {
            // A local sendmail's refusal (sysexits.h), not a receiving server's: said as the mail system's.
            let why: LocalizedText =
                switch status {
                case 67: LocalizedText(indonesian: "alamat penerima tidak dikenal", english: "the address is unknown")
                case 68: LocalizedText(indonesian: "domain penerima tidak dikenal", english: "the domain is unknown")
                default: LocalizedText(indonesian: "pesan ditolak", english: "the message was refused")
                }
            return (
                LocalizedText(
                    indonesian: "sistem email pengirim menolaknya untuk selamanya: \(why.indonesian) (sendmail "
                        + "keluar dengan status \(status)).",
                    english: "the sending mail system refused it for good: \(why.english) (sendmail exited with "
                        + "status \(status))."),
                audience.pick(
                    holder: LocalizedText(
                        indonesian: "Periksa apakah alamat \(address.masked) benar; perbaiki bila salah, lalu minta "
                            + "kode baru. Bila alamatnya benar, hubungi operator sekolah.",
                        english: "Check that \(address.masked) is right; correct it if it is wrong, then ask for a new "
                            + "code. If it is right, contact the school operator."),
                    // The operator is the school operator: the sending mail system is the administrator's.
                    operatorItself: LocalizedText(
                        indonesian: "Periksa apakah alamat \(address.masked) benar; perbaiki bila salah, lalu minta "
                            + "kode baru. Bila alamatnya benar, hubungi administrator sistem.",
                        english: "Check that \(address.masked) is right; correct it if it is wrong, then ask for a new "
                            + "code. If it is right, contact the administrator of the system."),
                    staff: LocalizedText(
                        indonesian: "Periksa apakah alamat \(address.masked) benar; perbaiki bila salah. Bila benar, "
                            + "pengelola server email perlu memeriksa sendmail.",
                        english: "Check that \(address.masked) is right; correct it if it is wrong. If it is right, "
                            + "the mail server's administrators need to look at sendmail."))
            )
        }
        if let attempt, Self.isPolicyRejection(attempt) {
            return (
                LocalizedText(
                    indonesian:
                        "server email penerima menolak pesan sebagai spam atau karena kebijakannya\(code)\(detail).",
                    english: "the receiving mail server refused the message as spam or by its policy\(code)\(detail)."),
                audience.pick(
                    LocalizedText(
                        indonesian: "Alamatnya mungkin benar. Minta kode baru nanti; bila ditolak lagi, pakai alamat "
                            + "email lain atau minta penyedia email penerima mengizinkan pengirim ini.",
                        english: "The address may well be right. Ask for a new code later; if it is refused again, "
                            + "use another address or ask the recipient's mail provider to allow this sender."),
                    LocalizedText(
                        indonesian: "Alamatnya mungkin benar. Pemilik akun dapat meminta kode baru nanti; bila ditolak "
                            + "lagi, ganti alamatnya atau minta penyedia email penerima mengizinkan pengirim ini.",
                        english: "The address may well be right. The account's holder can ask for a new code later; "
                            + "if it is refused again, change the address or ask the recipient's mail provider to "
                            + "allow this sender."))
            )
        }
        return (
            LocalizedText(
                indonesian: "server email penerima menolak pesan\(code)\(detail).",
                english: "the receiving mail server refused the message\(code)\(detail)."),
            audience.pick(
                LocalizedText(
                    indonesian: "Periksa apakah alamat \(address.masked) benar dan aktif; perbaiki alamat bila salah, "
                        + "lalu minta kode baru.",
                    english: "Check that \(address.masked) is right and active; correct it if it is wrong, "
                        + "then ask for a new code."),
                LocalizedText(
                    indonesian: "Periksa apakah alamat \(address.masked) benar dan aktif; perbaiki alamat bila salah. "
                        + "Lalu pemilik akun dapat meminta kode baru.",
                    english: "Check that \(address.masked) is right and active; correct it if it is wrong. "
                        + "The account's holder can then ask for a new code."))
        )
    }

    /// Whether a permanent refusal is about the message (spam, policy: RFC 3463 §3.8 `5.7.x`), not
    /// about the address: then "check the address" would be the wrong advice. Read from the
    /// server's reply, or from the detail of an attempt recorded before replies were kept apart.
    static func isPolicyRejection(_ attempt: OutboxMessage.Attempt) -> Bool {
        let detail = (attempt.serverReply ?? attempt.detail ?? "").lowercased()
        return detail.contains("spam") || detail.contains(" 5.7.") || detail.hasPrefix("5.7.")
            || detail.contains("policy")
    }
}

extension LocalizedText {
    /// `sentences` one after another, separated by a space, in each language.
    fileprivate init(joining sentences: [LocalizedText]) {
        // Sized once: the sentences and the spaces between them, instead of growing as they are appended.
        var indonesianCount = max(0, sentences.count - 1)
        var englishCount = indonesianCount
        for sentence in sentences {
            indonesianCount += sentence.indonesian.utf8.count
            englishCount += sentence.english.utf8.count
        }
        var indonesian = ""
        var english = ""
        indonesian.reserveCapacity(indonesianCount)
        english.reserveCapacity(englishCount)
        for (index, sentence) in sentences.enumerated() {
            if index > 0 {
                indonesian.append(" ")
                english.append(" ")
            }
            indonesian.append(sentence.indonesian)
            english.append(sentence.english)
        }
        self.init(indonesian: indonesian, english: english)
    }
}
