import DapodikLocking
import DapodikStorageContract
import DapodikVerification
import Foundation
import Testing

/// The status `requestCode` returns is the one a fresh `deliveryStatus` read gives right after it,
/// in every state a request can end in: whether it is computed from the values the request holds
/// or read again must never show.
@Suite(.timeLimit(.minutes(10)))
struct RequestCodeStatusTests {
    /// A school with a verified operator and one PTK, on `kind`'s store.
    static func ptk(_ kind: StoreKind = .memory) async throws -> (Harness, manager: Account, ptk: Account) {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        return (harness, manager, ptk)
    }

    /// Asks for a code as `account` through `service` and checks the answer against a fresh read.
    @discardableResult
    static func requestMatchingFreshStatus(
        _ account: Account, _ harness: Harness, service: VerificationService? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> DeliveryStatus {
        let service = service ?? harness.service
        let returned = try await service.requestCode(for: account.id, by: account.id)
        let fresh = try await service.deliveryStatus(for: account.id, by: account.id)
        #expect(returned == fresh, sourceLocation: sourceLocation)
        return returned
    }

    @Test("handed over, on either store", arguments: StoreKind.allCases)
    func handedOver(_ kind: StoreKind) async throws {
        let (harness, _, ptk) = try await Self.ptk(kind)
        let status = try await Self.requestMatchingFreshStatus(ptk, harness)
        guard case .handedOver = status.state else {
            Issue.record("state \(status.state)")
            return
        }
    }

    @Test("every code the account may have in a day, each after the wait the status names, then a refusal")
    func everyCodeOfADay() async throws {
        let (harness, _, ptk) = try await Self.ptk()
        let first = harness.clock.now
        var status = try await Self.requestMatchingFreshStatus(ptk, harness)
        var codes = 1
        let policy = harness.service.configuration.policy
        while codes < policy.maximumCodesPerAccountPerDay {
            let allowedAt = try #require(
                status.newCodeAllowedAt ?? (status.mayRequestNewCode ? harness.clock.now : nil))
            harness.clock.set(max(allowedAt, harness.clock.now))
            status = try await Self.requestMatchingFreshStatus(ptk, harness)
            codes += 1
            // Five codes a challenge; the sixth starts the next one.
            #expect(status.codeOrdinal == (codes - 1) % policy.maximumCodesPerChallenge + 1)
        }
        // The day's last code leaves none to ask for until the first is a day old: the request is
        // refused with that time, the status names it and is unchanged by the refusal.
        harness.clock.advance(by: 3600)
        let before = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(!before.mayRequestNewCode)
        #expect(before.newCodeAllowedAt == first.addingTimeInterval(24 * 3600))
        let refused = await #expect(throws: VerificationError.self) {
            try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(refused?.retryAt == first.addingTimeInterval(24 * 3600))
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id) == before)
    }

    @Test(
        "a failed send: transient, permanent, misconfigured",
        arguments: [
            MailTransportError.Disposition.transient, .permanent, .misconfigured,
        ])
    func failedSend(_ disposition: MailTransportError.Disposition) async throws {
        let (harness, _, ptk) = try await Self.ptk()
        harness.transport.failNext(1, disposition: disposition, smtpReplyCode: disposition == .permanent ? 550 : 421)
        let status = try await Self.requestMatchingFreshStatus(ptk, harness)
        switch (disposition, status.state) {
        case (.transient, .retrying), (.misconfigured, .retrying), (.permanent, .failed): break
        default: Issue.record("\(disposition): state \(status.state)")
        }
    }

    @Test("queued, when the service does not send right away")
    func queued() async throws {
        let (harness, _, ptk) = try await Self.ptk()
        let service = harness.sibling { $0.dispatch.sendImmediately = false }
        let status = try await Self.requestMatchingFreshStatus(ptk, harness, service: service)
        guard case .queued = status.state else {
            Issue.record("state \(status.state)")
            return
        }
    }

    @Test("a new code after the last one was returned by the receiving server")
    func afterABounce() async throws {
        let (harness, _, ptk, delivery) = try await BounceTests.ptkWithCode(zone: .wita)
        harness.clock.advance(by: 5 * 60)
        let result = try await harness.service.processBounce(BounceTests.bounce("postfix-mailbox-full", of: delivery))
        #expect(result.outcome == .recorded)
        let status = try await Self.requestMatchingFreshStatus(ptk, harness)
        #expect(status.codeOrdinal == 2)
    }

    @Test("a new challenge after the address changed, and after the wrong codes exhausted the last one")
    func newChallenges() async throws {
        let (harness, manager, ptk) = try await Self.ptk()
        try await Self.requestMatchingFreshStatus(ptk, harness)
        let moved = try await harness.service.updateStaff(
            ptk.id, email: try EmailAddress("budi.baru@gmail.com"), by: manager.id)
        harness.clock.advance(by: 61)
        let status = try await Self.requestMatchingFreshStatus(moved, harness)
        #expect(status.codeOrdinal == 1)
        #expect(status.maskedAddress == moved.email?.masked)

        let code = try #require(harness.latestCode(to: moved.email!))
        for _ in 0..<5 { _ = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id) }
        let exhausted = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(exhausted.state == .attemptsExhausted)
        if let allowedAt = exhausted.newCodeAllowedAt { harness.clock.set(max(allowedAt, harness.clock.now)) }
        harness.clock.advance(by: 61)
        try await Self.requestMatchingFreshStatus(ptk, harness)
    }

    @Test("a dispatcher draining while the request sends leaves the message to it: one e-mail, the status shows it")
    func anotherDispatcherMeanwhile() async throws {
        let (harness, _, ptk) = try await Self.ptk()
        let other = harness.sibling { _ in }
        // Between the send and the commit that records it, another dispatcher drains the outbox.
        let store = CommitHookStore(harness.store, before: 2) { _ = try await other.drainOutbox() }
        let service = harness.sibling { $0.store = store }
        let status = try await Self.requestMatchingFreshStatus(ptk, harness, service: service)
        guard case .handedOver = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(harness.transport.deliveries(to: ptk.email!).count == 1)
    }

    @Test("a wrong code submitted while the e-mail is being sent: the hand-over is recorded afresh, the status read")
    func challengeChangedMeanwhile() async throws {
        let (harness, _, ptk) = try await Self.ptk()
        let email = try #require(ptk.email)
        let store = CommitHookStore(harness.store, before: 2) {
            let code = try #require(harness.latestCode(to: email))
            _ = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
        }
        let service = harness.sibling { $0.store = store }
        let status = try await Self.requestMatchingFreshStatus(ptk, harness, service: service)
        #expect(status.attemptsLeft == 4)
        #expect(status.codeExpiresAt != nil)
    }
}

/// A store that runs `hook` once, right before its commit number `before` (counting from 1).
final class CommitHookStore: ForwardingRecordStore {
    let base: any RecordStore
    private let before: Int
    private let state: LockedValue<(commits: Int, hook: (@Sendable () async throws -> Void)?)>

    init(_ base: any RecordStore, before: Int, hook: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.before = before
        state = LockedValue((0, hook))
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        let hook = state.withLock { state -> (@Sendable () async throws -> Void)? in
            state.commits += 1
            return state.commits == before ? state.hook.take() : nil
        }
        if let hook { try await hook() }
        return try await base.commit(mutations)
    }
}
