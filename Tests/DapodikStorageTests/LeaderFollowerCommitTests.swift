import DapodikLanguage
import DapodikLocking
import DapodikTestSupport
import Dispatch
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Leader/follower group commit (issue 15): a commit that finds no one committing is made on its
/// caller's thread; commits arriving meanwhile wait and form the next group, committed on the
/// committer's queue (never blocking a thread of the cooperative pool in `fdatasync`); a commit
/// that must wait for another process's lock moves there too.
@Suite("FileRecordStore leader/follower commit", .serialized, .timeLimit(.minutes(10)))
struct LeaderFollowerCommitTests {
    /// A store whose groups never wait for returning commits (``CommitGatheringTests`` tests that
    /// wait), so that which thread flushes which commit depends on the test's steps only.
    static func openStore() throws -> WitnessedStore { try WitnessedStore(gatheringLimit: .zero) }

    @Test(
        "a commit alone is written and flushed on its caller's thread; a group of waiting commits, and the commit after it, on the committer's queue"
    )
    func leaderCommitsOnTheCallersThread() async throws {
        let fixture = try Self.openStore()
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        #expect(try await store.commit(itemPut(1)) == 1)
        #expect(try await store.commit(itemPut(2)) == 2)
        #expect(witness.ranInTask == [true, true])

        // Commits that arrive while one is flushed wait, and form one group on the committer's queue.
        let first = await fixture.commitHeldInFlush(itemPut(3))
        let followers = [
            await queuedCommit(store, itemPut(4), queued: 1), await queuedCommit(store, itemPut(5), queued: 2),
            await queuedCommit(store, itemPut(6), queued: 3),
        ]
        witness.gate.release(failing: false)
        #expect(try await first.value == 3)
        var sequences: [UInt64] = []
        for follower in followers { sequences.append(try await follower.value) }
        #expect(sequences == [4, 5, 6])
        // One flush for commit 3, inside its task; one for the group of 4, 5 and 6, outside any.
        #expect(witness.ranInTask == [true, true, true, false])
        // Right after a group of several, a commit that finds the turn free still goes to the
        // committer's queue: its fellow clients are coming back, and a thread of the cooperative pool
        // must not block in `fdatasync` meanwhile.
        #expect(try await store.commit(itemPut(7)) == 7)
        #expect(witness.ranInTask == [true, true, true, false, false])
        // That group held one commit: one client commits, and its next commit is made on its caller's
        // thread again.
        #expect(try await store.commit(itemPut(8)) == 8)
        #expect(witness.ranInTask == [true, true, true, false, false, true])
        #expect(try await store.changes(after: 2, limit: 10).map(\.sequence) == [3, 4, 5, 6, 7, 8])
    }

