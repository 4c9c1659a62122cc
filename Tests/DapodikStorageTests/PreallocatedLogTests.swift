import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// The bytes of a log file up to the end of its last frame: the whole file for an appended log
/// (format 1 and 2), the frames without the zero tail for a preallocated one (format 3).
func logicalLog(_ url: URL) throws -> Data {
    let data = try Data(contentsOf: url)
    let bytes = [UInt8](data)
    let header = try LogFormat.parseHeader(bytes, path: url.path)
    guard header.version >= LogFormat.preallocatedVersion else { return data }
    return data.prefix(LogFormat.validPrefix(of: bytes, base: header.base, version: header.version).end)
}

/// Log format 3 (issue 15): a preallocated, zero-filled log written in place and synced with
/// `fdatasync`, and the change counter in `LOCK` that spares a committer and a reader every look at
/// the files when no other process changed them.
@Suite("File store preallocated log", .serialized, .timeLimit(.minutes(10)))
struct PreallocatedLogTests {
    func logURL(_ scratch: TemporaryDirectory, _ generation: Int = 1) -> URL {
        scratch.store.appendingPathComponent("log-\(generation)")
    }

    func put(_ n: Int, size: Int = 10) -> [Mutation] {
        [
            .put(
                key("item", "\(n)"), value: Data(repeating: UInt8(truncatingIfNeeded: n | 1), count: size),
                indexes: [.unique("item.number", "\(n)")], expecting: .mustNotExist)
        ]
    }

    /// A closed store with items 1...count.
    func makeStore(_ scratch: TemporaryDirectory, count: Int) async throws {
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...count { try await store.commit(put(n)) }
        store.close()
    }

    func tailIsZero(_ url: URL) throws -> Bool {
        let data = try Data(contentsOf: url)
        return data[try logicalLog(url).count...].allSatisfy { $0 == 0 }
    }

