import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// A log that ends before the last acknowledged commit (``LockFile/acknowledgedSequence``): cut short
/// by hand or by a careless copy, or damaged at its end. It is refused and kept as it is for salvage,
/// never taken for a torn tail and cut (StorageFormat.md, "Several processes").
@Suite("File store acknowledged commits", .timeLimit(.minutes(10)))
struct AcknowledgedCommitTests {
    func logURL(_ scratch: TemporaryDirectory) -> URL { scratch.store.appendingPathComponent("log-1") }

    func put(_ n: Int) -> Mutation {
        .put(
            key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
            expecting: .mustNotExist)
    }

    /// A store with items 1...4, one commit each, closed; returns where the fourth commit's frame
    /// starts and ends in its log.
    func makeFourCommits(_ scratch: TemporaryDirectory) async throws -> Range<Int> {
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        for n in 1...3 { try await store.commit(put(n)) }
        let start = try logicalLog(logURL(scratch)).count
        try await store.commit(put(4))
        return start..<(try logicalLog(logURL(scratch)).count)
    }

    @Test("every commit acknowledged, grouped or imported, is recorded in LOCK")
    func acknowledgementsRecorded() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try await makeFourCommits(scratch)
        #expect(try acknowledgedSequence(in: scratch.store) == 4)
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.commit([put(5), put(6)]) == 5)
        #expect(try acknowledgedSequence(in: scratch.store) == 5)
        try await store.compact()
        #expect(try acknowledgedSequence(in: scratch.store) == 5)
        // An import's commits, in a generation of their own, once `CURRENT` names it.
        #expect(try await store.importRecords([[put(7)], [put(8)]]) == 7)
        #expect(try acknowledgedSequence(in: scratch.store) == 7)
        store.close()
    }

    @Test("a log cut at every byte of its last acknowledged commit, or just before it, is refused and left as it is")
    func cutShortRefused() async throws {
        let scratch = try TemporaryDirectory("storage")
        let last = try await makeFourCommits(scratch)
        let full = try Data(contentsOf: logURL(scratch))
        for cut in last.lowerBound..<last.upperBound {
            // By hand, `truncate -s`: the file itself ends there, zeros and all.
            let contents = full.prefix(cut)
            try contents.write(to: logURL(scratch))
            let error = #expect(throws: StoreError.self, "cut at \(cut)") {
                _ = try FileRecordStore(directory: scratch.store)
            }
            #expect(error?.code == .corrupted, "cut at \(cut)")
            #expect(error?.file == logURL(scratch).path, "cut at \(cut)")
            #expect(error?.offset == UInt64(last.lowerBound), "cut at \(cut)")
            #expect(error?.recovery == .salvage, "cut at \(cut)")
            #expect(
                error?.message(in: .english).contains("ends at commit 3, but commits up to 4 were acknowledged")
                    == true,
                "cut at \(cut)")
            #expect(try Data(contentsOf: logURL(scratch)) == contents, "cut at \(cut): the log was changed")
        }
    }

    @Test("a log cut short at a frame: salvage reports the commits lost, and the store goes on after them")
    func cutShortSalvaged() async throws {
        let scratch = try TemporaryDirectory("storage")
        let last = try await makeFourCommits(scratch)
        try Data(contentsOf: logURL(scratch)).prefix(last.lowerBound).write(to: logURL(scratch))

        let report = try FileRecordStore.salvage(directory: scratch.store)
        #expect(report.file == logURL(scratch).path)
        #expect(report.offset == UInt64(last.lowerBound))
        #expect(report.removedBytes == 0)
        #expect(report.damagedCopy == nil)
        #expect(report.lastSequence == 3)
        #expect(report.lostSequences == [4...4])
        #expect(report.lostCommitCount == 1)
        #expect(report.unreadableLostCommits == 1)
        #expect(report.generation == 2)
        // Never lowered: the new generation reaches it, so a power loss that loses LOCK's page does not
        // matter, and the lost commit's sequence is never given to another one.
        #expect(try acknowledgedSequence(in: scratch.store) == 4)
        // Salvaged once, nothing more to do.
        #expect(try FileRecordStore.salvage(directory: scratch.store).file == nil)

        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "3")) != nil)
        #expect(try await store.record(for: key("item", "4")) == nil)
        #expect(try await store.commit(put(5)) == 5)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await reopened.changes(after: 0).map(\.sequence) == [1, 2, 3, 5])
    }

    @Test("a change-feed consumer that read a commit later lost is not silently behind after salvage")
    func consumerSeesCommitsAfterSalvage() async throws {
        let scratch = try TemporaryDirectory("storage")
        let last = try await makeFourCommits(scratch)
        let cursor: UInt64
        do {
            let store = try FileRecordStore(directory: scratch.store)
            cursor = try #require(try await store.changes(after: 0).last?.sequence)
            store.close()
        }
        #expect(cursor == 4)
        try Data(contentsOf: logURL(scratch)).prefix(last.lowerBound).write(to: logURL(scratch))
        _ = try FileRecordStore.salvage(directory: scratch.store)
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(put(5))
        #expect(try await store.changes(after: cursor).flatMap(\.puts).map(\.key) == [key("item", "5")])
    }

    @Test("damage in the last acknowledged commit is refused and salvaged, never zeroed as a torn tail")
    func damagedLastCommitKept() async throws {
        let scratch = try TemporaryDirectory("storage")
        let last = try await makeFourCommits(scratch)
        var log = try Data(contentsOf: logURL(scratch))
        log[last.upperBound - 2] ^= 0x01  // In the value: the frame's keys still read.
        try log.write(to: logURL(scratch))

        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.offset == UInt64(last.lowerBound))
        #expect(try Data(contentsOf: logURL(scratch)) == log, "the damaged commit was removed")

        let report = try FileRecordStore.salvage(directory: scratch.store)
        #expect(report.lostSequences == [4...4])
        #expect(report.lostCommitCount == 1)
        #expect(report.unverifiedLostKeys == [key("item", "4")])
        let copy = try #require(report.damagedCopy)
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == log)
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "4")) == nil)
        #expect(try await store.commit(put(5)) == 5)
    }

    @Test("a salvage whose LOCK page a power loss lost opens all the same")
    func salvageSurvivesLostLockPage() async throws {
        let scratch = try TemporaryDirectory("storage")
        let last = try await makeFourCommits(scratch)
        let lock = try Data(contentsOf: scratch.store.appendingPathComponent("LOCK"))
        var log = try Data(contentsOf: logURL(scratch))
        log[last.upperBound - 2] ^= 0x01
        try log.write(to: logURL(scratch))
        _ = try FileRecordStore.salvage(directory: scratch.store)
        // LOCK is never synced: after a power loss it may hold what it held before the salvage.
        try lock.write(to: scratch.store.appendingPathComponent("LOCK"))
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "3")) != nil)
        #expect(try await store.commit(put(5)) == 5)
    }

    @Test("another handle neither reads a frame whose sync is pending nor, once that sync failed, writes after it")
    func unsyncedFrameReadElsewhere() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try await makeFourCommits(scratch)
        let gate = FlushGate()
        var options = FileRecordStore.Options()
        options.flushHook = { sequence throws(StoreError) in try gate.hook(sequence) }
        let writer = try FileRecordStore(directory: scratch.store, options: options)
        // Another handle locks `LOCK` through its own descriptions, as another process does.
        let other = try FileRecordStore(directory: scratch.store)
        gate.hold(1)
        let failing = blockingCommit(writer, put(5))
        await gate.waitForHeldFlush()
        // Item 5's frame is written and its sync pending: a reader without the lock must not take it.
        #expect(try await other.record(for: key("item", "5")) == nil)
        #expect(try await other.changes(after: 4).isEmpty)
        gate.release(failing: true)
        await #expect(throws: StoreError.self) { _ = try await failing.value }
        writer.close()
        // The failed sync zeroed the frame. The other handle must not write after the hole it left.
        #expect(try await other.commit(put(6)) == 5)
        other.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await reopened.record(for: key("item", "5")) == nil)
        #expect(try await reopened.record(for: key("item", "6"))?.sequence == 5)
    }

    @Test("a reader takes commits past the acknowledged sequence when no writer is at work (an earlier release's)")
    func readerTakesCommitsOfAnEarlierRelease() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try await makeFourCommits(scratch)
        let writer = try FileRecordStore(directory: scratch.store)
        let reader = try FileRecordStore(directory: scratch.store)
        #expect(try await reader.record(for: key("item", "4")) != nil)
        try await writer.commit(put(5))
        // As an earlier release leaves it: commit 5 written and synced, the acknowledged sequence not moved.
        try setAcknowledgedSequence(4, in: scratch.store)
        #expect(try await reader.record(for: key("item", "5"))?.sequence == 5)
        writer.close()
        reader.close()
    }

    @Test("a log of format 2 is read to its end while no writer works, even with a change cut short")
    func format2ReadWithCounterOdd() async throws {
        let scratch = try TemporaryDirectory("storage")
        try copyFormat2Store(to: scratch.store)
        let reader = try FileRecordStore(directory: scratch.store)
        #expect(try await reader.record(for: key("item", "9")) == nil)
        let writer = try FileRecordStore(directory: scratch.store)
        try await writer.commit(put(9))
        writer.close()
        // As a release from before the change counter leaves it appending after another process died
        // inside a change: the counter odd, its commit not acknowledged.
        try setAcknowledgedSequence(10, in: scratch.store)
        try makeChangeCounterOdd(in: scratch.store)
        #expect(try await reader.record(for: key("item", "9"))?.sequence == 11)
        reader.close()
    }

    @Test("opening takes commits a writer wrote but never acknowledged, syncs them and records them")
    func openAcknowledgesAdoptedCommits() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try await makeFourCommits(scratch)
        // A writer that died after its frame was written, before its sync returned.
        try setAcknowledgedSequence(3, in: scratch.store)
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "4"))?.sequence == 4)
        #expect(try acknowledgedSequence(in: scratch.store) == 4)
        store.close()
    }

    @Test("a directory whose LOCK knows acknowledged commits is never taken for a creation cut short")
    func lostManifestNotANewStore() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try await makeFourCommits(scratch)
        // Every commit lost with the manifest: an empty log-1 and no CURRENT, as a creation cut short leaves.
        let header = try Data(contentsOf: logURL(scratch)).prefix(LogFormat.headerSize)
        try header.write(to: logURL(scratch))
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted()

        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .manifestMissing)
        #expect(error?.message(in: .english).contains("LOCK (commit 4)") == true, "\(String(describing: error))")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted() == before)
        #expect(try Data(contentsOf: logURL(scratch)) == header)
    }
}