    @Test(
        "while the flush is fast, the caller that led a group commits the commits that arrived meanwhile on its own thread, at most eight groups, and a commit after a group of several leads on its own thread"
    )
    func fastFlushKeepsGroupsOnCallersThreads() async throws {
        // An hour: every flush counts as fast, however long the test holds it.
        let fixture = try WitnessedStore(gatheringLimit: .zero, callersThreadMaximumFlush: .seconds(3600))
        let (witness, store) = (fixture.witness, fixture.store)
        defer { store.close() }
        let groupLimit = CommitTurns.maximumGroupsOnCallersThread
        // Commit 1 leads; while each group is flushed, the next commit queues and forms the next group.
        let first = await fixture.commitHeldInFlush(itemPut(1))
        var queued: [Task<UInt64, any Error>] = []
        for n in 2...groupLimit + 1 {
            queued.append(await queuedCommit(store, itemPut(n), queued: 1))
            witness.gate.hold(1)
            witness.gate.release(failing: false)
            await witness.gate.waitForHeldFlush()
        }
        witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        for (offset, task) in queued.enumerated() { #expect(try await task.value == UInt64(offset + 2)) }
        // The leader's thread flushed the first eight groups; the ninth went to the committer's queue,
        // so that the leader's own answer waits for no more.
        #expect(witness.ranInTask == Array(repeating: true, count: groupLimit) + [false])

        // A group of two, committed by the caller that led the group before it…
        let next = groupLimit + 2
        let leader = await fixture.commitHeldInFlush(itemPut(next))
        let pair = [
            await queuedCommit(store, itemPut(next + 1), queued: 1),
            await queuedCommit(store, itemPut(next + 2), queued: 2),
        ]
        witness.gate.release(failing: false)
        #expect(try await leader.value == UInt64(next))
        for (offset, task) in pair.enumerated() { #expect(try await task.value == UInt64(next + 1 + offset)) }
        // …and the commit after that group of several leads on its caller's thread too.
        #expect(try await store.commit(itemPut(next + 3)) == UInt64(next + 3))
        #expect(witness.ranInTask.suffix(3) == [true, true, true])
        #expect(try await store.changes(after: 0, limit: 20).map(\.sequence) == (1...UInt64(next + 3)).map { $0 })
    }

    @Test(
        "a commit that finds another process's lock waits for it on the committer's queue, not on its caller's thread")
    func lockedByAnotherProcess() async throws {
        let fixture = try Self.openStore()
        let (scratch, witness, store) = (fixture.scratch, fixture.witness, fixture.store)
        defer { store.close() }
        try await store.commit(itemPut(1))
        let holder = try LockOrderTests.holdLock(scratch.store)
        let commit = Task { try await store.commit(itemPut(2)) }
        #expect(await LockOrderTests.eventually { store.isCommittingGroup })
        // Reads go on, and the commit is not made while the other process holds the lock.
        #expect(text(try await store.record(for: key("item", "1"))) == "value 1")
        #expect(try await store.record(for: key("item", "2")) == nil)
        holder.closeInput()
        #expect(try await commit.value == 2)
        #expect(witness.ranInTask == [true, false])
        // Once the lock is free again, commits are made on their caller's thread again.
        #expect(try await store.commit(itemPut(3)) == 3)
        #expect(witness.ranInTask == [true, false, true])
    }

    @Test("cancelling waiting commits does not abandon them")
    func cancelledFollowers() async throws {
        let fixture = try Self.openStore()
        let (scratch, witness, store) = (fixture.scratch, fixture.witness, fixture.store)
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let firstWaiting = await queuedCommit(store, itemPut(2), queued: 1)
        let follower = await queuedCommit(store, itemPut(3), queued: 2)
        let last = await queuedCommit(store, itemPut(4), queued: 3)
        firstWaiting.cancel()
        follower.cancel()
        witness.gate.release(failing: false)
        // A commit that may already be durable is never reported as not made: each is made, in order.
        #expect(try await first.value == 1)
        #expect(try await firstWaiting.value == 2)
        #expect(try await follower.value == 3)
        #expect(try await last.value == 4)
        #expect(witness.ranInTask.count == 2)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        for n in 1...4 { #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)") }
        #expect(try await reopened.changes(after: 0, limit: 10).map(\.sequence) == [1, 2, 3, 4])
    }

    @Test(
        "a compaction asked for while a group is flushed waits for it, and commits asked for after it wait for the compaction"
    )
    func compactionTakesItsTurn() async throws {
        let fixture = try Self.openStore()
        let (scratch, witness, store) = (fixture.scratch, fixture.witness, fixture.store)
        defer { store.close() }
        let first = await fixture.commitHeldInFlush(itemPut(1))
        let compaction = Task { try await store.compact() }
        while !store.turns.withLock({ !$0.waiters.isEmpty }) { await Task.yield() }
        let after = await queuedCommit(store, itemPut(2), queued: 1)
        witness.gate.release(failing: false)
        #expect(try await first.value == 1)
        try await compaction.value
        #expect(try await after.value == 2)
        // The compaction ran between the two commits: commit 1 is in the new snapshot, 2 in its log.
        #expect(store.generation == 2)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(reopened.generation == 2)
        for n in 1...2 { #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)") }
    }
}

extension FaultInjectionTests {
    @Test(
        "a group's failed fdatasync fails every commit of it, none visible, and poisons the store",
        arguments: [EIO, ENOSPC])
    func leaderSyncFailure(errno: Int32) async throws {
        let scratch = try TemporaryDirectory("storage")
        let witness = FlushWitness()
        var options = FileRecordStore.Options()
        options.flushHook = { sequence throws(StoreError) in try witness.hook(sequence) }
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(.put(key("item", "0"), value: bytes("zero"), expecting: .mustNotExist))

        // Commit 1 holds the turn while four commits queue; they form the next group.
        witness.gate.hold(1)
        let first = blockingCommit(store, .put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        await witness.gate.waitForHeldFlush()
        var group: [Task<UInt64, any Error>] = []
        for n in 2...5 {
            let mutation = Mutation.put(
                key("item", "\(n)"), value: bytes("v\(n)"), indexes: [.unique("tag", "\(n)")], expecting: .mustNotExist)
            let task = blockingCommit(store, mutation)
            while store.queuedCommitCount < n - 1 { await Task.yield() }
            group.append(task)
        }
        // Commit 1's fdatasync succeeds; the next one, the group's, fails.
        SystemCallFaults.arm(directory: scratch.store.path, only: .syncData, target: 2, action: .fail(errno: errno))
        witness.gate.release(failing: false)
        #expect(try await first.value == 2)
        for task in group {
            let failed = await #expect(throws: StoreError.self) { _ = try await task.value }
            #expect(failed?.code == .ioFailure)
            #expect(failed?.errno == errno)
        }
        let tally = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(tally.hitKind == .syncData)
        #expect(witness.ranInTask == [true, true, false])
        // Nothing of the group was ever visible, and the store refuses everything after.
        let read = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "2")) }
        #expect(read?.code == .poisoned)
        let write = await #expect(throws: StoreError.self) {
            try await store.commit(.put(key("item", "9"), value: Data(), expecting: .mustNotExist))
        }
        #expect(write?.code == .poisoned)
        store.close()

        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "1"))) == "one")
        for n in 2...5 {
            #expect(try await reopened.record(for: key("item", "\(n)")) == nil)
            #expect(try await reopened.record(whereUnique: "tag", equals: "\(n)") == nil)
        }
        #expect(try await reopened.changes(after: 0, limit: 10).map(\.sequence) == [1, 2])
        #expect(try await reopened.commit(.put(key("item", "2"), value: bytes("v2"), expecting: .mustNotExist)) == 3)
    }
}

