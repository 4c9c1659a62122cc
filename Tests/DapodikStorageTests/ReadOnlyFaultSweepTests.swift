import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The I/O fault sweep of a store opened read-only (``FileRecordStore/Options/readOnly``), of the
/// reads and the integrity check through it (what `dapodik-verify store check` does), and of a
/// backup's reads of its source: every system call on the store's directory fails in turn, and each
/// failure must end in a typed ``StoreError`` of the right code with the injected `errno` (never a
/// crash, never a wrong answer, never damage reported for a failed read), with every file of the
/// directory (bytes, size, mode, inode, modification time) and the directory itself as they were.
/// Over the whole sweep, no file of the store is opened for writing and no call that writes is made.
///
/// The injector keeps one plan per armed directory, so this suite and the others that inject run beside
/// one another.
@Suite("File store read-only fault sweep", .serialized, .timeLimit(.minutes(10)))
struct ReadOnlyFaultSweepTests {
    /// The states of a store that matter to a read-only open.
    enum State: String, CaseIterable, Sendable, CustomTestStringConvertible {
        /// A snapshot of 10 items and a log of 3 commits after it.
        case logTail
        /// The log's last frame (commit 13) half written, as a power loss leaves it before the commit
        /// was acknowledged; a writer zeroes it on open.
        case tornLastFrame
        /// Garbage after the last frame and a crashed compaction's leftovers, which a writer removes.
        case garbageAndLeftovers
        /// A change cut short (the change counter odd) after commit 13 was written but before it
        /// was acknowledged: read up to the acknowledged commit 12.
        case changeCutShort
        /// No `LOCK` (a copy made without it): read without a lock, and none is made.
        case missingLock
        /// An empty `LOCK`, as a backup and an earlier release leave it.
        case emptyLock

        var testDescription: String { rawValue }

        /// The last item (and commit) a read-only view of the state holds.
        var last: Int { [.tornLastFrame, .changeCutShort].contains(self) ? 12 : 13 }

        /// Why a read-only view of the state leaves bytes after its last commit out, if it does.
        var leftOut: FileRecordStore.LeftOutTail.Reason? {
            switch self {
            case .tornLastFrame, .garbageAndLeftovers: .tornWrite
            case .changeCutShort: .unacknowledgedCommits
            case .logTail, .missingLock, .emptyLock: nil
            }
        }
    }

    /// Makes the store of `state` in `directory`.
    static func make(_ state: State, in directory: URL) async throws {
        try await FaultInjectionTests.makeStore(directory, count: 10)
        let store = try FileRecordStore(directory: directory)
        try await store.compact()
        var ends: [UInt64] = []
        for n in 11...13 {
            try await store.commit(.put(key("item", "\(n)"), value: bytes("value \(n)"), expecting: .mustNotExist))
            ends.append(store.logEnd)
        }
        store.close()
        let log = try IntegrityCheckTests.file("log-", in: directory)
        switch state {
        case .logTail: break
        case .tornLastFrame:
            // The second half of frame 13 never reached the disk; its commit was not acknowledged.
            let middle = ends[1] + (ends[2] - ends[1]) / 2
            try ReadOnlyOpeningTests.overwrite(
                log, at: middle, with: [UInt8](repeating: 0, count: Int(ends[2] - middle)))
            try setAcknowledgedSequence(12, in: directory)
        case .garbageAndLeftovers:
            try ReadOnlyOpeningTests.overwrite(log, at: ends[2], with: [0x5A, 0x00, 0x00, 0x00, 0x11, 0x22, 0x33])
            for name in ["snapshot-3", "log-3", "CURRENT.tmp"] {
                try Data("left by a compaction killed midway".utf8).write(to: directory.appendingPathComponent(name))
            }
        case .changeCutShort:
            try setAcknowledgedSequence(12, in: directory)
            try makeChangeCounterOdd(in: directory)
        case .missingLock:
            try FileManager.default.removeItem(at: directory.appendingPathComponent("LOCK"))
        case .emptyLock:
            try FileHandle(forWritingTo: directory.appendingPathComponent("LOCK")).truncate(atOffset: 0)
        }
    }

    /// What a file (or the directory, under the name `.`) looks like from outside.
    struct FileState: Equatable, CustomStringConvertible {
        let type: String
        let mode: Int
        let size: Int
        let inode: Int
        let modified: Date?
        let contents: Data

        var description: String {
            "\(type) mode \(String(mode, radix: 8)) size \(size) inode \(inode) \(modified as Any)"
        }
    }