extension FaultInjectionTests {
    static func item(_ n: Int) -> Mutation {
        .put(
            key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
            expecting: .mustNotExist)
    }

    @Test("a failed sync of commits a committer adopted poisons its store: they are never shown")
    func adoptionSyncFailurePoisons() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 3)
        let other = try FileRecordStore(directory: scratch.store)
        let writer = try FileRecordStore(directory: scratch.store)
        try await writer.commit(Self.item(4))
        writer.close()
        // As a writer killed before its sync returned leaves it: commit 4 not acknowledged, the counter odd.
        try setAcknowledgedSequence(3, in: scratch.store)
        try makeChangeCounterOdd(in: scratch.store)
        SystemCallFaults.arm(directory: scratch.store.path, only: .syncData, target: 1, action: .fail(errno: EIO))
        await #expect(throws: StoreError.self) { try await other.commit(Self.item(5)) }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .syncData)
        let error = await #expect(throws: StoreError.self) { _ = try await other.record(for: key("item", "4")) }
        #expect(error?.code == .poisoned)
        other.close()
    }

    @Test("a reader stopped at a commit being synced does not read the log again until something changes")
    func readerWaitsWithoutRereading() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 3)
        let gate = FlushGate()
        var options = FileRecordStore.Options()
        options.flushHook = { sequence throws(StoreError) in try gate.hook(sequence) }
        let writer = try FileRecordStore(directory: scratch.store, options: options)
        let reader = try FileRecordStore(directory: scratch.store)
        #expect(try await reader.record(for: key("item", "4")) == nil)
        gate.hold(1)
        let pending = blockingCommit(writer, Self.item(4))
        await gate.waitForHeldFlush()
        SystemCallFaults.arm(directory: scratch.store.path, only: .read, target: .max, action: .fail(errno: EIO))
        for _ in 0..<100 { #expect(try await reader.record(for: key("item", "4")) == nil) }
        let reads = SystemCallFaults.disarm(directory: scratch.store.path).calls
        #expect(reads <= 2, "\(reads) reads of the log for 100 reads of the store")
        gate.release(failing: false)
        _ = try await pending.value
        #expect(try await reader.record(for: key("item", "4"))?.sequence == 4)
        writer.close()
        reader.close()
    }

    @Test("a commit whose sync failed is not recorded as acknowledged")
    func failedSyncNotAcknowledged() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 3)
        let store = try FileRecordStore(directory: scratch.store)
        SystemCallFaults.arm(directory: scratch.store.path, only: .syncData, target: 1, action: .fail(errno: EIO))
        await #expect(throws: StoreError.self) {
            try await store.commit(
                .put(key("item", "4"), value: bytes("value 4"), expecting: .mustNotExist))
        }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .syncData)
        store.close()
        #expect(try acknowledgedSequence(in: scratch.store) == 3)
    }
}
