#if canImport(FoundationEssentials)
    import DapodikLanguage
    import FoundationEssentials
#else
    import Foundation
#endif

extension VerificationEvent.Kind {
    /// A code (or notice) e-mail that the mail server had accepted came back for good (a bounce
    /// with a 5.x.x status); ``VerificationEvent/detail`` holds the status code.
    public static let deliveryReturned = VerificationEvent.Kind("deliveryReturned")
    /// The receiving side reported an accepted e-mail as delayed (4.x.x), still being tried.
    public static let deliveryDelayed = VerificationEvent.Kind("deliveryDelayed")
    /// The receiving side reported an e-mail it had delayed as delivered, or passed on, after all
    /// (RFC 3464 `delivered`, `relayed` or `expanded`): the delay is over.
    public static let delayEnded = VerificationEvent.Kind("delayEnded")
}

extension VerificationError.Code {
    /// An incoming message could not be read as mail (too large, nested too deeply, no header);
    /// ``VerificationError/message`` says which. Nothing was changed.
    public static let unreadableBounce = VerificationError.Code("unreadableBounce")
}

extension OutboxMessage {
    /// What a bounce said about a message after hand-over, as stored.
    struct ReturnRecord: Codable, Hashable {
        var reportedAt: Date
        var failed: Bool
        var status: String
        var diagnostic: String?
        var willRetryUntil: Date?
    }

    /// The end of a recorded delay, as stored: when it was reported and whether the report said
    /// the message reached the mailbox (`delivered`) or only went on to another mail system
    /// (`relayed`, `expanded`).
    struct DelayEndRecord: Codable, Hashable {
        var reportedAt: Date
        var intoMailbox: Bool
    }
}

// Bounces: reading what comes back to the return addresses, and recording it.
extension VerificationService {
    /// Reads one incoming message delivered to a return address and, if it is an authenticated
    /// bounce of an outbox message, records it: a failure (5.x.x) closes the message as failed, a
    /// delay (4.x.x) is noted with the time the receiving side gives up, and a report of success
    /// after a recorded delay ends the delay; each in one conditional commit with an event
    /// (``VerificationEvent/Kind/deliveryReturned``, ``VerificationEvent/Kind/deliveryDelayed`` or
    /// ``VerificationEvent/Kind/delayEnded``). The person's next ``deliveryStatus(for:by:)`` says
    /// it. A report of success with no delay before it changes nothing
    /// (``BounceProcessingResult/Outcome/noFailure``): the status already says the mail server
    /// accepted the code.
    ///
    /// The message is matched by its return token only (``Configuration/returnPathLocalPart``),
    /// never by what the bounce claims: the token names the outbox message and carries an HMAC
    /// under a subkey of the key ring, so a bounce without a valid token, or whose returned
    /// Message-ID names another message, changes nothing. Reading a bounce twice changes nothing
    /// the second time.
    /// - Parameters:
    ///   - bytes: The whole message, as the mail system delivered it.
    ///   - deliveredTo: The envelope recipient, when the caller knows it (Postfix `pipe`'s
    ///     `${recipient}`); otherwise the delivery headers (`Delivered-To`, `X-Original-To`, `To`)
    ///     and the returned `Return-Path` are tried.
    /// - Returns: What came of it; every outcome but ``BounceProcessingResult/Outcome/recorded`` and
    ///   ``BounceProcessingResult/Outcome/delayEnded`` changed nothing.
    /// - Throws: ``VerificationError/Code/unreadableBounce`` when the bytes are not a readable
    ///   message (hostile, truncated, too large), ``VerificationError/Code/storage`` if the store
    ///   fails. An auto-reply, a forged bounce or a bounce of an unknown message is *not* an error.
    public func processBounce(_ bytes: some Collection<UInt8>, deliveredTo: String? = nil)
        async throws(VerificationError) -> BounceProcessingResult
    {
        let report: BounceReport
        do {
            report = try BounceReport(bytes: bytes)
        } catch {
            throw VerificationError(.unreadableBounce, message: error.message)
        }
        switch report.kind {
        case .autoReply:
            return BounceProcessingResult(outcome: .autoReply, report: report)
        case .notABounce:
            return BounceProcessingResult(outcome: .notABounce, report: report)
        case .deliveryStatusNotification, .nonStandardBounce:
            break
        }
        var candidates: [String] = []
        if let deliveredTo { candidates.append(deliveredTo) }
        candidates += report.returnAddresses
        var outboxID: UUID?
        for candidate in candidates where outboxID == nil { outboxID = self.outboxID(fromReturnPath: candidate) }
        guard let id = outboxID else { return BounceProcessingResult(outcome: .unauthenticated, report: report) }
        return try await perform {
            try await retryingConflicts { try await recordBounce(report, about: id) }
        }
    }

