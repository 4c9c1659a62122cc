import DapodikLanguage
import DapodikLocking
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// `requestCode` leases its message in the commit that issues the code. A process that dies after
/// that commit leaves the message leased, not lost: once the lease has expired, any dispatcher sends
/// it, with the Message-ID it was queued with, and the code works.
@Suite(.timeLimit(.minutes(10)))
struct LeaseAtIssueTests {
    @Test(
        "the process dies right after issuing: another dispatcher sends the code once the lease expired",
        arguments: StoreKind.allCases)
    func diesBeforeSending(_ kind: StoreKind) async throws {
        let (harness, _, ptk) = try await RequestCodeStatusTests.ptk(kind)
        let email = try #require(ptk.email)
        // The issuing commit alone: what a process that dies right after it leaves behind.
        let issued = try await harness.service.issueCode(for: ptk.id, by: ptk.id, language: .indonesian)
        #expect(issued.leased)
        #expect(harness.transport.deliveries(to: email).isEmpty)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        guard case .sending = status.state else {
            Issue.record("state \(status.state)")
            return
        }

        let dispatcher = harness.sibling { _ in }
        // While the lease holds, nobody else sends it.
        #expect(try await dispatcher.drainOutbox().handedOver == 0)
        #expect(harness.transport.deliveries(to: email).isEmpty)
        harness.clock.advance(by: harness.service.configuration.dispatch.leaseDuration.timeInterval + 1)
        // Past the lease the status no longer says "being sent" as if someone were sending it.
        let interrupted = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        guard case .retrying(let reason, let next, let attempts) = interrupted.state else {
            Issue.record("state after the lease \(interrupted.state)")
            return
        }
        #expect(reason.english.contains("stopped before it finished"))
        #expect(next < harness.clock.now)
        // The interrupted attempt is the first one made, recorded or not.
        #expect(attempts == 1)
        #expect(interrupted.explanation.indonesian.contains("akan dikirim lagi"))
        #expect(try await dispatcher.drainOutbox().handedOver == 1)

        let deliveries = harness.transport.deliveries(to: email)
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.message.messageID.value == issued.message.value.messageID)
        let code = try #require(harness.latestCode(to: email))
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("the store fails after the issuing commit: the e-mail went out, and goes again once the lease expired")
    func storeFailsAfterIssuing() async throws {
        let (harness, _, ptk) = try await RequestCodeStatusTests.ptk()
        let email = try #require(ptk.email)
        let failing = FailingAfterFirstCommitStore(harness.store)
        let service = harness.sibling { $0.store = failing }
        let status = try await service.requestCode(for: ptk.id, by: ptk.id)
        // The hand-over could not be recorded: the status (read afresh) says it is being sent.
        guard case .sending = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(failing.refusedCommits == 1)
        #expect(harness.transport.deliveries(to: email).count == 1)
        // The person learns when it goes again, should this send have stopped.
        #expect(
            status.explanation.english.contains("Should this send stop, the message can be sent again from 10:02"),
            "\(status.explanation.english)")
        #expect(status.explanation.indonesian.contains("Bila pengiriman ini terhenti"))

        let dispatcher = harness.sibling { _ in }
        #expect(try await dispatcher.drainOutbox().handedOver == 0)
        harness.clock.advance(by: harness.service.configuration.dispatch.leaseDuration.timeInterval + 1)
        #expect(try await dispatcher.drainOutbox().handedOver == 1)
        let deliveries = harness.transport.deliveries(to: email)
        #expect(deliveries.count == 2)
        #expect(Set(deliveries.map(\.message.messageID)).count == 1)
        let code = try #require(harness.latestCode(to: email))
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("a message sent again says since when this send began, not when the last attempt was")
    func sendingSinceThisSend() async throws {
        let (harness, _, ptk) = try await RequestCodeStatusTests.ptk()
        harness.transport.failNext(1, disposition: .transient)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let firstAttempt = harness.clock.now
        let retrying = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        guard case .retrying(_, let next, _) = retrying.state else {
            Issue.record("state \(retrying.state)")
            return
        }
        // The dispatcher leases it past its retry time, hands it over, and dies before recording that.
        let resent = next.addingTimeInterval(300)
        harness.clock.set(resent)
        let failing = FailingAfterFirstCommitStore(harness.store)
        _ = try? await harness.sibling { $0.store = failing }.drainOutbox()
        #expect(failing.refusedCommits == 1)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        guard case .sending(let since) = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(abs(since.timeIntervalSince(resent)) < 0.001, "\(since) is not \(resent)")
        #expect(abs(since.timeIntervalSince(firstAttempt)) > 60)
    }
}

/// A store whose every commit after the first fails with an I/O error (a disk that went away).
final class FailingAfterFirstCommitStore: ForwardingRecordStore {
    let base: any RecordStore
    private let commits = LockedValue(0)

    init(_ base: any RecordStore) { self.base = base }

    /// How many commits were refused.
    var refusedCommits: Int { commits.withLock { max(0, $0 - 1) } }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        let number = commits.withLock { count in
            count += 1
            return count
        }
        guard number == 1 else {
            throw StoreError(
                .ioFailure, message: LocalizedText(indonesian: "Disk hilang.", english: "The disk is gone."))
        }
        return try await base.commit(mutations)
    }
}
