import DapodikStorage
import Foundation

/// The operations the fault sweeps (Tests/DapodikStorageTests/FaultSweepTests.swift) fail or crash
/// at every system call, and the state each must leave. Every store holds `item/<n>` records and,
/// except for salvage, `meta/last` = L, moved by a compare-and-swap in the same commit as item L:
/// a reopened store must hold meta L and exactly items 1...L.
enum FaultOperation: String, CaseIterable {
    /// One commit (item 4) on a store of three.
    case commit
    /// A group of 8 commits (items 4...11) sharing one write and one `fsync`.
    case group
    /// A compaction of a store of ten.
    case compaction
    /// Opening a store of ten with a torn log tail and a crashed compaction's leftovers.
    case open
    /// Salvaging a store of ten independent items whose fifth commit is damaged.
    case salvage
    /// Salvaging a store of ten independent items whose last (acknowledged) commit is damaged: the
    /// new generation must reach the acknowledged sequence, or the store is refused afterwards.
    case salvageLast = "salvage-last"
    /// A backup of a store of ten into `backup` beside it.
    case backup
    /// A bulk import (`importRecords`) of items 4...10 in two batches into a store of three, two of
    /// them in the snapshot and one in the log; meta stays at 3. All of them or none may be there.
    case bulkImport = "import"

    static func store(in point: URL) -> URL { point.appendingPathComponent("store") }
    static func backup(in point: URL) -> URL { point.appendingPathComponent("backup") }

    static var options: FileRecordStore.Options {
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        return options
    }

    /// Builds the starting state in `point` (without faults).
    func prepare(_ point: URL) async throws {
        try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
        let directory = Self.store(in: point)
        let store = try FileRecordStore(directory: directory, options: Self.options)
        defer { store.close() }
        switch self {
        case .commit, .group:
            for n in 1...3 { try await Self.commitItem(n, to: store) }
            if self == .commit {
                // A log no larger than its frames (a preallocated log ends there too): the commit
                // grows it with zeros before writing its frame, so the sweep covers both.
                let end = store.logEnd
                store.close()
                let log = try FileHandle(forWritingTo: Self.log(directory))
                try log.truncate(atOffset: end)
                try log.close()
            }
        case .bulkImport:
            for n in 1...2 { try await Self.commitItem(n, to: store) }
            try await store.compact()
            try await Self.commitItem(3, to: store)
        case .compaction, .backup:
            for n in 1...10 { try await Self.commitItem(n, to: store) }
        case .open:
            for n in 1...10 { try await Self.commitItem(n, to: store) }
            store.close()
            let log = try FileHandle(forWritingTo: Self.log(directory))
            try log.seekToEnd()
            try log.write(contentsOf: Data(repeating: 0xAB, count: 50))
            try log.close()
            // As an earlier release leaves it: opening grows it to hold the change counter.
            try Data().write(to: directory.appendingPathComponent("LOCK"))
            try Data(repeating: 1, count: 100).write(to: directory.appendingPathComponent("snapshot-2"))
            try Data("partial".utf8).write(to: directory.appendingPathComponent("CURRENT.tmp"))
        case .salvage, .salvageLast:
            var damage: UInt64 = 0
            for n in 1...10 {
                if n == (self == .salvage ? 5 : 10) { damage = store.logEnd }
                try await store.commit(.put(Self.itemKey(n), value: Data(String(n).utf8), expecting: .mustNotExist))
            }
            store.close()
            let log = try FileHandle(forUpdating: Self.log(directory))
            try log.seek(toOffset: damage + 14)
            let byte = try log.read(upToCount: 1)!
            try log.seek(toOffset: damage + 14)
            try log.write(contentsOf: Data([byte[0] ^ 0xFF]))
            try log.close()
        }
    }

    static func log(_ directory: URL) -> URL { directory.appendingPathComponent("log-1") }

    static func itemKey(_ n: Int) -> RecordKey { RecordKey(collection: "item", id: String(n)) }
    static let metaKey = RecordKey(collection: "meta", id: "last")

