#if canImport(FoundationEssentials)
    import DapodikLanguage
    import FoundationEssentials
#else
    import Foundation
#endif

// The outbox dispatcher: lease, render, send, record. At-least-once with a stable Message-ID.
extension VerificationService {
    /// Sends every message that is due now, once each, and returns what happened.
    ///
    /// Each message is first leased (a conditional commit to "sending" until now +
    /// ``DispatchOptions/leaseDuration``), so two dispatchers never send the same message at
    /// once; a lease left behind by a crash expires and the message is sent again, with the same
    /// Message-ID, so a receiving system can drop the duplicate. Transient failures are retried
    /// with exponential backoff and full jitter; a permanent failure stops and keeps the reason;
    /// a misconfigured transport is retried slowly and reported to
    /// ``Configuration/onMisconfiguration``; a code message whose code has expired (24 hours
    /// after issue) or whose challenge has closed is not sent.
    ///
    /// A code's e-mail states its expiry as min(attempt time + 30 minutes, issue + 24 hours)
    /// (the policy's lifetimes), and when the transport accepts the message that same attempt
    /// time is recorded as the code's hand-over time, so the e-mail and the policy agree to the
    /// second.
    ///
    /// One message that cannot be read or dispatched (a damaged record, a store error while
    /// recording it) does not stop the round: it is skipped, listed in
    /// ``DispatchSummary/unprocessable`` with its recipient (when the record reads) and the reason in
    /// every language, and tried again in the next round.
    ///
    /// Each round also removes up to ``DispatchOptions/batchSize`` messages done with for longer than
    /// ``DispatchOptions/retention`` (``DispatchSummary/removed``), in one commit of its own; a
    /// failure there changes nothing of the round and the next round tries again.
    /// - Returns: How many messages ended which way, how many were removed, and when the next one is due.
    /// - Throws: ``VerificationError/Code/storage`` if the store fails while listing due messages.
    ///   A failed *delivery* is *not* an error: it is counted and recorded.
    @discardableResult
    public func drainOutbox() async throws(VerificationError) -> DispatchSummary {
        try await perform {
            var summary = DispatchSummary()
            var seen = Set<String>()
            let until = OutboxMessage.dueBound(now) + "|~"
            var lower = ""
            // Page through the due index in order, each page strictly after the last value read
            // (values are unique: they end in the message id), so a message that stays due (its
            // lease is held elsewhere) never hides the ones behind it.
            while !Task.isCancelled {
                let due = try await store.records(
                    in: OutboxMessage.dueIndex.name, from: lower, to: until,
                    limit: max(1, configuration.dispatch.batchSize))
                guard let last = due.last else { break }
                for record in due where !Task.isCancelled {
                    guard seen.insert(record.key.id).inserted, let id = UUID(uuidString: record.key.id) else {
                        continue
                    }
                    do {
                        if let outcome = try await dispatch(id) { summary.count(outcome) }
                    } catch {
                        var entry = DispatchSummary.Unprocessable(id: id, recipient: nil, error: error)
                        // The recipient, when the record reads at all (a damaged one is named by its id);
                        // not looked up behind a store out of reach, which would wait for it again.
                        if entry.code != .busy {
                            entry.recipient = try? await store.load(OutboxMessage.storedKey(id))?.value.recipient
                        }
                        summary.unprocessable.append(entry)
                    }
                }
                guard let value = last.indexes.first(where: { $0.name == OutboxMessage.dueIndex.name })?.value else {
                    break
                }
                lower = value + "\u{0}"
            }
            if !Task.isCancelled { summary.removed = await removeFinishedMessages(at: now) }
            if let next = try await store.records(in: OutboxMessage.dueIndex.name, from: "", to: "~", limit: 1).first,
                let message = try? Loaded<OutboxMessage>(decoding: next).value
            {
                summary.nextDueAt = message.dueAt
                summary.nextDueTimeZone = message.timeZone
            }
            return summary
        }
    }