    @Test("a new store's log is of format 3, preallocated in whole pages, zero after its last frame")
    func preallocated() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 5)
        let file = try Data(contentsOf: logURL(scratch))
        let frames = try logicalLog(logURL(scratch))
        #expect(try LogFormat.parseHeader([UInt8](file), path: "").version == 3)
        #expect(file.count >= 64 << 10 && file.count % 4096 == 0)
        #expect(frames.count > LogFormat.headerSize && frames.count < file.count)
        #expect(try tailIsZero(logURL(scratch)))
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...5 { #expect(try await store.record(for: key("item", "\(n)"))?.version == 1) }
        #expect(try await store.commit(put(6)) == 6)
    }

    @Test("the log grows by zeros as commits outgrow it, and every commit survives a reopen")
    func grows() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...40 { try await store.commit(put(n, size: 10_000)) }
        store.close()
        let size = try Data(contentsOf: logURL(scratch)).count
        #expect(size > 400_000 && size % 4096 == 0)
        #expect(try tailIsZero(logURL(scratch)))
        let reopened = try FileRecordStore(directory: scratch.store)
        for n in 1...40 { #expect(try await reopened.record(for: key("item", "\(n)"))?.value.count == 10_000) }
    }

    @Test("a crash right after the log grew: the zeros after the last frame open as its end")
    func crashAfterGrowth() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 3)
        let handle = try FileHandle(forWritingTo: logURL(scratch))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(count: 1 << 20))
        try handle.close()
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...3 { #expect(try await store.record(for: key("item", "\(n)")) != nil) }
        #expect(try await store.commit(put(4)) == 4)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        for n in 1...4 { #expect(try await reopened.record(for: key("item", "\(n)")) != nil) }
    }

    /// Writes `bytes` into the log at `offset`, in place.
    func overwrite(_ url: URL, at offset: Int, _ bytes: Data) throws {
        let handle = try FileHandle(forUpdating: url)
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: bytes)
        try handle.close()
    }

    @Test("a write torn inside the preallocated space is zeroed on open; no remains follow the next commit")
    func tornWriteInPreallocatedSpace() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 3)
        let end = try logicalLog(logURL(scratch)).count
        // The last commit's frame (a large value) reached the disk only in part: its first 200 bytes.
        do {
            let store = try FileRecordStore(directory: scratch.store)
            try await store.commit(put(4, size: 3000))
            store.close()
        }
        let full = try Data(contentsOf: logURL(scratch))
        let frameEnd = try logicalLog(logURL(scratch)).count
        try overwrite(logURL(scratch), at: end + 200, Data(count: frameEnd - end - 200))
        try setAcknowledgedSequence(3, in: scratch.store)  // The power went before its sync returned.

        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "4")) == nil)
        #expect(try tailIsZero(logURL(scratch)))
        #expect(try Data(contentsOf: logURL(scratch)).count == full.count)
        #expect(try await store.commit(put(5)) == 4)
        store.close()
        #expect(try tailIsZero(logURL(scratch)))
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await reopened.record(for: key("item", "5"))?.sequence == 4)
        #expect(try await reopened.record(for: key("item", "4")) == nil)
    }

    @Test("a write whose first sector was lost, its later ones kept: the remains after the zeros are zeroed on open")
    func remainsAfterZeros() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 3)
        let end = try logicalLog(logURL(scratch)).count
        do {
            let store = try FileRecordStore(directory: scratch.store)
            try await store.commit(put(4, size: 3000))
            store.close()
        }
        try overwrite(logURL(scratch), at: end, Data(count: 512))
        try setAcknowledgedSequence(3, in: scratch.store)  // The power went before its sync returned.
        #expect(try !tailIsZero(logURL(scratch)))

        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "4")) == nil)
        #expect(try tailIsZero(logURL(scratch)))
        #expect(try await store.commit(put(5)) == 4)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await reopened.record(for: key("item", "5")) != nil)
        #expect(try await reopened.changes(after: 0).map(\.sequence) == [1, 2, 3, 4])
    }

    @Test("a corrupted frame followed by a valid one in a preallocated log is refused, naming the offset")
    func corruptedRecordRefused() async throws {
        let scratch = try TemporaryDirectory("storage")
        let starts = try await commitFour(in: scratch)
        var file = try Data(contentsOf: logURL(scratch))
        file[Int(starts[1]) + 20] ^= 0x01
        try file.write(to: logURL(scratch))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.offset == starts[1])
        // Salvage keeps the intact commits and finds nothing more to do afterwards.
        let report = try FileRecordStore.salvage(directory: scratch.store)
        #expect(report.lostSequences == [2...2])
        #expect(try FileRecordStore.salvage(directory: scratch.store).file == nil)
    }

    @Test("a frame header zeroed in the middle of a preallocated log is refused, never taken for the end")
    func zeroedHeaderRefused() async throws {
        let scratch = try TemporaryDirectory("storage")
        let starts = try await commitFour(in: scratch)
        try overwrite(logURL(scratch), at: Int(starts[1]), Data(count: 8))
        let before = try Data(contentsOf: logURL(scratch))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.offset == starts[1])
        #expect(try Data(contentsOf: logURL(scratch)) == before, "nothing zeroed")
    }

    @Test("a store written by the previous release (log format 2, an empty LOCK) opens, appends, compacts to format 3")
    func opensFormat2Store() async throws {
        let scratch = try TemporaryDirectory("storage")
        try copyFormat2Store(to: scratch.store)
        #expect(try Data(contentsOf: scratch.store.appendingPathComponent("LOCK")).isEmpty)
        let log = scratch.store.appendingPathComponent("log-2")
        #expect(try LogFormat.parseHeader([UInt8](try Data(contentsOf: log)), path: "").version == 2)
        do {
            let store = try FileRecordStore(directory: scratch.store)
            #expect(try await store.record(for: key("item", "2")) == nil)
            #expect(try await store.record(for: key("item", "1"))?.version == 2)
            for n in [1, 3, 4, 5, 6, 7, 8] {
                #expect(try await store.record(whereUnique: "item.number", equals: "\(n)")?.key == key("item", "\(n)"))
            }
            #expect(try await store.records(where: "item.parity", equals: "even").map(\.key.id) == ["4", "6", "8"])
            #expect(try await store.changes(after: 4).map(\.sequence) == [5, 6, 7, 8, 9, 10])
            // A format 2 log is continued as it is: appended, its file no larger than its frames.
            #expect(try await store.commit(put(9)) == 11)
            store.close()
        }
        #expect(try Data(contentsOf: scratch.store.appendingPathComponent("LOCK")).count == LockFile.mappedBytes)
        #expect(try Data(contentsOf: log) == (try logicalLog(log)))
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.record(for: key("item", "9")) != nil)
        try await store.compact()
        let log3 = scratch.store.appendingPathComponent("log-3")
        #expect(try LogFormat.parseHeader([UInt8](try Data(contentsOf: log3)), path: "").version == 3)
        #expect(try await store.commit(put(10)) == 12)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        for n in [1, 3, 4, 5, 6, 7, 8, 9, 10] { #expect(try await reopened.record(for: key("item", "\(n)")) != nil) }
    }

    @Test("a damaged length in the middle of a format 2 log is refused, never taken for a torn tail and cut off")
    func format2DamagedLengthRefused() async throws {
        let scratch = try TemporaryDirectory("storage")
        try copyFormat2Store(to: scratch.store)
        var starts: [UInt64] = []
        do {
            let store = try FileRecordStore(directory: scratch.store)
            for n in 9...12 {
                starts.append(store.logEnd)
                try await store.commit(put(n))
            }
            store.close()
        }
        let log = scratch.store.appendingPathComponent("log-2")
        // The second new frame's length, its third byte's bit 0x10 flipped: the frame now seems to run
        // past the end of the file, as a torn last frame would.
        var bytes = try Data(contentsOf: log)
        bytes[Int(starts[1]) + 2] ^= 0x10
        try bytes.write(to: log)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.offset == starts[1])
        #expect(error?.recovery == .salvage)
        #expect(try Data(contentsOf: log) == bytes, "nothing cut off")
        // Salvage keeps the commits after the damaged one.
        let report = try FileRecordStore.salvage(directory: scratch.store)
        #expect(report.lostSequences.count == 1)
        let salvaged = try FileRecordStore(directory: scratch.store)
        for n in [9, 11, 12] { #expect(try await salvaged.record(for: key("item", "\(n)")) != nil, "item \(n)") }
    }

    @Test("two handles (as two processes) see each other's commits through the change counter")
    func twoHandles() async throws {
        let scratch = try TemporaryDirectory("storage")
        let first = try FileRecordStore(directory: scratch.store)
        let second = try FileRecordStore(directory: scratch.store)
        try await first.commit(put(1))
        #expect(try await second.record(for: key("item", "1"))?.sequence == 1)
        // The second handle read the first's commit; its commit must follow it, and conflict with it.
        let conflict = await #expect(throws: StoreError.self) { try await second.commit(put(1)) }
        #expect(conflict?.code == .alreadyExists)
        #expect(try await second.commit(put(2)) == 2)
        try await first.commit([.put(key("item", "2"), value: bytes("b"), expecting: .version(1))])
        try await second.commit([.put(key("item", "2"), value: bytes("c"), expecting: .version(2))])
        #expect(text(try await first.record(for: key("item", "2"))) == "c")
        // A compaction by one handle: the other follows it, for reads and for commits.
        try await first.compact()
        #expect(try await second.record(for: key("item", "2"))?.version == 3)
        #expect(try await second.commit(put(3)) == 5)
        #expect(try await first.record(for: key("item", "3"))?.sequence == 5)
        first.close()
        second.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await reopened.changes(after: 0).count == 3)
    }

    /// Commits items 1 to 4 to a new store in `scratch` and closes it.
    /// - Returns: Where each commit's frame starts in the log.
    private func commitFour(in scratch: TemporaryDirectory) async throws -> [UInt64] {
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        var starts: [UInt64] = []
        for n in 1...4 {
            starts.append(store.logEnd)
            try await store.commit(put(n))
        }
        return starts
    }
}