    /// Reads every new message of a bounce Maildir with ``processBounce(_:deliveredTo:)`` and
    /// moves each one dealt with to `cur/` (seen), so it is read once. An unreadable message is
    /// dealt with too (its result says why), and so is an entry that is not a message file at all (a
    /// directory, a symbolic link, a named pipe) or a file that cannot be read (no permission, a disk
    /// error): moved to `cur/` unread, so it blocks nothing; a message another reader took first is
    /// skipped.
    /// - Parameter inbox: The Maildir the mail system delivers bounces into.
    /// - Returns: One result per message read, oldest first.
    /// - Throws: ``VerificationError/Code/storage`` if the store fails or `new/` cannot be listed or
    ///   a message cannot be moved to `cur/`. The messages before that one were dealt with (the
    ///   error's message says how many); it and the ones after it stay in `new/` for the next run,
    ///   where a bounce already recorded is not recorded twice.
    public func processBounces(in inbox: MaildirInbox) async throws(VerificationError) -> [BounceProcessingResult] {
        let names: [String]
        do { names = try inbox.newMessages() } catch { throw VerificationError.maildirStopped(error, dealtWith: 0) }
        var results: [BounceProcessingResult] = []
        for name in names {
            let loaded: [UInt8]?
            var result: BounceProcessingResult?
            do {
                loaded = try inbox.message(named: name, maximumBytes: BounceReadingLimits().maximumBytes)
            } catch {
                // Not a message (a directory, a link, a named pipe) or a file that cannot be read (no
                // permission, a disk error): out of the way, with the reason, so the messages behind
                // it are read. It stays in cur/ for a person to look at.
                loaded = nil
                result = BounceProcessingResult(outcome: .unreadable, readingError: error)
            }
            do throws(VerificationError) {
                if let loaded { result = try await processMaildirMessage(loaded) }
            } catch {
                // Nothing of this message changed; say so without hiding the ones already dealt with.
                throw results.isEmpty ? error : VerificationError.maildirStopped(error, dealtWith: results.count)
            }
            guard var result else { continue }
            result.fileName = name
            let moved: Bool
            do {
                moved = try inbox.markSeen(name)
            } catch {
                throw VerificationError.maildirStopped(error, dealtWith: results.count)
            }
            if moved { results.append(result) }
        }
        return results
    }

    /// One Maildir message: its result, or ``BounceProcessingResult/Outcome/unreadable`` with the
    /// reason, so an unreadable message is dealt with instead of blocking the ones behind it.
    func processMaildirMessage(_ bytes: [UInt8]) async throws(VerificationError) -> BounceProcessingResult {
        do {
            return try await processBounce(bytes)
        } catch {
            guard error.code == .unreadableBounce else { throw error }
            var readingError: BounceReadingError?
            do { _ = try BounceReport(bytes: bytes) } catch { readingError = error }
            return BounceProcessingResult(outcome: .unreadable, readingError: readingError)
        }
    }