    /// Runs the dispatcher until the task is cancelled: drains the outbox, then waits until the
    /// store signals a change to the outbox, the next message is due, or `pollInterval` has passed,
    /// whichever comes first.
    ///
    /// The wake-up comes from the store (`RecordStore.waitForChanges(in:since:atMost:)`):
    /// the in-memory store signals its own commits, the PostgreSQL store every process's commits
    /// (LISTEN/NOTIFY), and a store that cannot hear about changes (the file store) waits the full
    /// bound, so `pollInterval` is both the plain poll and the safety net when signals are lost.
    /// Rounds start at least 100 milliseconds apart, so a busy store's stream of signals costs each
    /// dispatcher at most ten rounds a second.
    ///
    /// This is the only place the service sleeps. Tests call ``drainOutbox()`` instead. A drain
    /// interrupted by cancellation stops between two messages, never in the middle of one.
    ///
    /// A store that is out of reach for now (``VerificationError/Code-swift.struct/busy``: a database
    /// restarting or failing over, a file store held by a long compaction) does not end the loop: it
    /// waits `pollInterval`, doubling after each failure in a row up to ``longestTransientPause``, and
    /// tries again, telling `onTransientFailure` each time.
    /// - Parameters:
    ///   - pollInterval: The longest pause between two drains. Default 5 seconds.
    ///   - onTransientFailure: Told of each drain that failed for now, with the pause before the next.
    /// - Throws: ``VerificationError/Code-swift.struct/storage`` if the store fails otherwise (an I/O
    ///   error, damage). Cancellation is *not* an error: the loop returns.
    public func runDispatcher(
        pollInterval: Duration = .seconds(5),
        onTransientFailure: (@Sendable (VerificationError, Duration) -> Void)? = nil
    ) async throws(VerificationError) {
        let clock = ContinuousClock()
        var failuresInARow = 0
        while !Task.isCancelled {
            let started = clock.now
            // Taken before the drain: a message queued while draining ends the wait at once.
            let mark = store.changeSignalMark(for: OutboxMessage.collection)
            let summary: DispatchSummary
            do {
                summary = try await drainOutbox()
                failuresInARow = 0
            } catch  where Task.isCancelled {
                return  // A store call cut short by the cancellation, not a failure of the store.
            } catch  where error.code == .busy {
                let pause = min(pollInterval * (1 << min(failuresInARow, 16)), Self.longestTransientPause)
                failuresInARow += 1
                onTransientFailure?(error, pause)
                do { try await Task.sleep(for: pause, clock: clock) } catch { return }
                continue
            }
            var pause = pollInterval
            if let next = summary.nextDueAt {
                let seconds = min(max(0, next.timeIntervalSince(now)), 86_400)
                pause = min(pollInterval, .milliseconds(Int64(seconds * 1000)))
            }
            await store.waitForChanges(in: OutboxMessage.collection, since: mark, atMost: pause)
            do {
                try await Task.sleep(until: started.advanced(by: Self.minimumRoundInterval), clock: clock)
            } catch {
                return
            }
        }
    }

    /// The shortest time from the start of one dispatcher round to the start of the next.
    static let minimumRoundInterval: Duration = .milliseconds(100)

    /// The longest pause of ``runDispatcher(pollInterval:onTransientFailure:)`` after drains that
    /// failed for now: one minute, so that mail queued during an outage goes out within a minute
    /// of its end.
    public static let longestTransientPause: Duration = .seconds(60)

    /// With ``DispatchOptions/sendImmediately``, sends messages just queued, so the common case
    /// needs no dispatcher loop.
    ///
    /// Never throws: the commit that queued the messages is already acknowledged, so a failure
    /// here (of the store, say) must not be reported as a refused request. The message stays in
    /// the outbox (or under a lease that expires) and ``drainOutbox()`` sends it.
    ///
    /// Not cancelled with the caller: once the commit is acknowledged, the send runs in a task of
    /// its own (``uncancelled(_:)``), so a caller who gave up (a visitor who left the page) neither
    /// leaves the e-mail to a dispatcher nor has the person told that the mail server failed.
    func sendRightAway(_ messages: [UUID]) async {
        guard configuration.dispatch.sendImmediately else { return }
        for id in messages { _ = await uncancelled { try? await self.dispatch(id, onlyIfQueued: true) } }
    }

    /// ``sendRightAway(_:)`` for the message of a code just issued, leased and sent from the values
    /// the request holds instead of read again; returns what the dispatch did, `nil` when it was not
    /// tried or failed before an outcome.
    func sendRightAway(_ issued: CodeIssue) async -> DispatchReport? {
        guard configuration.dispatch.sendImmediately else { return nil }
        return await uncancelled {
            try? await self.dispatch(issued.message.value.id, onlyIfQueued: true, inHand: issued)
        }
    }

