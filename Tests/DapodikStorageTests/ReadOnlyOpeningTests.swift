import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// ``FileRecordStore/Options/readOnly``: a store opened for reading only serves every read and the
/// integrity check, refuses every change with `store.readOnly`, and leaves every byte, every file and
/// every time stamp of its directory as it found them, also where a writer would have repaired
/// something; it shows every commit acknowledged when it opened, while another process writes.
@Suite("File store opened read-only", .timeLimit(.minutes(10)))
struct ReadOnlyOpeningTests {
    /// Options that open a store read-only.
    static func readOnly(lockWait: LockWaitPolicy = LockWaitPolicy()) -> FileRecordStore.Options {
        var options = FileRecordStore.Options()
        options.readOnly = true
        options.lockWait = lockWait
        return options
    }

    /// What a file looks like from outside: its bytes and its modification time.
    struct FileState: Equatable {
        let contents: Data
        let modified: Date?
    }

    /// Every file of `directory` with its bytes and modification time, and the directory's own
    /// modification time (under the name `.`), which creating, renaming or removing a file changes.
    static func listing(_ directory: URL) throws -> [String: FileState] {
        let files = FileManager.default
        var listing = [
            ".": FileState(
                contents: Data(),
                modified: try files.attributesOfItem(atPath: directory.path)[.modificationDate] as? Date)
        ]
        for name in try files.contentsOfDirectory(atPath: directory.path) {
            let path = directory.appendingPathComponent(name).path
            listing[name] = FileState(
                contents: try Data(contentsOf: URL(fileURLWithPath: path)),
                modified: try files.attributesOfItem(atPath: path)[.modificationDate] as? Date)
        }
        return listing
    }