    /// Records `report` on outbox message `id`, if it applies: one conditional commit.
    func recordBounce(_ report: BounceReport, about id: UUID) async throws -> BounceProcessingResult {
        var result = BounceProcessingResult(outcome: .notApplicable, report: report)
        guard let loaded = try await store.load(OutboxMessage.storedKey(id)) else {
            result.outcome = .unknownMessage
            return result
        }
        var message = loaded.value
        result.messageID = message.messageID
        result.account = message.account
        if let original = report.originalMessageID, original != message.messageID {
            result.outcome = .messageMismatch
            return result
        }
        guard let recipient = report.mostSevereReport(for: message.recipient.value) else {
            result.outcome = .noReportForRecipient
            return result
        }
        guard recipient.action == .failed || recipient.action == .delayed else {
            return try await recordDelayEnd(recipient, of: loaded, into: result)
        }
        let failed = recipient.action == .failed
        // A delay may be followed by a failure; nothing else replaces what is recorded. After a
        // delay ended in the mailbox, a delay report is an older one, arrived late; after one passed
        // on to another mail system, it is that system's delay, recorded as new.
        switch (message.state, message.returned) {
        case (.handedOver, nil) where message.delayEnded?.intoMailbox != true || failed: break
        case (.handedOver, nil):
            result.outcome = .alreadyRecorded
            return result
        case (.handedOver, .some(let earlier)) where !earlier.failed && failed: break
        case (.handedOver, .some), (.failed, .some):
            result.outcome = .alreadyRecorded
            return result
        default:
            result.outcome = .notApplicable
            return result
        }
        let time = now
        let record = OutboxMessage.ReturnRecord(
            reportedAt: time, failed: failed, status: recipient.status.description,
            diagnostic: recipient.diagnostic, willRetryUntil: failed ? nil : recipient.willRetryUntil)
        message.returned = record
        message.delayEnded = nil
        if failed { message.state = .failed(at: time) }
        var batch = Batch()
        try batch.put(message, replacing: loaded.version)
        batch.record(
            failed ? .deliveryReturned : .deliveryDelayed, at: time, by: nil, account: message.account,
            school: message.school, email: message.recipient,
            detail: "\(failed ? "returned" : "delayed") \(record.status) message \(message.messageID)")
        try await commit(batch)
        result.outcome = .recorded
        result.returned = returnedDelivery(record, for: .schoolStaff)
        return result
    }

    /// Records a report of success (`delivered`, `relayed`, `expanded`) on the message if it ends a
    /// recorded delay (the delay is cleared, so no status goes on saying the receiving side is still
    /// trying), or tells that an e-mail passed on after its delay reached the mailbox. Otherwise (no
    /// delay recorded, a failure, the same news again) nothing changes.
    private func recordDelayEnd(
        _ recipient: BounceReport.RecipientReport, of loaded: Loaded<OutboxMessage>, into result: BounceProcessingResult
    ) async throws -> BounceProcessingResult {
        var result = result
        let intoMailbox = recipient.action == .delivered
        var message = loaded.value
        guard case .handedOver = message.state else {
            result.outcome = .noFailure
            return result
        }
        let delayStatus: String
        if let delay = message.returned, !delay.failed {
            delayStatus = delay.status
        } else if let ended = message.delayEnded, !ended.intoMailbox, intoMailbox {
            delayStatus = "ended"
        } else {
            result.outcome = message.delayEnded == nil ? .noFailure : .alreadyRecorded
            return result
        }
        let time = now
        message.returned = nil
        message.delayEnded = OutboxMessage.DelayEndRecord(reportedAt: time, intoMailbox: intoMailbox)
        var batch = Batch()
        try batch.put(message, replacing: loaded.version)
        batch.record(
            .delayEnded, at: time, by: nil, account: message.account, school: message.school,
            email: message.recipient,
            detail: "\(intoMailbox ? "delivered" : "passed on") after delay \(delayStatus) message \(message.messageID)"
        )
        try await commit(batch)
        result.outcome = .delayEnded
        return result
    }

    /// The public view of a stored return record, its advice told to `audience`.
    func returnedDelivery(_ record: OutboxMessage.ReturnRecord, for audience: StatusAudience) -> ReturnedDelivery? {
        guard let code = DeliveryStatusCode(record.status) else { return nil }
        let outcome: ReturnedDelivery.Outcome = record.failed ? .failed : .delayed
        let (reason, advice, wrong) = ReturnedDelivery.explanation(of: code, outcome: outcome, for: audience)
        return ReturnedDelivery(
            outcome: outcome, statusCode: code, reportedAt: record.reportedAt, willRetryUntil: record.willRetryUntil,
            diagnostic: record.diagnostic, reason: reason, advice: advice, addressLikelyWrong: wrong)
    }

