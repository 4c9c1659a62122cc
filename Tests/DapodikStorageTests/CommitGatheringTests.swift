import DapodikLocking
import DapodikTestSupport
import Dispatch
import Testing

@testable import DapodikStorage

/// Before it commits a group of waiting commits, the committer's queue waits a little for the callers
/// of the group it has just acknowledged to commit again, so that they join that group instead of
/// always missing it (issue 15: eight clients formed two alternating groups of about four).
///
/// The stores here wait up to a minute and not only half the last flush, so that which commits form a
/// group depends on the test's steps, never on timing; a test that fails waits that minute.
@Suite("FileRecordStore: groups wait for returning commits", .serialized, .timeLimit(.minutes(10)))
struct CommitGatheringTests {
    /// A store whose groups wait up to `limit` for returning commits, not bounded by the flush.
    static func openStore(limit: Duration = .seconds(60)) throws -> WitnessedStore {
        try WitnessedStore(gatheringLimit: limit, boundedByFlush: false)
    }

    @Test("the caller of a commit just acknowledged commits again and joins the group that waited meanwhile")
    func returningCommitJoinsTheWaitingGroup() async throws {
        let fixture = try Self.openStore()
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let waiting = [
            await queuedCommit(store, itemPut(2), queued: 1), await queuedCommit(store, itemPut(3), queued: 2),
        ]
        witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        // Commits 2 and 3 are not committed until the caller of 1 is back: its next commit joins them.
        #expect(store.queuedCommitCount == 2)
        let returning = blockingCommit(store, itemPut(4))
        var sequences: [UInt64] = []
        for commit in waiting + [returning] { sequences.append(try await commit.value) }
        #expect(sequences == [2, 3, 4])
        // Two flushes: commit 1 on its caller's thread, then 2, 3 and 4 as one group (without the wait,
        // 2 and 3 would have been one group and 4 a third flush).
        #expect(witness.ranInTask == [true, false])
        #expect(try await store.changes(after: 0, limit: 10).map(\.sequence) == [1, 2, 3, 4])
    }

    @Test(
        "after a group of several commits the committer keeps the turn, and their callers' next commits form one group")
    func groupOfReturningCommits() async throws {
        let fixture = try Self.openStore()
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let second = await queuedCommit(store, itemPut(2), queued: 1)
        witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        // The caller of 1 commits again: 2 and 5 form a group of two.
        let secondAgain = blockingCommit(store, itemPut(5))
        #expect(try await second.value == 2)
        #expect(try await secondAgain.value == 3)
        // No commit waits now, but the callers of that group may come back: both do, and form one
        // group on the committer's queue (without the wait, the first would commit alone on its own
        // thread and the other would wait for it).
        #expect(store.isCommittingGroup)
        let back = [blockingCommit(store, itemPut(6)), blockingCommit(store, itemPut(7))]
        var sequences: [UInt64] = []
        for commit in back { sequences.append(try await commit.value) }
        #expect(sequences.sorted() == [4, 5])
        #expect(witness.ranInTask == [true, false, false])
    }

    @Test("callers that do not come back delay the waiting group by the limit at most, and the turn is freed")
    func callersThatDoNotReturn() async throws {
        let fixture = try Self.openStore(limit: .milliseconds(20))
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let second = await queuedCommit(store, itemPut(2), queued: 1)
        witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        // The caller of 1 never commits again: 2 is committed once the wait ends.
        #expect(try await second.value == 2)
        // A group of one keeps no turn: the next commit is made on its caller's thread.
        #expect(try await store.commit(itemPut(3)) == 3)
        #expect(witness.ranInTask == [true, false, true])
    }

    @Test("after a group whose commits all failed, no one is waited for: their callers are not counted on to return")
    func failedGroupIsNotWaitedFor() async throws {
        let fixture = try Self.openStore()
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        #expect(try await store.commit(itemPut(1)) == 1)
        let first = await fixture.commitHeldInFlush(itemPut(2))
        // Three commits of an existing key: the first two wait behind commit 2, the third joins them
        // as the returning caller of commit 2 (the committer's queue waits for it).
        var failing = [
            await queuedCommit(store, itemPut(1), queued: 1), await queuedCommit(store, itemPut(1), queued: 2),
        ]
        witness.gate.release(failing: false)
        #expect(try await first.value == 2)
        failing.append(blockingCommit(store, itemPut(1)))
        for commit in failing {
            let refused = await #expect(throws: StoreError.self) { _ = try await commit.value }
            #expect(refused?.code == .alreadyExists)
        }
        // The group of three failed as a whole: the turn is freed at once, not kept for the minute this
        // store would wait for three returning callers, and the next commit leads on its own thread.
        #expect(await LockOrderTests.eventually { !store.isCommittingGroup && store.queuedCommitCount == 0 })
        #expect(try await store.commit(itemPut(3)) == 3)
        #expect(witness.ranInTask == [true, true, true])
    }