    /// Commits item n and moves meta/last from n - 1 to n.
    static func commitItem(_ n: Int, to store: FileRecordStore) async throws {
        try await store.commit(commitBatch(n))
    }

    static func commitBatch(_ n: Int) -> [Mutation] {
        [
            .put(
                itemKey(n), value: Data(String(n).utf8), indexes: [.unique("item.number", String(n))],
                expecting: .mustNotExist),
            .put(
                metaKey, value: Data(String(n).utf8), indexes: [.unique("meta.last", String(n))],
                expecting: n == 1 ? .mustNotExist : .version(UInt64(n - 1))),
        ]
    }

    /// The import's batches: items 4...6 and 7...10, each with a unique and a non-unique index.
    static let importBatches: [[Mutation]] = [Array(4...6), Array(7...10)].map { numbers in
        numbers.map { n in
            .put(
                itemKey(n), value: Data(String(n).utf8),
                indexes: [.unique("item.number", String(n)), .nonUnique("item.parity", String(n % 2))],
                expecting: .mustNotExist)
        }
    }

    /// Runs the operation; `arm` is called once the store is open (or, for open, salvage and backup,
    /// before anything). Commits print `ack <n>` as they are acknowledged.
    /// - Returns: "ok", or the code of the error it threw.
    func run(_ point: URL, arm: () -> Void) async -> String {
        let directory = Self.store(in: point)
        do {
            switch self {
            case .commit, .group, .compaction, .bulkImport:
                let store = try FileRecordStore(directory: directory, options: Self.options)
                defer { store.close() }
                if self == .group { store.holdCommits() }
                arm()
                switch self {
                case .commit:
                    try await Self.commitItem(4, to: store)
                    say("ack 4")
                case .group:
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for n in 4...11 {
                            group.addTask {
                                try await Self.commitItem(n, to: store)
                                say("ack \(n)")
                            }
                            while store.queuedCommitCount < n - 3 { await Task.yield() }
                        }
                        store.resumeCommits()
                        var failure: (any Error)?
                        while let result = await group.nextResult() {
                            if case .failure(let error) = result { failure = failure ?? error }
                        }
                        if let failure { throw failure }
                    }
                case .bulkImport:
                    try await store.importRecords(Self.importBatches)
                default:
                    try await store.compact()
                }
            case .open:
                arm()
                let store = try FileRecordStore(directory: directory, options: Self.options)
                _ = try await store.record(for: Self.metaKey)
                store.close()
            case .salvage, .salvageLast:
                arm()
                _ = try FileRecordStore.salvage(directory: directory)
            case .backup:
                arm()
                _ = try FileRecordStore.backup(directory: directory, to: Self.backup(in: point))
            }
            return "ok"
        } catch let error as StoreError {
            return error.code.rawValue
        } catch {
            return "untyped:\(error)"
        }
    }
}

/// What a store holds, in one line: `meta=<L or -> items=<n,n,…>`, or `error=<code>`.
func describeStore(_ directory: URL) async -> String {
    do {
        let store = try FileRecordStore(directory: directory, options: FaultOperation.options)
        defer { store.close() }
        let meta = try await store.record(for: FaultOperation.metaKey).map { String(decoding: $0.value, as: UTF8.self) }
        var items: [String] = []
        for n in 1...20 {
            if let item = try await store.record(for: FaultOperation.itemKey(n)) {
                guard String(decoding: item.value, as: UTF8.self) == String(n) else { return "error=bad-value-\(n)" }
                items.append(String(n))
            }
        }
        let summaries = try store.indexSummaries()
        guard summaries.maintained == summaries.rebuilt else { return "error=index-mismatch" }
        return "meta=\(meta ?? "-") items=\(items.joined(separator: ","))"
    } catch let error as StoreError {
        // Damage names its file: which generation's log is refused matters (a salvage's own new one never is).
        let file =
            error.code == .corrupted ? error.file.map { " in " + URL(fileURLWithPath: $0).lastPathComponent } : nil
        return "error=\(error.code.rawValue)" + (file ?? "")
    } catch {
        return "error=untyped"
    }
}