    /// Runs `work` where the caller's cancellation does not reach it: in a task of its own (an
    /// unstructured task is never cancelled with its creator), awaited to the end. The transports of
    /// this package stop a send whose task is cancelled (they end the `sendmail` child, close the
    /// SMTP connection), which the dispatcher's own loop needs when it is stopped; here it would
    /// only turn a visitor's leave into a failed send. Started at once on the caller's executor
    /// (`Task.immediate`, from macOS and iOS 26; a plain task before), so the common case makes no
    /// hop before the first suspension. Awaited to its end: a send is bounded by its transport's
    /// timeout (see ImplementingAMailTransport, rule 8).
    private func uncancelled<Value: Sendable>(_ work: @escaping @Sendable () async -> Value) async -> Value {
        if #available(macOS 26, iOS 26, *) {
            return await Task.immediate { await work() }.value
        }
        return await Task { await work() }.value
    }

    /// Leases, sends and records one message, if it is due (or, with `onlyIfQueued`, still
    /// queued: a wall clock stepping back must not keep a just-queued message from going out) and
    /// nobody else holds it.
    func dispatch(_ id: UUID, onlyIfQueued: Bool = false) async throws -> DispatchOutcome? {
        try await dispatch(id, onlyIfQueued: onlyIfQueued, inHand: nil)?.outcome
    }

    /// ``dispatch(_:onlyIfQueued:)``, starting from the message and challenge in `inHand` (as their
    /// commit left them) instead of reading them, and reporting what it recorded.
    ///
    /// A value in hand that is no longer the stored one changes nothing: the lease, and the
    /// hand-over, are conditional commits against the versions in hand, so a message changed
    /// meanwhile is not leased, and a challenge changed meanwhile is read afresh before the
    /// hand-over is recorded, as when it changes between a read and the commit.
    func dispatch(_ id: UUID, onlyIfQueued: Bool, inHand: CodeIssue?) async throws -> DispatchReport? {
        // At the stored precision, so the values reported are those a read after the commit gives.
        let attemptTime = now.atStoredPrecision
        let loaded: Loaded<OutboxMessage>
        if let inHand, inHand.message.value.id == id {
            loaded = inHand.message
        } else {
            guard let read = try await store.load(OutboxMessage.storedKey(id)) else { return nil }
            loaded = read
        }
        var message = loaded.value
        let leasedVersion: UInt64
        if let inHand, inHand.leased, inHand.message.value.id == id {
            leasedVersion = loaded.version  // Leased by the commit that issued the code.
        } else {
            guard let due = loaded.value.dueAt else { return nil }
            if onlyIfQueued {
                guard case .queued = loaded.value.state else { return nil }
            } else if due > attemptTime {
                return nil
            }
            message.state = .sending(
                leaseUntil: attemptTime.adding(configuration.dispatch.lease(sendingThrough: configuration.transport)),
                since: attemptTime)
            do {
                try await store.commit([.put(message, at: message.storedKey, replacing: loaded.version)])
            } catch let error as StoreError where error.isConflict {
                return nil
            }
            leasedVersion = loaded.version + 1
        }

        let prepared: Result<(RenderedMessage, Envelope), MailTransportError>
        var codeDigits: String?
        var handOver: (challenge: ChallengeID, ordinal: Int)?
        var challengeRead: Loaded<VerificationChallenge>?
        if let content = message.codeContent {
            let challenge =
                if let inHand, inHand.challenge.value.id == content.challenge {
                    inHand.challenge
                } else {
                    try await store.load(VerificationChallenge.storedKey(content.challenge))
                }
            guard let challenge, challenge.value.state.isOpen,
                let issued = challenge.value.code(numbered: content.ordinal)
            else {
                return try await abandon(
                    message, version: leasedVersion, as: .cancelled(at: attemptTime),
                    because: "challenge closed before delivery"
                ).map { DispatchReport(outcome: $0) }
            }
            // The expiry the e-mail states: the policy's, were this attempt the hand-over. A wall
            // clock behind the one that issued the code (stepped back, another host) counts as the
            // issue time, so the hand-over is never before the issue.
            let expiresAt =
                try challenge.value.recordingHandOver(ofCode: content.ordinal, at: max(attemptTime, issued.issuedAt))
                .code(numbered: content.ordinal).map { configuration.policy.expiry(of: $0) }
                ?? configuration.policy.expiry(of: issued)
            guard !configuration.policy.isExpired(issued, at: attemptTime), attemptTime < expiresAt,
                let seal = content.sealedCode
            else {
                return try await abandon(
                    message, version: leasedVersion, as: .expired(at: attemptTime),
                    because: "code expired before delivery"
                ).map { DispatchReport(outcome: $0) }
            }
            // The request that issued the code holds its digits: the seal it just made opens to them.
            let opened =
                if let inHand, inHand.message.value.id == id {
                    Result<String, UnsealFailure>.success(inHand.codeDigits)
                } else {
                    unseal(seal, messageID: message.messageID)
                }
            switch opened {
            case .success(let code):
                codeDigits = code
                prepared = renderedForSending {
                    try render(message, code: code, content: content, expiresAt: expiresAt)
                }
                handOver = (content.challenge, content.ordinal)
                challengeRead = challenge
            case .failure(.codeKeyRetired(let keyID)):
                // A code of a retired key can no longer be verified: sending it would only mislead.
                return try await abandon(
                    message, version: leasedVersion, as: .expired(at: attemptTime),
                    because: "code key \(keyID) retired before delivery"
                ).map { DispatchReport(outcome: $0) }
            case .failure(.damaged):
                return try await abandon(
                    message, version: leasedVersion, as: .expired(at: attemptTime),
                    because: "sealed code unreadable (damaged record)"
                ).map { DispatchReport(outcome: $0) }
            case .failure(.sealKeyMissing(let keyID)):
                prepared = .failure(
                    MailTransportError(
                        .configuration, disposition: .misconfigured, transport: "outbox",
                        detail: "no configured outbox seal key has the id \(keyID)"))
            case .failure(.keyMismatch(let keyID)):
                // Issue 11 item 9: a wrong key must never mail wrong digits; alert and keep the message.
                prepared = .failure(
                    MailTransportError(
                        .configuration, disposition: .misconfigured, transport: "outbox",
                        detail: "the key \(keyID) does not open this sealed code: the key file is not the one that "
                            + "sealed it"))
            }
        } else {
            prepared = renderedForSending { try render(message) }
        }

        let attempt: OutboxMessage.Attempt
        let outcome: DispatchOutcome
        // The outcome is known when the attempt ends, which a send can put minutes after it began
        // (an SMTP server's timeouts): its state and its event are dated then, not at the start. The
        // attempt keeps its start, and the code's hand-over too: the e-mail states the expiry from it.
        let ended: Date
        do throws(MailTransportError) {
            let (rendered, envelope) = try prepared.get()
            let receipt = try await configuration.transport.send(rendered, envelope: envelope)
            ended = max(now.atStoredPrecision, attemptTime)
            attempt = .init(at: attemptTime, disposition: .handedOver, detail: receipt.response)
            message.state = .handedOver(at: ended)
            message.eraseCode()
            outcome = .handedOver
        } catch {
            // Codes are stored only as digests: a transport that quoted the message (a program
            // echoing its input on error) must not put the digits into the record or a summary.
            let error = codeDigits.map { error.masking($0) } ?? error
            // Waits run from when the attempt ended too: a send that took minutes must not be
            // "retried" at a time already past.
            ended = max(now.atStoredPrecision, attemptTime)
            let disposition: OutboxMessage.Disposition
            switch error.disposition {
            case .transient:
                disposition = .transient
                let transientCount = message.attempts.filter { $0.disposition == .transient }.count + 1
                var delay = retryDelay(afterTransientFailures: transientCount)
                // The server may have the message already (lost after the final dot): resend only
                // after the longest backoff, with the same Message-ID, so a duplicate is rare and
                // recognisable.
                if error.code == .outcomeUnknown {
                    delay = max(delay, configuration.dispatch.maximumRetryDelay.timeInterval)
                }
                message.state = .retrying(nextAttemptAt: ended.addingTimeInterval(delay), disposition: .transient)
                outcome = .retrying(.init(id: message.id, recipient: message.recipient, error: error))
            case .permanent:
                disposition = .permanent
                message.state = .failed(at: ended)
                message.eraseCode()
                outcome = .failed
            case .misconfigured:
                disposition = .misconfigured
                message.state = .retrying(
                    nextAttemptAt: ended.adding(configuration.dispatch.misconfiguredRetryDelay),
                    disposition: .misconfigured)
                configuration.onMisconfiguration(error)
                outcome = .misconfigured
            }
            attempt = .init(
                at: attemptTime, disposition: disposition, replyCode: error.smtpReplyCode,
                exitStatus: error.exitStatus, detail: error.detail, serverReply: error.serverReply,
                outcomeUnknown: error.code == .outcomeUnknown ? true : nil)
        }
        message.attempts.append(attempt)
        let recorded = try await record(
            message, version: leasedVersion, attempt: attempt, endedAt: ended, handOver: handOver,
            challengeRead: challengeRead)
        return DispatchReport(outcome: outcome, recorded: recorded.map { (message, $0) })
    }

    /// The rendered message, or a misconfiguration: what was stored was validated when it was
    /// queued, so a message that cannot be rendered points at the configuration (a sender name
    /// with a line break, say). Reported, retried slowly, never allowed to stop the dispatcher.
    func renderedForSending(
        _ render: () throws -> (RenderedMessage, Envelope)
    ) -> Result<(RenderedMessage, Envelope), MailTransportError> {
        do {
            return .success(try render())
        } catch {
            let detail = (error as? any LocalizedFailure)?.message.english ?? String(describing: type(of: error))
            return .failure(
                MailTransportError(
                    .configuration, disposition: .misconfigured, transport: "renderer",
                    detail: "the message cannot be rendered: " + detail))
        }
    }

    /// The delay before retry number `failures` after transient failures: full jitter over
    /// `[1 s, min(maximumRetryDelay, firstRetryDelay × 2^(failures − 1))]`.
    func retryDelay(afterTransientFailures failures: Int) -> TimeInterval {
        let options = configuration.dispatch
        let ceiling = min(
            options.maximumRetryDelay.timeInterval,
            options.firstRetryDelay.timeInterval * Double(1 << min(max(0, failures - 1), 30)))
        let fraction = min(max(configuration.randomFraction(), 0), 1)
        return max(1, ceiling * fraction)
    }

    /// Records the result of an attempt: the outbox message, the code's hand-over (at the attempt's
    /// start, as its e-mail states the expiry from it), the event (at `endedAt`, when the outcome was
    /// known).
    ///
    /// `challengeRead` is the challenge as the dispatcher read it before sending: the first attempt
    /// commits against it rather than reading it again; after a conflict (it changed meanwhile) the
    /// challenge is read afresh.
    /// - Returns: The challenge as the hand-over left it, when one was recorded at the first try
    ///   against the challenge read before sending; `nil` otherwise (no hand-over, a conflict, the
    ///   lease taken over).
    @discardableResult
    func record(
        _ message: OutboxMessage, version: UInt64, attempt: OutboxMessage.Attempt, endedAt: Date,
        handOver: (challenge: ChallengeID, ordinal: Int)?, challengeRead: Loaded<VerificationChallenge>? = nil
    ) async throws -> VerificationChallenge? {
        var inHand = challengeRead
        return try await retryingConflicts { () async throws -> VerificationChallenge? in
            var batch = Batch()
            try batch.put(message, replacing: version)
            var read: Loaded<VerificationChallenge>?
            var readBeforeSending = false
            if let handOver, attempt.disposition == .handedOver {
                if let inHand, inHand.value.id == handOver.challenge {
                    read = inHand
                    readBeforeSending = true
                } else {
                    read = try await store.load(VerificationChallenge.storedKey(handOver.challenge))
                }
            }
            inHand = nil
            var committedChallenge: VerificationChallenge?
            if let handOver, let loaded = read {
                let issuedAt = loaded.value.code(numbered: handOver.ordinal)?.issuedAt ?? attempt.at
                let challenge = try loaded.value.recordingHandOver(
                    ofCode: handOver.ordinal, at: max(attempt.at, issuedAt))
                if challenge != loaded.value {
                    try batch.put(challenge, replacing: loaded.version)
                }
                if readBeforeSending { committedChallenge = challenge }
            }
            let kind: VerificationEvent.Kind
            switch attempt.disposition {
            case .handedOver: kind = message.codeContent == nil ? .noticeDelivered : .codeDelivered
            case .transient, .permanent, .misconfigured: kind = .deliveryFailed
            }
            var detail = "\(attempt.disposition.rawValue) message \(message.messageID)"
            if let replyCode = attempt.replyCode { detail += " reply \(replyCode)" }
            if let status = attempt.exitStatus { detail += " exit \(status)" }
            batch.record(
                kind, at: endedAt, by: nil, account: message.account, school: message.school,
                email: message.recipient,
                detail: detail)
            do {
                try await commit(batch)
            } catch let error as StoreError where error.isConflict {
                // Our lease was taken over (we outlived it): the new holder records its own attempt.
                if let current = try await store.record(for: message.storedKey.recordKey),
                    current.version != version
                {
                    return nil
                }
                throw error
            }
            return committedChallenge
        }
    }

    /// Closes a message without sending it, and records why.
    func abandon(_ message: OutboxMessage, version: UInt64, as state: OutboxMessage.State, because reason: String)
        async throws -> DispatchOutcome?
    {
        var message = message
        message.state = state
        message.eraseCode()
        var batch = Batch()
        try batch.put(message, replacing: version)
        let expired: Bool
        if case .expired = state { expired = true } else { expired = false }
        batch.record(
            .deliveryAbandoned, at: now, by: nil, account: message.account, school: message.school,
            email: message.recipient,
            detail: reason + ", message \(message.messageID)")
        do {
            try await commit(batch)
        } catch let error as StoreError where error.isConflict {
            return nil  // Another dispatcher took the message over after our lease expired.
        }
        return expired ? .expired : .cancelled
    }

}
