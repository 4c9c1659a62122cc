import DapodikLocking
import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct DeliveryTests {
    @Test("a full mailbox the server will take mail into later is said as such, not as a busy server")
    func mailboxFullIsSaid() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(1, disposition: .transient, smtpReplyCode: 552)
        let status = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .retrying(let reason, _, _) = status.state else {
            Issue.record("expected retrying, got \(status.state)")
            return
        }
        #expect(reason.english == "the recipient's mailbox is full (552); it is sent again later, once there is room.")
        #expect(reason.indonesian.contains("kotak surat penerima penuh (552)"))
        #expect(!reason.english.contains("busy"))
    }

    @Test(
        "a transport failing transiently for a while, then recovering, delivers the code once while it is valid",
        arguments: StoreKind.allCases)
    func transientThenRecovers(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(4, disposition: .transient, smtpReplyCode: 451)

        let first = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .retrying(let reason, let next, let attempts) = first.state else {
            Issue.record("expected retrying, got \(first.state)")
            return
        }
        #expect(attempts == 1)
        #expect(reason.indonesian.contains("451"))
        #expect(next == harness.clock.now.addingTimeInterval(30))  // full jitter at its ceiling (fraction 1)
        #expect(first.explanation.indonesian.contains("tidak perlu meminta kode baru"))
        #expect(first.codeExpiresAt == nil)

        // Retry delays 30 s, 60 s, 120 s, 240 s: the dispatcher only sends what is due.
        var delays: [TimeInterval] = []
        var summary = try await harness.service.drainOutbox()
        #expect(summary.isEmpty)
        while harness.transport.deliveries(to: ptk.email!).isEmpty {
            let due = try #require(summary.nextDueAt)
            delays.append(due.timeIntervalSince(harness.clock.now))
            harness.clock.set(due)
            summary = try await harness.service.drainOutbox()
        }
        #expect(delays == [30, 60, 120, 240])
        #expect(summary.handedOver == 1)
        #expect(summary.nextDueAt == nil)
        #expect(harness.transport.deliveries(to: ptk.email!).count == 1)

        let handedOverAt = harness.clock.now
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.state == .handedOver(at: handedOverAt, maskedAddress: "b•••@gmail.com"))
        #expect(status.codeExpiresAt == handedOverAt.addingTimeInterval(30 * 60))
        // The e-mail states the same expiry the policy enforces.
        let text = try #require(harness.transport.deliveries(to: ptk.email!).first?.message.text)
        #expect(text.contains(status.codeExpiresAtText!.replacingOccurrences(of: " WIB", with: "")))

        harness.clock.advance(by: 29 * 60 + 59)
        let code = try #require(harness.latestCode(to: ptk.email!))
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
        let failures = try await harness.service.events().filter { $0.kind == .deliveryFailed }
        #expect(failures.count == 4)
        #expect(failures.allSatisfy { $0.detail?.contains("transient") == true })
    }

    @Test("a code is valid until 30 minutes after hand-over, not one second longer", arguments: StoreKind.allCases)
    func expiresThirtyMinutesAfterHandOver(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        harness.clock.advance(by: 30 * 60)
        let code = try #require(harness.latestCode(to: account.email!))
        #expect(try await harness.service.submitCode(code, for: account.id, by: account.id).outcome == .expired)
        let status = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(status.state == .expired)
        #expect(status.mayRequestNewCode)
    }

    @Test(
        "once every code has expired, any code typed is said as expired (ask for a new one), never as wrong, and not counted",
        arguments: StoreKind.allCases)
    func everyCodeExpired(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let code = try #require(harness.latestCode(to: account.email!))
        // Before expiry a mistyped code is wrong and counted.
        let early = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id)
        #expect(early.outcome == .wrong(attemptsLeft: 4))
        harness.clock.advance(by: 30 * 60)
        for _ in 0..<6 {
            let late = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id)
            #expect(late.outcome == .expired, "\(late.outcome)")
        }
        // Nothing was counted: a new code still has the four attempts left after the early mistake.
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let fresh = try #require(harness.latestCode(to: account.email!))
        let after = try await harness.service.submitCode(wrongCode(fresh), for: account.id, by: account.id)
        #expect(after.outcome == .wrong(attemptsLeft: 3), "\(after.outcome)")
    }

    @Test("a send that fails after five minutes is retried 30 seconds after it ended, not at a time already past")
    func retryRunsFromTheEndOfTheAttempt() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        let slow = SlowFailingTransport(clock: harness.clock, takes: 300)
        let service = harness.sibling { $0.transport = slow }
        let status = try await service.requestCode(for: account.id, by: account.id)
        guard case .retrying(_, let next, _) = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(next == harness.clock.now.addingTimeInterval(30), "\(next) vs now \(harness.clock.now)")
    }

    @Test("a code whose e-mail never reached a mail server in its lifetime is said so when it expires")
    func expiredBeforeSent() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        harness.transport.failNext(1, disposition: .transient)
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        // No dispatcher ran: the code outlives its longest lifetime unsent.
        harness.clock.advance(by: 25 * 3_600)
        let status = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(status.state == .expired)
        #expect(
            status.explanation.english.contains("Code 1 expired before its e-mail was known to reach the mail server"),
            "\(status.explanation.english)")
        #expect(status.explanation.indonesian.contains("sebelum emailnya dipastikan diterima server email"))
    }

    @Test("a permanent failure stops delivery and the status says so and why", arguments: StoreKind.allCases)
    func permanentFailure(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(email: "tidak.ada@gmail.com", by: manager)
        harness.transport.failNext(1, disposition: .permanent, smtpReplyCode: 550)
        let status = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .failed(let reason, let whatToDo) = status.state else {
            Issue.record("expected failed, got \(status.state)")
            return
        }
        #expect(reason.indonesian.contains("menolak"))
        #expect(reason.english.contains("550"))
        // The address is shown masked, as in the rest of the status (issue 11, item 17).
        #expect(whatToDo.indonesian.contains("t•••@gmail.com"))
        #expect(!whatToDo.indonesian.contains("tidak.ada@gmail.com"))
        harness.clock.advance(by: 3600)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.isEmpty)
        #expect(harness.transport.attemptCount == 2)  // the operator's code, then this one once
    }

    @Test(
        "a refusal for good is told by what refused it: a full mailbox (552) is not a wrong address, and a local sendmail is not the receiving server",
        arguments: ["552", "sendmail 67"])
    func refusalWords(_ refusal: String) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(with: [
            refusal == "552"
                ? MailTransportError(
                    .rejected, disposition: .permanent, transport: "smtp", smtpReplyCode: 552, detail: "after DATA",
                    serverReply: "552 5.2.2 Mailbox full")
                : MailTransportError(
                    .rejected, disposition: .permanent, transport: "sendmail", exitStatus: 67,
                    detail: "sendmail exited with status 67")
        ])
        let status = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .failed(let reason, let whatToDo) = status.state else {
            Issue.record("expected failed, got \(status.state)")
            return
        }
        if refusal == "552" {
            #expect(reason.english.contains("the recipient's mailbox is full (552)"), "\(reason.english)")
            #expect(whatToDo.english.contains("The address is right. Make room"), "\(whatToDo.english)")
            #expect(reason.indonesian.contains("kotak surat penerima penuh"))
        } else {
            #expect(reason.english.contains("the sending mail system refused it for good: the address is unknown"))
            #expect(!reason.english.contains("receiving mail server"), "\(reason.english)")
            #expect(reason.indonesian.contains("alamat penerima tidak dikenal"), "\(reason.indonesian)")
        }
    }

    @Test("a misconfigured transport is retried slowly and reported loudly")
    func misconfigured() async throws {
        let alerts = LockedValue(0)
        let harness = try Harness.make(.memory, onMisconfiguration: { _ in alerts.withLock { $0 += 1 } })
        let account = try await harness.createSchool()
        harness.transport.failNext(2, disposition: .misconfigured)
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        guard case .retrying(let reason, let next, _) = status.state else {
            Issue.record("expected retrying, got \(status.state)")
            return
        }
        #expect(reason.english.contains("misconfigured"))
        #expect(next == harness.clock.now.addingTimeInterval(5 * 60))
        harness.clock.set(next)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.misconfigured == 1)
        #expect(alerts.withLock { $0 } == 2)
    }

    @Test("a code whose e-mail never got through within 24 hours is marked expired, not sent")
    func expiresBeforeDelivery() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        harness.transport.failNext(1000, disposition: .transient)
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        var expired = 0
        for _ in 0..<200 where expired == 0 {
            guard let due = try await harness.service.drainOutbox().nextDueAt else { break }
            harness.clock.set(due)
            expired += try await harness.service.drainOutbox().expired
        }
        #expect(expired == 1)
        #expect(harness.transport.deliveries.isEmpty)
        #expect(try await harness.service.deliveryStatus(for: account.id, by: account.id).state == .expired)
        #expect(try await harness.eventKinds().last == .deliveryAbandoned)
    }

    @Test("a late-arriving earlier code is accepted", arguments: StoreKind.allCases)
    func lateEarlierCode(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let early = await #expect(throws: VerificationError.self) {
            try await harness.service.requestCode(for: account.id, by: account.id)
        }
        #expect(early?.code == .resendNotAllowed)
        #expect(early?.retryAt == harness.clock.now.addingTimeInterval(60))
        harness.clock.advance(by: 60)
        let second = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(second.codeOrdinal == 2)
        #expect(second.codesLeft == 3)
        let codes = harness.codes(to: account.email!)
        #expect(codes.count == 2)
        #expect(harness.transport.deliveries.last?.message.text.contains("ke-2") == true)
        let result = try await harness.service.submitCode(codes[0], for: account.id, by: account.id)
        #expect(result.outcome == .verified)
    }

    @Test("a code of a challenge cancelled by an address change is refused", arguments: StoreKind.allCases)
    func cancelledChallengeCode(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let oldCode = try await harness.requestedCode(for: ptk)
        _ = try await harness.service.updateStaff(ptk.id, email: try EmailAddress("budi.s@yahoo.co.id"), by: manager.id)
        #expect(try await harness.service.submitCode(oldCode, for: ptk.id, by: ptk.id).outcome == .noCodeIssued)
        harness.clock.advance(by: 60)  // The cooldown spans challenges.
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let result = try await harness.service.submitCode(oldCode, for: ptk.id, by: ptk.id)
        #expect(result.outcome == .wrong(attemptsLeft: 4))
        #expect(try await harness.eventKinds().contains(.challengeCancelled))
    }

    @Test("a queued code message is not sent once its challenge is verified")
    func closedChallengeNotSent() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        harness.clock.advance(by: 60)
        harness.transport.failNext(1, disposition: .transient)
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let first = try #require(harness.codes(to: account.email!).first)
        #expect(try await harness.service.submitCode(first, for: account.id, by: account.id).outcome == .verified)
        harness.clock.advance(by: 60)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.cancelled == 1)
        #expect(harness.transport.deliveries.count == 1)
    }

    @Test("without immediate sending a code waits queued, and one drain sends it once with its Message-ID")
    func queuedUntilDrained() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(
            try await harness.service.deliveryStatus(for: account.id, by: account.id).state
                == .queued(since: harness.clock.now))
        #expect(try await harness.service.drainOutbox().handedOver == 1)
        #expect(try await harness.service.drainOutbox().isEmpty)
        let sent = try #require(harness.transport.deliveries.first)
        #expect(sent.message.text.contains("Message-ID: " + sent.message.messageID.description))
    }
}

/// A transport whose every send takes `seconds` on the test clock and then fails for now.
private final class SlowFailingTransport: MailTransport {
    let name = "slow"
    private let clock: TestClock
    private let seconds: TimeInterval

    init(clock: TestClock, takes seconds: TimeInterval) {
        self.clock = clock
        self.seconds = seconds
    }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        clock.advance(by: seconds)
        throw MailTransportError(.timedOut, disposition: .transient, transport: name, detail: "no greeting")
    }
}