    /// Sets `status.returned` from a stored return record, for the two descriptions below.
    /// - Returns: The return, its status code as text and when it was reported, in words; `nil` for a
    ///   record whose status code does not parse (then nothing is set).
    private func recordReturn(
        _ record: OutboxMessage.ReturnRecord, zone: SchoolTimeZone, seenAt time: Date, for audience: StatusAudience,
        in status: inout DeliveryStatus
    ) -> (returned: ReturnedDelivery, code: String, when: LocalizedText)? {
        guard let returned = returnedDelivery(record, for: audience) else { return nil }
        status.returned = returned
        return (returned, returned.statusCode.description, moment(returned.reportedAt, in: zone, seenAt: time))
    }

    /// Puts the return of an earlier code of the challenge into the delivery status of a newer one
    /// that has no report of its own: the newer code went to the same address, so the person is told
    /// what came back and what to do, while the newer code's own state stays as it is.
    func describeEarlierReturn(
        _ record: OutboxMessage.ReturnRecord, ordinal: Int, zone: SchoolTimeZone, seenAt time: Date,
        for audience: StatusAudience, in status: inout DeliveryStatus, _ sentences: inout [LocalizedText]
    ) {
        guard let (returned, code, when) = recordReturn(record, zone: zone, seenAt: time, for: audience, in: &status)
        else { return }
        let what =
            returned.outcome == .failed
            ? LocalizedText(
                indonesian: "Email kode ke-\(ordinal) ke alamat yang sama dikembalikan oleh server penerima "
                    + "\(when.indonesian): \(returned.reason.indonesian) (\(code)); kode yang lebih baru mungkin "
                    + "juga tidak sampai.",
                english: "The e-mail of code \(ordinal) to the same address was returned by the receiving mail "
                    + "server \(when.english): \(returned.reason.english) (\(code)); the newer code may not arrive "
                    + "either.")
            : LocalizedText(
                indonesian: "Server penerima menunda email kode ke-\(ordinal) ke alamat yang sama "
                    + "\(when.indonesian): \(returned.reason.indonesian) (\(code)).",
                english: "The receiving mail server delayed the e-mail of code \(ordinal) to the same address "
                    + "\(when.english): \(returned.reason.english) (\(code)).")
        sentences.insert(
            LocalizedText(
                indonesian: what.indonesian + " " + returned.advice.indonesian,
                english: what.english + " " + returned.advice.english), at: min(1, sentences.count))
    }

    /// Puts the end of a recorded delay into the delivery status: when the receiving side reported
    /// the code's e-mail delivered (or passed on) after all, and where to look when it is not in the
    /// inbox. `audience` decides who is told to look.
    func describeDelayEnd(
        _ record: OutboxMessage.DelayEndRecord, ordinal: Int, zone: SchoolTimeZone, seenAt time: Date,
        for audience: StatusAudience, in status: inout DeliveryStatus, _ sentences: inout [LocalizedText]
    ) {
        status.delayEndedAt = record.reportedAt
        let when = moment(record.reportedAt, in: zone, seenAt: time)
        let said =
            record.intoMailbox
            ? LocalizedText(
                indonesian: "Server penerima, yang sempat menunda kode ke-\(ordinal), melaporkan emailnya sudah masuk "
                    + "ke kotak surat \(when.indonesian).",
                english: "The receiving mail server, which had delayed code \(ordinal), reported its e-mail delivered "
                    + "to the mailbox \(when.english).")
            : LocalizedText(
                indonesian: "Server penerima, yang sempat menunda kode ke-\(ordinal), melaporkan emailnya sudah "
                    + "diteruskan ke server email berikutnya \(when.indonesian); kode seharusnya segera tiba.",
                english: "The receiving mail server, which had delayed code \(ordinal), reported its e-mail passed on "
                    + "to the next mail server \(when.english); the code should arrive soon.")
        let look = audience.pick(
            LocalizedText(
                indonesian: "Bila tidak ada di Kotak Masuk, periksa folder Spam.",
                english: "If it is not in the inbox, look in the spam folder."),
            LocalizedText(
                indonesian: "Bila pemilik akun tidak melihatnya di Kotak Masuk, ia dapat memeriksa folder Spam.",
                english: "If the account's holder does not see it in the inbox, they can look in the spam folder."))
        sentences.insert(
            LocalizedText(
                indonesian: said.indonesian + " " + look.indonesian, english: said.english + " " + look.english),
            at: min(1, sentences.count))
    }