    /// Overwrites `count` bytes of `file` at `offset` with `bytes`.
    static func overwrite(_ file: URL, at offset: UInt64, with bytes: [UInt8]) throws {
        let handle = try FileHandle(forUpdating: file)
        defer { try? handle.close() }
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(bytes))
    }

    /// Checks what ``IntegrityCheckTests/snapshotAndLog(_:)`` committed, as `store` shows it.
    static func expectItems(_ store: FileRecordStore, through last: Int) async throws {
        for n in 1...last {
            #expect(text(try await store.record(for: key("item", "\(n)"))) == "value \(n)", "item \(n)")
        }
        #expect(try await store.record(for: key("item", "\(last + 1)")) == nil)
        #expect(try await store.record(whereUnique: "item.number", equals: "3")?.key == key("item", "3"))
        #expect(try await store.changes(after: 0, limit: 100).last?.sequence == UInt64(last))
    }

    @Test(
        "a read-only store serves every read and refuses a commit, a compaction and an import with store.readOnly; nothing in its directory changes"
    )
    func refusesEveryChange() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        // As a backup leaves it (and an earlier release): an empty LOCK, which a writer grows on open.
        try FileHandle(forWritingTo: scratch.store.appendingPathComponent("LOCK")).truncate(atOffset: 0)
        let before = try Self.listing(scratch.store)

        let store = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        #expect(store.isReadOnly)
        try await Self.expectItems(store, through: 13)
        let report = try await store.checkIntegrity()
        #expect(report.lastSequence == 13 && report.snapshotValues == 10 && report.logCommits == 3, "\(report)")

        let commit = await #expect(throws: StoreError.self) {
            try await store.commit(.put(key("item", "14"), value: bytes("value 14"), expecting: .mustNotExist))
        }
        #expect(commit?.code == .readOnly)
        #expect(commit?.file == scratch.store.path)
        #expect(commit?.message.english.contains("opened read-only, so the commit was refused") == true)
        #expect(commit?.message.indonesian.contains("dibuka hanya-baca, jadi commit ditolak") == true)
        let compaction = await #expect(throws: StoreError.self) { try await store.compact() }
        #expect(compaction?.code == .readOnly)
        #expect(compaction?.message.english.contains("so the compaction was refused") == true)
        #expect(compaction?.message.indonesian.contains("jadi pemadatan ditolak") == true)
        let batch: [Mutation] = [.put(key("item", "20"), value: bytes("value 20"), expecting: .mustNotExist)]
        let imported = await #expect(throws: StoreError.self) { try await store.importRecords([batch]) }
        #expect(imported?.code == .readOnly)
        #expect(try await store.record(for: key("item", "14")) == nil)
        store.close()

        #expect(try Self.listing(scratch.store) == before)
    }

    @Test("a store without LOCK is read without one, and no LOCK is made")
    func missingLockIsNotMade() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("LOCK"))
        let before = try Self.listing(scratch.store)

        let store = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        try await Self.expectItems(store, through: 13)
        #expect(try await store.checkIntegrity().lastSequence == 13)
        store.close()

        #expect(try Self.listing(scratch.store) == before)
        #expect(!FileManager.default.fileExists(atPath: scratch.store.appendingPathComponent("LOCK").path))
    }

    @Test("a clean log's zeros are read once: opening read-only reads the log as often as opening for writing")
    func cleanTailIsReadOnce() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        let log = try IntegrityCheckTests.file("log-", in: scratch.store)
        #expect(try FileManager.default.attributesOfItem(atPath: log.path)[.size] as? Int ?? 0 >= 64 << 10)

        /// How many reads of the log an open makes: each read in turn is failed, and the reads that
        /// were the log's counted, until an open reads no more.
        func readsOfLog(_ options: FileRecordStore.Options) -> Int {
            var count = 0
            for n in 1... {
                SystemCallFaults.arm(directory: scratch.store.path, only: .read, target: n, action: .fail(errno: EIO))
                let store = try? FileRecordStore(directory: scratch.store, options: options)
                let tally = SystemCallFaults.disarm(directory: scratch.store.path)
                store?.close()
                guard let path = tally.hitPath else { return count }
                if path == log.path { count += 1 }
            }
            return count
        }
        let reading = readsOfLog(Self.readOnly())
        let writing = readsOfLog(FileRecordStore.Options())
        #expect(writing > 0)
        #expect(reading == writing, "read-only open: \(reading) reads of the log, open for writing: \(writing)")
    }

    @Test("no store is made where there is none: a missing directory stays missing, an empty one empty")
    func noStoreIsMade() throws {
        let scratch = try TemporaryDirectory("storage")
        let missing = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        }
        #expect(missing?.code == .ioFailure && missing?.errno == ENOENT, "\(String(describing: missing))")
        #expect(!FileManager.default.fileExists(atPath: scratch.store.path))

        try FileManager.default.createDirectory(at: scratch.store, withIntermediateDirectories: false)
        let before = try Self.listing(scratch.store)
        let empty = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        }
        #expect(empty?.code == .ioFailure && empty?.errno == ENOENT, "\(String(describing: empty))")
        #expect(empty?.file == scratch.store.appendingPathComponent("CURRENT").path)
        #expect(try Self.listing(scratch.store) == before)
    }

    @Test("a torn log tail and a crashed compaction's leftovers are read past, not repaired (a writer repairs them)")
    func tornTailAndLeftoversStay() async throws {
        let scratch = try TemporaryDirectory("storage")
        let writer = try await IntegrityCheckTests.snapshotAndLog(scratch.store)
        let logEnd = writer.logEnd
        writer.close()
        // An unfinished write after the last frame, and what a compaction killed midway leaves.
        let log = try IntegrityCheckTests.file("log-", in: scratch.store)
        try Self.overwrite(log, at: logEnd, with: [0x5A, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55])
        for name in ["snapshot-3", "log-3", "CURRENT.tmp"] {
            try Data("left by a compaction killed midway".utf8).write(to: scratch.store.appendingPathComponent(name))
        }
        let before = try Self.listing(scratch.store)

        let store = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        try await Self.expectItems(store, through: 13)
        // What was left out is said: the nine bytes after the last frame, up to the last that is not zero.
        let tail = FileRecordStore.LeftOutTail(reason: .tornWrite, file: log.path, offset: logEnd, length: 9)
        #expect(store.leftOutTail == tail)
        let report = try await store.checkIntegrity()
        #expect(report.lastSequence == 13 && report.leftOutTail == tail, "\(report)")
        store.close()
        #expect(try Self.listing(scratch.store) == before)

        // The same directory opened for writing is repaired: the tail zeroed, the leftovers removed.
        let writable = try FileRecordStore(directory: scratch.store)
        #expect(writable.leftOutTail == nil)
        #expect(try await writable.checkIntegrity().leftOutTail == nil)
        writable.close()
        let reopened = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        #expect(reopened.leftOutTail == nil)
        reopened.close()
        let repaired = try Self.listing(scratch.store)
        #expect(repaired["CURRENT.tmp"] == nil && repaired["snapshot-3"] == nil && repaired["log-3"] == nil)
        #expect(repaired[log.lastPathComponent] != before[log.lastPathComponent])
    }

    @Test(
        "damage where the log seems to end, followed by frames that continue it, is refused at the same offset as opening refuses it",
        arguments: [11, 13] as [UInt64])
    func zeroedFrameBeforeValidFrames(acknowledged: UInt64) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        // Commits 11, 12 and 13 are three frames after the log's header; 12's header becomes zeros,
        // which a reader takes for the log's end. With 11 acknowledged, what follows could be a torn
        // tail, but for the valid frame of 13 after it; with 13, the log also ends too early.
        let log = try IntegrityCheckTests.file("log-", in: scratch.store)
        let contents = [UInt8](try Data(contentsOf: log))
        let second = UInt64(LogFormat.headerSize + LogFormat.frameHeaderSize) + UInt64(littleEndian32(contents, at: 32))
        try Self.overwrite(log, at: second, with: [UInt8](repeating: 0, count: 8))
        try setAcknowledgedSequence(acknowledged, in: scratch.store)
        let before = try Self.listing(scratch.store)

        let readOnly = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        }
        #expect(try Self.listing(scratch.store) == before)
        let writable = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        for error in [readOnly, writable] {
            #expect(error?.code == .corrupted)
            #expect(error?.file == log.path)
            #expect(error?.offset == second, "\(String(describing: error))")
            #expect(error?.recovery == .salvage)
        }
    }

    @Test("opening waits for a writer that holds LOCK (a commit group, a compaction), and gives up at the limit")
    func openingWaitsForAWriter() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        let holder = try LockOrderTests.holdLock(scratch.store)
        let error = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(
                directory: scratch.store, options: Self.readOnly(lockWait: LockWaitPolicy(limit: .milliseconds(200))))
        }
        #expect(error?.code == .lockTimeout)
        holder.closeInput()
        _ = holder.remainingLines()
        let store = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
        try await Self.expectItems(store, through: 13)
    }

    @Test(
        "while another process commits and compacts, each read-only view holds every commit acknowledged before it opened, none half, and stays as it opened"
    )
    func viewsWhileAnotherProcessWrites() async throws {
        let scratch = try TemporaryDirectory("storage")
        // Commits forever, each a compare-and-swap of meta/last with its item, compacting every 8 KiB.
        let writer = try CrashTests.ProbeProcess(["commit-loop", scratch.store.path])
        defer {
            writer.kill()
            _ = writer.remainingLines()
        }
        var acknowledged = 0
        for _ in 0..<12 {
            for _ in 0..<15 {
                guard let line = writer.nextLine() else { break }
                acknowledged = try CrashTests.acknowledged(line)
            }
            let view = try FileRecordStore(directory: scratch.store, options: Self.readOnly())
            defer { view.close() }
            let last = try #require(try await view.record(for: key("meta", "last")))
            let lastNumber = try #require(text(last).flatMap { Int($0) })
            #expect(lastNumber >= acknowledged, "a commit acknowledged before the view opened is missing")
            for n in max(1, lastNumber - 40)...(lastNumber + 1) {
                let item = try await view.record(for: key("item", "\(n)"))
                let deleted = (n + 5) % 3 == 0 && n + 5 <= lastNumber && n + 5 > 5
                #expect((item != nil) == (n <= lastNumber && !deleted), "item \(n) of \(lastNumber)")
            }
            let report = try await view.checkIntegrity()
            #expect(report.lastSequence == last.sequence, "\(report)")
            // The writer goes on (the view holds no lock), and the view stays as it opened, even
            // once a compaction removed the files it reads.
            for _ in 0..<40 { _ = writer.nextLine() }
            #expect(text(try await view.record(for: key("meta", "last"))) == "\(lastNumber)")
            #expect(try await view.record(for: key("item", "\(lastNumber + 1)")) == nil)
            #expect(try await view.checkIntegrity() == report)
        }
    }

    @Test(
        "on a read-only mount: opening for writing fails, read-only reads and checks every byte, finds a damaged value, and the store can be backed up",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs remounted read-only"))
    func readOnlyMount() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("read-only-mount")
        let mountPoint = scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "16m")
        defer { Tmpfs.unmount(mountPoint) }
        let intact = mountPoint.appendingPathComponent("intact")
        let damaged = mountPoint.appendingPathComponent("damaged")
        try await IntegrityCheckTests.snapshotAndLog(intact).close()
        try await IntegrityCheckTests.snapshotAndLog(damaged).close()
        let snapshot = try IntegrityCheckTests.file("snapshot-", in: damaged)
        let flipped = try IntegrityCheckTests.flipBit(of: "value 7", in: snapshot)
        try await Tmpfs.remountReadOnly(mountPoint)
        let before = try [intact, damaged].map(Self.listing)

        let writable = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: intact) }
        #expect(writable?.errno == EROFS, "\(String(describing: writable))")

        let store = try FileRecordStore(directory: intact, options: Self.readOnly())
        try await Self.expectItems(store, through: 13)
        let report = try await store.checkIntegrity()
        #expect(report.lastSequence == 13 && report.snapshotValues == 10, "\(report)")
        let refused = await #expect(throws: StoreError.self) {
            try await store.commit(.put(key("item", "14"), value: bytes("value 14"), expecting: .mustNotExist))
        }
        #expect(refused?.code == .readOnly)
        store.close()

        let damagedStore = try FileRecordStore(directory: damaged, options: Self.readOnly())
        #expect(text(try await damagedStore.record(for: key("item", "8"))) == "value 8")
        let damage = await #expect(throws: StoreError.self) { _ = try await damagedStore.checkIntegrity() }
        #expect(damage?.code == .corrupted)
        #expect(damage?.file == snapshot.path)
        #expect(damage?.offset == UInt64(flipped))
        #expect(damage?.recovery == .restoreBackup)
        damagedStore.close()

        // A backup from the read-only mount is whole, and opens as a store.
        let backup = scratch.appending("backup", isDirectory: true)
        #expect(try FileRecordStore.backup(directory: intact, to: backup).generation == 2)
        let restored = try FileRecordStore(directory: backup)
        try await Self.expectItems(restored, through: 13)
        restored.close()

        #expect(try [intact, damaged].map(Self.listing) == before)
        withExtendedLifetime(scratch) {}
    }
}
