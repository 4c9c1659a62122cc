import DapodikLocking
import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// The dispatcher's leases, its loop, and what it does with messages it cannot render or unseal.
@Suite(.timeLimit(.minutes(10)))
struct OutboxDispatcherTests {
    /// Queues one code for each of `count` fresh PTK of a verified operator; none is sent yet.
    func queueCodes(_ count: Int, in harness: Harness) async throws -> [Account] {
        let manager = try await harness.verifiedOperator()
        let queuing = harness.sibling { $0.dispatch.sendImmediately = false }
        var staff: [Account] = []
        for index in 0..<count {
            let ptk = try await harness.registerPTK(
                "Guru \(index)", username: "guru\(index)", email: "guru\(index)@gmail.com", by: manager)
            _ = try await queuing.requestCode(for: ptk.id, by: ptk.id)
            staff.append(ptk)
        }
        return staff
    }

    @Test("dispatchers draining one outbox at once never send a message twice", arguments: StoreKind.allCases)
    func concurrentDrains(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let transport = RecordingTransport(now: { harness.clock.now })
        let staff = try await queueCodes(24, in: harness)

        // Four dispatchers; with the file store each has its own open store, as separate processes would.
        var services: [VerificationService] = []
        for _ in 0..<4 {
            services.append(
                try harness.sibling { configuration in
                    configuration.transport = transport
                    if let directory = harness.directory {
                        configuration.store = try FileRecordStore(directory: directory)
                    }
                })
        }
        let summaries = try await withThrowingTaskGroup(of: DispatchSummary.self) { group in
            for service in services { group.addTask { try await service.drainOutbox() } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(summaries.map(\.handedOver).reduce(0, +) == staff.count)
        let perMessage = transport.sendsPerMessageID
        #expect(perMessage.count == staff.count)
        #expect(perMessage.values.allSatisfy { $0 == 1 })
        // The operator's own code, sent at once, and one per PTK.
        #expect(try await harness.eventKinds().filter { $0 == .codeDelivered }.count == staff.count + 1)
        for ptk in staff {
            let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
            #expect(status.state == .handedOver(at: harness.clock.now, maskedAddress: ptk.email!.masked))
        }
    }

    @Test(
        "a lease left by a hung or crashed dispatcher is taken over once it expires; the e-mail keeps its Message-ID",
        arguments: StoreKind.allCases)
    func leaseTakeover(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind, sendImmediately: false)
        let transport = RecordingTransport(now: { harness.clock.now })
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)

        // Dispatcher A leases the message and hangs inside the transport.
        transport.holdNextSend()
        var announced = transport.sends.makeAsyncIterator()
        let hanging = harness.sibling { $0.transport = transport }
        let stuck = Task { try await hanging.drainOutbox() }
        let first = try #require(await announced.next())

        // Dispatcher B leaves the leased message alone while the lease lasts ...
        let other = harness.sibling { $0.transport = transport }
        #expect(try await other.drainOutbox().isEmpty)
        harness.clock.advance(by: harness.service.configuration.dispatch.leaseDuration.timeInterval - 1)
        #expect(try await other.drainOutbox().isEmpty)
        // ... and takes it over once it has passed.
        harness.clock.advance(by: 1)
        let takeover = try await other.drainOutbox()
        #expect(takeover.handedOver == 1)
        let second = try #require(await announced.next())
        #expect(second == first)  // the same Message-ID: a receiving system can drop the duplicate
        let takenOverAt = harness.clock.now

        // A wakes up later; its late result does not overwrite B's record.
        harness.clock.advance(by: 5)
        transport.release()
        _ = try await stuck.value
        #expect(transport.sendsPerMessageID == [first: 2])
        #expect(try await harness.eventKinds().filter { $0 == .codeDelivered }.count == 1)
        let status = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(status.state == .handedOver(at: takenOverAt, maskedAddress: account.email!.masked))
        let code = try #require(codes(in: transport).last)
        #expect(try await harness.service.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }

    @Test("the dispatcher loop sends what is queued while it runs, and stops promptly when cancelled")
    func runDispatcherLoop() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let transport = RecordingTransport(now: { harness.clock.now })
        let dispatcher = harness.sibling { $0.transport = transport }
        let account = try await harness.createSchool()
        var announced = transport.sends.makeAsyncIterator()

        let loop = Task { try await dispatcher.runDispatcher(pollInterval: .milliseconds(20)) }
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let sent = try #require(await announced.next())
        loop.cancel()
        try await loop.value  // returns, not throws: cancellation is not an error
        #expect(transport.sendsPerMessageID == [sent: 1])
        #expect(
            try await harness.service.deliveryStatus(for: account.id, by: account.id).state
                == .handedOver(at: harness.clock.now, maskedAddress: account.email!.masked))
    }

    @Test(
        "a store out of reach for a while does not end the dispatcher: it waits, says so, doubling its pause after each failed drain, and then sends",
        arguments: [1, 4])
    func runDispatcherThroughAnOutage(failedDrains: Int) async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let transport = RecordingTransport(now: { harness.clock.now })
        let failing = FailingAtCallStore(harness.store)
        let dispatcher = harness.sibling {
            $0.transport = transport
            $0.store = failing
        }
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        var announced = transport.sends.makeAsyncIterator()
        let told = LockedValue<[(VerificationError.Code, Duration)]>([])
        // A failed drain fails at its first call: so many drains in a row fail.
        failing.arm(failingCalls: 1...failedDrains, with: .unavailable)
        let loop = Task {
            try await dispatcher.runDispatcher(pollInterval: .milliseconds(20)) { error, pause in
                told.withLock { $0.append((error.code, pause)) }
            }
        }
        let sent = try #require(await announced.next())
        loop.cancel()
        try await loop.value
        #expect(transport.sendsPerMessageID == [sent: 1])
        #expect(told.withLock { $0.map(\.0) } == Array(repeating: .busy, count: failedDrains))
        #expect(told.withLock { $0.map(\.1) } == (0..<failedDrains).map { .milliseconds(20 << $0) })
    }

    @Test("any other store failure still ends the dispatcher, with the storage error")
    func runDispatcherEndsOnIOFailure() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let failing = FailingAtCallStore(harness.store)
        let dispatcher = harness.sibling { $0.store = failing }
        failing.arm(failingCall: 1)
        let error = await #expect(throws: VerificationError.self) {
            try await dispatcher.runDispatcher(pollInterval: .milliseconds(20)) { _, _ in
                Issue.record("an I/O failure was taken for a passing one")
            }
        }
        #expect(error?.code == .storage)
    }

    @Test("a dispatcher sleeping for a long poll interval stops at once when cancelled")
    func runDispatcherCancelledWhileSleeping() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let transport = RecordingTransport(now: { harness.clock.now })
        let dispatcher = harness.sibling { $0.transport = transport }
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        var announced = transport.sends.makeAsyncIterator()
        // An hour between drains: only cancellation can end the wait within the test's time limit.
        let loop = Task { try await dispatcher.runDispatcher(pollInterval: .seconds(3600)) }
        _ = try #require(await announced.next())
        loop.cancel()
        try await loop.value
        #expect(transport.messages.count == 1)
    }

    @Test("a sender name that cannot be rendered is reported as a misconfiguration, not a crash or a lost code")
    func unrenderableSender() async throws {
        let alerts = LockedValue<[MailTransportError]>([])
        let harness = try Harness.make(
            .memory, onMisconfiguration: { error in alerts.withLock { $0.append(error) } },
            senderName: "Verifikasi\r\nBcc: semua@contoh.id")
        let account = try await harness.createSchool()
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        guard case .retrying(let reason, _, _) = status.state else {
            Issue.record("expected retrying, got \(status.state)")
            return
        }
        #expect(reason.english.contains("misconfigured"))
        #expect(harness.transport.attemptCount == 0)
        #expect(alerts.withLock { $0.count } == 1)
        #expect(alerts.withLock { $0.first?.disposition } == .misconfigured)

        // Once the name is fixed, the same message goes out with its code.
        let fixed = harness.sibling { $0.senderName = "Verifikasi Dapodik" }
        harness.clock.advance(by: 5 * 60)
        #expect(try await fixed.drainOutbox().handedOver == 1)
        let code = try #require(harness.latestCode(to: account.email!))
        #expect(try await fixed.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }

    @Test("one drain sends every due message, batch after batch")
    func drainsInBatches() async throws {
        let harness = try Harness.make(.memory)
        let transport = RecordingTransport(now: { harness.clock.now })
        let staff = try await queueCodes(5, in: harness)
        let small = harness.sibling {
            $0.dispatch.batchSize = 2
            $0.transport = transport
        }
        #expect(try await small.drainOutbox().handedOver == staff.count)
        #expect(transport.sendsPerMessageID.count == staff.count)
        #expect(transport.sendsPerMessageID.values.allSatisfy { $0 == 1 })
        #expect(try await small.drainOutbox().isEmpty)
    }

    /// Refuses every message for now and quotes it whole, as a sendmail wrapper echoing its input might.
    struct EchoingBusyTransport: MailTransport {
        let name = "echoing"
        /// The codes of the messages it was given.
        let codes = LockedValue<[String]>([])

        func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
            let text = String(decoding: message.bytes, as: UTF8.self)
            if let code = verificationCode(in: text) { codes.withLock { $0.append(code) } }
            throw MailTransportError(
                .deferred, disposition: .transient, transport: name, smtpReplyCode: 451, detail: "refused:\n" + text,
                serverReply: "451 4.3.0 try later " + (verificationCode(in: text) ?? "(no code)"))
        }
    }

    @Test("a drain lists each message that failed for now: its recipient and the transport's words, never its code")
    func transientFailuresListed() async throws {
        let harness = try Harness.make(.memory)
        let staff = try await queueCodes(2, in: harness)
        let transport = EchoingBusyTransport()
        let busy = harness.sibling { $0.transport = transport }
        let summary = try await busy.drainOutbox()
        #expect(summary.retrying == staff.count)
        #expect(Set(summary.transientFailures.map(\.recipient)) == Set(staff.compactMap(\.email)))
        let codes = transport.codes.withLock { $0 }
        #expect(codes.count == staff.count)
        for failure in summary.transientFailures {
            #expect(failure.error.smtpReplyCode == 451)
            #expect(failure.error.serverReply == "451 4.3.0 try later ••••••", "\(failure.error)")
            #expect(failure.error.detail.contains("Dapodik:  ••••••"), "the message was quoted, its code masked")
            for code in codes { #expect(!failure.error.detail.contains(code), "\(failure.error.detail)") }
        }
    }

    func codes(in transport: RecordingTransport) -> [String] {
        transport.messages.compactMap { verificationCode(in: $0.text) }
    }
}