    @Test("a caller flushes its own commit only while one client commits: never right after a group of several")
    func whoLeadsOnTheCallersThread() {
        var turns = CommitTurns(
            gatheringPolicy: GatheringPolicy(limit: 1_000_000, boundedByFlush: true, minimumFlush: 200_000))
        let first = turns.takeLeadOnCallersThread()
        #expect(first, "a first commit leads on its caller's thread")
        let whileTaken = turns.takeLeadOnCallersThread()
        #expect(!whileTaken, "the turn is taken")
        turns.leading = false
        turns.severalCommitting = true
        let afterGroup = turns.takeLeadOnCallersThread()
        #expect(!afterGroup, "after a group of several, the committer's queue leads")
        #expect(!turns.leading, "the refused caller took nothing")
        let byQueue = turns.takeLead()
        #expect(byQueue, "the committer's queue takes the free turn")
        turns.leading = false
        turns.severalCommitting = false
        turns.held = true
        let whileHeld = turns.takeLeadOnCallersThread()
        #expect(!whileHeld, "held commits wait")
    }

    @Test(
        "a single client never waits, nor anyone after a fast flush; the wait is at most half the flush and the limit")
    func whenToWait() {
        var turns = CommitTurns(
            gatheringPolicy: GatheringPolicy(limit: 1_000_000, boundedByFlush: true, minimumFlush: 200_000))
        turns.leading = true
        turns.returning = 1
        turns.lastFlushNanoseconds = 400_000
        // One commit acknowledged, none waiting: the turn is freed.
        guard case .free = turns.nextTurn() else {
            Issue.record("a commit alone kept the turn")
            return
        }
        #expect(turns.beginGathering() == nil)
        // Two acknowledged, none waiting: the committer's queue keeps the turn and waits for both,
        // half the last flush.
        turns.leading = true
        turns.returning = 2
        guard case .drain = turns.nextTurn() else {
            Issue.record("a group of two freed the turn")
            return
        }
        #expect(turns.beginGathering()?.nanoseconds == 200_000)
        #expect(turns.gathering?.target == 2)
        #expect(turns.returning == 0, "one wait per group")
        #expect(turns.beginGathering() == nil)
        // After a flush shorter than the minimum: no wait, the turn is freed.
        turns.returning = 2
        turns.lastFlushNanoseconds = 150_000
        #expect(turns.beginGathering() == nil)
        turns.returning = 2
        guard case .free = turns.nextTurn() else {
            Issue.record("the turn was kept after a fast flush")
            return
        }
        // After a very slow flush: the limit.
        turns.returning = 2
        turns.lastFlushNanoseconds = 30_000_000
        #expect(turns.beginGathering()?.nanoseconds == 1_000_000)
        // Held commits, a closed store, a limit of zero: no wait.
        turns.returning = 2
        turns.held = true
        #expect(turns.beginGathering() == nil)
        turns.held = false
        turns.returning = 2
        var closed = turns
        _ = closed.close()
        #expect(closed.beginGathering() == nil)
        var off = CommitTurns(gatheringPolicy: GatheringPolicy(limit: 0, boundedByFlush: true, minimumFlush: 0))
        off.returning = 2
        off.lastFlushNanoseconds = 30_000_000
        #expect(off.beginGathering() == nil)
        off.leading = true
        guard case .free = off.nextTurn() else {
            Issue.record("the turn was kept with the wait turned off")
            return
        }
    }

    @Test(
        "by default a group waits only after a flush of 500 µs or more: shorter flushes come back sooner than the wait pays"
    )
    func defaultPolicy() {
        let policy = GatheringPolicy(FileRecordStore.Options())
        // This disk's flushes on the Intel host (140–220 µs), and up to the threshold: no wait.
        for flush: UInt64 in [0, 50_000, 150_000, 220_000, 499_999] {
            #expect(policy.wait(afterFlushOf: flush) == 0, "after a flush of \(flush) ns")
        }
        // From the threshold on: half the flush, at most 1 ms.
        #expect(policy.wait(afterFlushOf: 500_000) == 250_000)
        #expect(policy.wait(afterFlushOf: 1_500_000) == 750_000)
        #expect(policy.wait(afterFlushOf: 4_000_000) == 1_000_000)
    }
}
