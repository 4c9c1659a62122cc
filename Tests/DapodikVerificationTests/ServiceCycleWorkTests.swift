import DapodikVerification
import Foundation
import Testing

/// What one verification cycle (`requestCode` + `submitCode`, the benchmark's `service-cycle`) asks
/// of the store: the commits it needs and the records it reads.
@Suite(.timeLimit(.minutes(10)))
struct ServiceCycleWorkTests {
    @Test("one cycle: the commits and reads it needs, no record read again that the request holds")
    func oneCycle() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let store = CountingRecordStore(harness.store)
        let service = harness.sibling { $0.store = store }
        // A service reads once whether the store's mailboxes are all reserved; the cycle does not.
        _ = try await service.checkStaff([], by: manager.id)
        _ = store.takeCounts()

        let status = try await service.requestCode(for: ptk.id, by: ptk.id)
        let request = store.takeCounts()
        let code = try #require(harness.latestCode(to: ptk.email!))
        let result = try await service.submitCode(code, for: ptk.id, by: ptk.id)
        let submission = store.takeCounts()
        guard case .handedOver = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(result.outcome == .verified)
        // Issuing (code, challenge, outbox message leased to the request, quota, event), the hand-over.
        #expect(request.commits == 2)
        // The account, its mailbox's reservation (its own: no other account reaches that mailbox) and
        // its school; the account's challenges (the open one and the earlier ones whose codes count
        // against its daily budget, in one read), the wrong-code history and the address quota are
        // looked up and not found (the quota twice: under the mailbox, and under the canonical address
        // a quota had before quotas were keyed by mailbox, since budi.santoso@gmail.com's mailbox is
        // budisantoso@gmail.com), and so are other addresses' quotas idle by now (one range read of
        // `addressQuota.idleFrom`, whose finds the commit removes). The message and challenge just
        // written are neither read back to send the e-mail nor to answer with the status.
        #expect(request.collections == ["account", "mailbox", "school"])
        #expect(request.reads == 8)
        #expect(submission.commits == 1)
        // The account, its open challenge, and its mailbox's reservation (kept to it in the commit).
        #expect(submission.collections == ["account", "challenge", "mailbox"])
    }
}