    /// Puts a bounce into the delivery status: a returned code is a failure whose reason and advice
    /// come from the status code; a delayed one adds a sentence to the hand-over. What to do is told
    /// to `audience`.
    func describeReturn(
        _ record: OutboxMessage.ReturnRecord, ordinal: Int, zone: SchoolTimeZone, seenAt time: Date,
        for audience: StatusAudience, in status: inout DeliveryStatus, _ sentences: inout [LocalizedText]
    ) {
        guard let (returned, code, when) = recordReturn(record, zone: zone, seenAt: time, for: audience, in: &status)
        else { return }
        if returned.outcome == .failed {
            let reason = LocalizedText(
                indonesian: "kode dikembalikan oleh server penerima: \(returned.reason.indonesian) (\(code)).",
                english: "the code was returned by the receiving mail server: \(returned.reason.english) (\(code)).")
            status.state = .failed(reason: reason, whatToDo: returned.advice)
            sentences = [
                LocalizedText(
                    indonesian: "Kode ke-\(ordinal) dikembalikan oleh server penerima \(when.indonesian): "
                        + "\(returned.reason.indonesian) (\(code)) — \(returned.advice.indonesian)",
                    english: "Code \(ordinal) was returned by the receiving mail server \(when.english): "
                        + "\(returned.reason.english) (\(code)) — \(returned.advice.english)")
            ]
            return
        }
        var indonesian =
            "Server penerima menunda penyampaian kode ke-\(ordinal): \(returned.reason.indonesian) (\(code))"
        var english = "The receiving mail server is delaying code \(ordinal): \(returned.reason.english) (\(code))"
        if let until = returned.willRetryUntil {
            let limit = moment(until, in: zone, seenAt: time, preposition: false)
            indonesian += "; server itu terus mencoba sampai \(limit.indonesian)"
            english += "; it keeps trying until \(limit.english)"
        }
        let advice: LocalizedText
        if returned.statusCode.subject == 2, returned.statusCode.detail == 2 {
            advice = audience.pick(
                LocalizedText(
                    indonesian: "Kosongkan kotak surat agar kode dapat masuk.",
                    english: "Make room in the mailbox so the code can arrive."),
                LocalizedText(
                    indonesian: "Pemilik akun perlu mengosongkan kotak suratnya agar kode dapat masuk.",
                    english: "The account's holder needs to make room in the mailbox so the code can arrive."))
        } else {
            advice = audience.pick(
                LocalizedText(
                    indonesian: "Kode mungkin masih tiba; bila tidak, minta kode baru nanti.",
                    english: "The code may still arrive; if it does not, ask for a new code later."),
                LocalizedText(
                    indonesian: "Kode mungkin masih tiba; bila tidak, pemilik akun dapat meminta kode baru nanti.",
                    english: "The code may still arrive; if it does not, the account's holder can ask for a new "
                        + "code later."))
        }
        indonesian += ". " + advice.indonesian
        english += ". " + advice.english
        sentences.insert(LocalizedText(indonesian: indonesian, english: english), at: min(1, sentences.count))
    }
}

extension SchoolReport {
    /// How many entries' newest code came back as a bounce (returned for good or delayed).
    public var returnedCount: Int { entries.filter { $0.returnedDelivery != nil }.count }

    /// The entries whose address a bounce flagged for the operator: returned for good with a
    /// status that says the address itself is wrong or unusable.
    public var flaggedAddresses: [Entry] {
        entries.filter { entry in
            guard let returned = entry.returnedDelivery else { return false }
            return returned.outcome == .failed && returned.addressLikelyWrong
        }
    }
}

extension SchoolReport.Entry {
    /// What a bounce said about this account's newest code, if one came back.
    public var returnedDelivery: ReturnedDelivery? {
        switch standing {
        case .pending(let status), .undeliverable(let status): status.returned
        case .verified, .neverStarted: nil
        }
    }
}