extension FaultInjectionTests {
    @Test(
        "a commit's failed fdatasync on its caller's thread fails it, and the commits waiting behind it find the store poisoned"
    )
    func callersThreadSyncFailure() async throws {
        let scratch = try TemporaryDirectory("storage")
        let witness = FlushWitness()
        var options = FileRecordStore.Options()
        options.flushHook = { sequence throws(StoreError) in try witness.hook(sequence) }
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(.put(key("item", "0"), value: bytes("zero"), expecting: .mustNotExist))

        witness.gate.hold(1)
        let leader = blockingCommit(store, .put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        await witness.gate.waitForHeldFlush()
        var waiting: [Task<UInt64, any Error>] = []
        for n in 2...3 {
            let task = blockingCommit(store, .put(key("item", "\(n)"), value: bytes("v\(n)"), expecting: .mustNotExist))
            while store.queuedCommitCount < n - 1 { await Task.yield() }
            waiting.append(task)
        }
        SystemCallFaults.arm(directory: scratch.store.path, only: .syncData, target: 1, action: .fail(errno: EIO))
        witness.gate.release(failing: false)
        let failed = await #expect(throws: StoreError.self) { _ = try await leader.value }
        #expect(failed?.code == .ioFailure)
        #expect(failed?.errno == EIO)
        for task in waiting {
            let refused = await #expect(throws: StoreError.self) { _ = try await task.value }
            #expect(refused?.code == .poisoned)
        }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .syncData)
        // The leader's flush ran on its caller's thread; nothing else was flushed.
        #expect(witness.ranInTask == [true, true])
        store.close()

        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "0"))) == "zero")
        for n in 1...3 { #expect(try await reopened.record(for: key("item", "\(n)")) == nil) }
        #expect(try await reopened.changes(after: 0, limit: 10).map(\.sequence) == [1])
    }
}