// Counts system calls through `SystemCallFaults`, armed for this test's own directory (one plan per
// directory, so other suites injecting meanwhile do not touch its tally).
extension FaultInjectionTests {
    @Test("a commit when no other process changed the files: one flock, one pwrite, one fdatasync, nothing read")
    func commitSystemCalls() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(PreallocatedLogTests().put(1))
        SystemCallFaults.arm(directory: scratch.store.path, target: Int.max, action: .crashAfter)
        try await store.commit(PreallocatedLogTests().put(2))
        let commit = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(commit.calls == 3)
        let others = SystemCallFaults.Kind.allCases.filter { ![.lock, .write, .syncData].contains($0) }
        for (index, kind) in others.enumerated() {
            SystemCallFaults.arm(directory: scratch.store.path, only: kind, target: Int.max, action: .crashAfter)
            try await store.commit(PreallocatedLogTests().put(3 + index))
            #expect(SystemCallFaults.disarm(directory: scratch.store.path).calls == 0, "\(kind)")
        }
        // A read of a record this handle just committed: its value is still in memory, no system call.
        SystemCallFaults.arm(directory: scratch.store.path, target: Int.max, action: .crashAfter)
        #expect(try await store.record(for: key("item", "2")) != nil)
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).calls == 0)
        // The same read by a handle that did not commit it: one pread of its value, no look at the files.
        let reader = try FileRecordStore(directory: scratch.store)
        SystemCallFaults.arm(directory: scratch.store.path, target: Int.max, action: .crashAfter)
        #expect(try await reader.record(for: key("item", "2")) != nil)
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).calls == 1)
    }
}

extension FaultInjectionTests {
    @Test(
        "compaction reads the log's values through a window, a few reads for hundreds of commits, and a commit's values written out of key order come out right"
    )
    func compactionReadsTheLogInWindows() async throws {
        let scratch = try TemporaryDirectory("storage")
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        let store = try FileRecordStore(directory: scratch.store, options: options)
        for n in 1...400 {
            try await store.commit(.put(key("item", "\(n)"), value: bytes("value \(n)"), expecting: .mustNotExist))
        }
        // One commit whose values are written in descending key order: compaction visits them in key
        // order, each behind the one before it in the log.
        try await store.commit(
            (1...20).reversed().map { n in
                .put(key("late", String(format: "%02d", n)), value: bytes("late \(n)"), expecting: .mustNotExist)
            })
        SystemCallFaults.arm(directory: scratch.store.path, only: .read, target: Int.max, action: .crashAfter)
        try await store.compact()
        let reads = SystemCallFaults.disarm(directory: scratch.store.path).calls
        // One read per value would be 420; the window takes a few, the descending commit's values
        // behind the furthest one read so far one each.
        #expect(reads >= 1)
        #expect(reads <= 30, "\(reads) reads")
        store.close()

        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(reopened.generation == 2)
        for n in 1...400 { #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)") }
        for n in 1...20 {
            #expect(text(try await reopened.record(for: key("late", String(format: "%02d", n)))) == "late \(n)")
        }
    }
}