    /// Every file of `directory` and the directory itself, with their type, mode, size, inode,
    /// modification time and bytes.
    static func fingerprint(_ directory: URL) throws -> [String: FileState] {
        func state(_ path: String) throws -> FileState {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let type = attributes[.type] as? FileAttributeType
            return FileState(
                type: type?.rawValue ?? "?", mode: (attributes[.posixPermissions] as? Int) ?? -1,
                size: (attributes[.size] as? Int) ?? -1, inode: (attributes[.systemFileNumber] as? Int) ?? -1,
                modified: attributes[.modificationDate] as? Date,
                contents: type == .typeRegular ? try Data(contentsOf: URL(fileURLWithPath: path)) : Data())
        }
        var files = [".": try state(directory.path)]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try state(directory.appendingPathComponent(name).path)
        }
        return files
    }

    /// A read that returned something other than what the store holds.
    struct WrongAnswer: Error, CustomStringConvertible {
        let description: String
    }

    /// Options that open a store read-only.
    static var readOnly: FileRecordStore.Options {
        var options = FileRecordStore.Options()
        options.readOnly = true
        return options
    }

    /// Opens `directory` read-only, reads every item, an index, the change feed and runs the
    /// integrity check, as `store check` and a reader of a backup do.
    /// - Throws: What the store threw, or ``WrongAnswer`` when a read returned something else than
    ///   the items of `state`, or it did not say what it left out at the log's end.
    static func openAndRead(_ directory: URL, state: State) async throws {
        let last = state.last
        let store = try FileRecordStore(directory: directory, options: readOnly)
        defer { store.close() }
        if store.leftOutTail?.reason != state.leftOut {
            throw WrongAnswer(description: "left out: \(String(describing: store.leftOutTail))")
        }
        for n in 1...(last + 1) {
            let found = text(try await store.record(for: key("item", "\(n)")))
            let wanted = n <= last ? "value \(n)" : nil
            if found != wanted { throw WrongAnswer(description: "item \(n): \(found ?? "nil")") }
        }
        let indexed = try await store.record(whereUnique: "item.number", equals: "3")?.key
        if indexed != key("item", "3") {
            throw WrongAnswer(description: "item.number 3: \(String(describing: indexed))")
        }
        let feed = try await store.changes(after: 0, limit: 100).last?.sequence
        if feed != UInt64(last) { throw WrongAnswer(description: "last change \(String(describing: feed))") }
        let report = try await store.checkIntegrity()
        if report.lastSequence != UInt64(last) || report.snapshotValues != 10 || report.leftOutTail != store.leftOutTail
        {
            throw WrongAnswer(description: "integrity report \(report)")
        }
    }

    /// What the sweep of one operation saw.
    struct Coverage {
        var points = 0
        var kindsFailed: Set<SystemCallFaults.Kind> = []
        var kindsSeen: Set<SystemCallFaults.Kind> = []
        var writableOpens: [String] = []
    }

    /// Fails each system call on `directory` in turn with `code` while `operation` runs, until it
    /// runs through without reaching the injected failure, and checks each outcome.
    /// - Parameters:
    ///   - directory: The store, whose every call counts.
    ///   - code: The `errno` injected.
    ///   - label: Names the sweep in failures.
    ///   - operation: Runs with call `target` armed to fail.
    ///   - afterFailure: Checks what else a failure left (a backup's destination).
    /// - Returns: What was covered.
    static func sweep(
        _ directory: URL, errno code: Int32, label: String, operation: (Int) async throws -> Void,
        afterFailure: (Int) throws -> Void = { _ in }
    ) async throws -> Coverage {
        let before = try fingerprint(directory)
        var coverage = Coverage()
        var target = 1
        while true {
            SystemCallFaults.arm(directory: directory.path, target: target, action: .fail(errno: code))
            var thrown: (any Error)?
            do { try await operation(target) } catch { thrown = error }
            let tally = SystemCallFaults.disarm(directory: directory.path)
            coverage.kindsSeen.formUnion(tally.seen.keys)
            coverage.writableOpens += tally.writableOpens
            let at = "\(label) call \(target) (\(tally.hitKind.map { "\($0)" } ?? "none") \(tally.hitPath ?? ""))"
            #expect(try fingerprint(directory) == before, "\(at) changed the store's directory")
            guard let hit = tally.hitKind else {
                #expect(thrown == nil, "\(at): without a fault: \(String(describing: thrown))")
                break
            }
            coverage.points += 1
            coverage.kindsFailed.insert(hit)
            guard let error = thrown as? StoreError else {
                Issue.record("\(at): the failure was not a StoreError but \(String(describing: thrown))")
                target += 1
                continue
            }
            let unsupportedLock = hit == .lock && StoreError.locksUnsupportedErrnos.contains(code)
            #expect(error.code == (unsupportedLock ? .locksUnsupported : .ioFailure), "\(at): \(error.message.english)")
            #expect(error.errno == code, "\(at): \(error.message.english)")
            #expect(error.file == tally.hitPath, "\(at): names \(String(describing: error.file))")
            #expect(error.message.english.contains("errno \(code)"), "\(at): \(error.message.english)")
            try afterFailure(target)
            target += 1
            if target > 10_000 {
                Issue.record("\(label): no end after 10,000 calls")
                break
            }
        }
        return coverage
    }

    /// The kinds of call a read-only open, its reads and a backup's reads of its source may make.
    static let readingKinds: Set<SystemCallFaults.Kind> = [
        .open, .read, .lock, .openDirectory, .listDirectory, .readDirectory,
    ]

    @Test(
        "every system call of a read-only open and of the reads and the check through it fails in turn: a typed error, nothing changed, nothing opened for writing",
        arguments: State.allCases)
    func openAndReadSweep(state: State) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.make(state, in: scratch.store)
        var total = Coverage()
        for code in [EIO, EACCES, EMFILE] {
            let coverage = try await Self.sweep(scratch.store, errno: code, label: "\(state) errno \(code)") { _ in
                try await Self.openAndRead(scratch.store, state: state)
            }
            // LOCK (unless missing), CURRENT, the snapshot and the log are each opened and read.
            #expect(coverage.points >= (state == .missingLock ? 6 : 8), "\(state) errno \(code): \(coverage.points)")
            total.points += coverage.points
            total.kindsFailed.formUnion(coverage.kindsFailed)
            total.kindsSeen.formUnion(coverage.kindsSeen)
            total.writableOpens += coverage.writableOpens
        }
        #expect(total.writableOpens.isEmpty, "opened for writing: \(total.writableOpens)")
        #expect(total.kindsSeen.isSubset(of: Self.readingKinds), "\(total.kindsSeen)")
        #expect(total.kindsFailed.isSuperset(of: state == .missingLock ? [.open, .read] : [.open, .read, .lock]))
        if state == .missingLock {
            #expect(!FileManager.default.fileExists(atPath: scratch.store.appendingPathComponent("LOCK").path))
        }
        print(
            "Read-only sweep \(state): \(total.points) failure points, calls failed: \(total.kindsFailed.map { "\($0)" }.sorted())"
        )
    }

    @Test(
        "every system call a backup makes on its source fails in turn: a typed error, the source unchanged and never opened for writing, no copy that opens",
        arguments: State.allCases.filter { $0 != .missingLock })
    func backupSourceSweep(state: State) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.make(state, in: scratch.store)
        let backups = scratch.url.appendingPathComponent("backups")
        var total = Coverage()
        for code in [EIO, EMFILE] {
            func destination(_ target: Int) -> URL {
                backups.appendingPathComponent("\(code)-\(target)").appendingPathComponent("backup")
            }
            let coverage = try await Self.sweep(
                scratch.store, errno: code, label: "backup of \(state) errno \(code)",
                operation: { target in
                    try FileManager.default.createDirectory(
                        at: destination(target).deletingLastPathComponent(), withIntermediateDirectories: true)
                    _ = try FileRecordStore.backup(directory: scratch.store, to: destination(target))
                },
                afterFailure: { target in
                    // A copy cut short is left marked, never a store: it refuses to open.
                    guard FileManager.default.fileExists(atPath: destination(target).path) else { return }
                    let opening = #expect(throws: StoreError.self) {
                        _ = try FileRecordStore(directory: destination(target), options: Self.readOnly)
                    }
                    #expect(opening?.code == .backupIncomplete, "call \(target): \(String(describing: opening))")
                })
            #expect(coverage.points >= 5, "\(state) errno \(code): \(coverage.points)")
            total.points += coverage.points
            total.kindsSeen.formUnion(coverage.kindsSeen)
            total.writableOpens += coverage.writableOpens
        }
        #expect(total.writableOpens.isEmpty, "opened for writing: \(total.writableOpens)")
        #expect(total.kindsSeen.isSubset(of: Self.readingKinds), "\(total.kindsSeen)")
    }

    @Test(
        "the sweep's observers see what a writer does: opened for writing, written, synced, and the directory changed")
    func observersSeeAWriter() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.make(.tornLastFrame, in: scratch.store)
        let before = try Self.fingerprint(scratch.store)
        SystemCallFaults.observe(directory: scratch.store.path)
        try FileRecordStore(directory: scratch.store).close()
        let tally = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(tally.hitKind == nil && tally.calls > 0)
        let log = try IntegrityCheckTests.file("log-", in: scratch.store).path
        #expect(
            tally.writableOpens.contains(scratch.store.appendingPathComponent("LOCK").path), "\(tally.writableOpens)")
        #expect(tally.writableOpens.contains(log), "\(tally.writableOpens)")
        #expect(!tally.seen.keys.filter { !Self.readingKinds.contains($0) }.isEmpty, "\(tally.seen)")
        #expect(tally.seen[.write] != nil && tally.seen[.map] != nil, "\(tally.seen)")
        // The torn frame was zeroed in place: same files, same inodes, other bytes.
        let after = try Self.fingerprint(scratch.store)
        #expect(after != before)
        #expect(Set(after.keys) == Set(before.keys))
    }
}
