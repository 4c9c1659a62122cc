import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// Pipelined group commit (issue 15): while a group of waiting commits is flushed, the committer's
/// queue checks and encodes the commits that arrive meanwhile as the next group; that group is
/// written only after the first is durable, and acknowledged after its own flush, in order.
@Suite("FileRecordStore pipelined group commit", .timeLimit(.minutes(1)))
struct PipelinedGroupCommitTests {
    /// A store whose committer's queue pipelines (it never waits for returning commits), with a
    /// group of waiting commits (`item/2`) held in its flush on the flusher: returns that group's
    /// commit and the first commit, already acknowledged.
    static func storeWithQueuedGroupHeld() async throws -> (WitnessedStore, Task<UInt64, any Error>) {
        let fixture = try WitnessedStore(gatheringLimit: .zero)
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let second = await queuedCommit(fixture.store, itemPut(2), queued: 1)
        fixture.witness.gate.hold(1)
        fixture.witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        await fixture.witness.gate.waitForHeldFlush()
        return (fixture, second)
    }

    /// Waits until the group prepared behind the one in flight holds `count` commits (the test's
    /// time limit bounds it: without the pipeline they stay queued).
    static func waitForPreparedAhead(_ store: FileRecordStore, _ count: Int) async {
        while store.commitsPreparedAhead < count || store.queuedCommitCount > 0 { await Task.yield() }
    }

    @Test("the next group is checked and encoded while the current one's flush is held, and written after it")
    func nextGroupPreparedDuringFlush() async throws {
        let (fixture, second) = try await Self.storeWithQueuedGroupHeld()
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        // Commits arriving while group {2} is flushed are taken from the queue and prepared at once:
        // item/2 again is refused (group {2}'s write counts), an update of item/2 at version 1 and a
        // new item/3 succeed.
        let again = blockingCommit(store, itemPut(2))
        let update = blockingCommit(
            store,
            .put(
                key("item", "2"), value: bytes("value 2b"), indexes: [.unique("item.number", "2")],
                expecting: .version(1)))
        let third = blockingCommit(store, itemPut(3))
        await Self.waitForPreparedAhead(store, 3)
        // Nothing of either group is visible, nor written past group {2}'s frame, before its flush.
        #expect(try await store.record(for: key("item", "2")) == nil)
        #expect(try await store.record(for: key("item", "3")) == nil)
        #expect(witness.ranInTask == [true, false])
        witness.gate.release(failing: false)
        #expect(try await second.value == 2)
        await #expect(throws: StoreError.self) { try await again.value }
        let sequences = [try await update.value, try await third.value]
        #expect(sequences == [3, 4])
        // One flush for the leader's commit, one for {2}, one for the group prepared behind it.
        #expect(witness.ranInTask == [true, false, false])
        #expect(text(try await store.record(for: key("item", "2"))) == "value 2b")
        #expect(try await store.record(for: key("item", "3"))?.version == 1)
        // The frames are those of the same commits made one group after the other: reopening reads them.
        let logEnd = store.logEnd
        store.close()
        let reopened = try FileRecordStore(directory: fixture.scratch.store)
        defer { reopened.close() }
        #expect(reopened.logEnd == logEnd)
        #expect(text(try await reopened.record(for: key("item", "2"))) == "value 2b")
        #expect(text(try await reopened.record(for: key("item", "3"))) == "value 3")
        #expect(try await reopened.commit(itemPut(4)) == 5)
    }

    @Test(
        "a failed flush fails the group prepared behind it too; nothing of either is visible, then or after reopening")
    func failedFlushFailsTheNextGroup() async throws {
        let (fixture, second) = try await Self.storeWithQueuedGroupHeld()
        let (witness, store) = (fixture.witness, fixture.store)
        let third = blockingCommit(store, itemPut(3))
        let fourth = blockingCommit(store, itemPut(4))
        await Self.waitForPreparedAhead(store, 2)
        witness.gate.release(failing: true)
        for commit in [second, third, fourth] {
            let error = await #expect(throws: StoreError.self) { try await commit.value }
            #expect(error?.code == .ioFailure)
        }
        // Only group {2} reached the disk's write; group {3, 4} was never written.
        #expect(witness.ranInTask == [true, false])
        let poisoned = await #expect(throws: StoreError.self) { try await store.commit(itemPut(5)) }
        #expect(poisoned?.code == .poisoned)
        store.close()
        let reopened = try FileRecordStore(directory: fixture.scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "1"))) == "value 1")
        for n in 2...4 { #expect(try await reopened.record(for: key("item", "\(n)")) == nil) }
        #expect(try await reopened.commit(itemPut(2)) == 2)
    }
}
