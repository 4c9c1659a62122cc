import BenchmarkReport
import DapodikStorage
import Foundation

/// Scenario 3: the whole country in one file store. `scale-load` bulk-loads N account records
/// (≈ 520-byte JSON bodies with the unique e-mail and username indexes and the school index);
/// `scale-open` opens the store in a fresh process with the store's files evicted from the page
/// cache, reports the time, the resident memory and random lookups; `scale-compact` times a compaction;
/// `scale-check` times ``FileRecordStore/checkIntegrity()`` cold and warm; `scale-backup` times
/// ``FileRecordStore/backup(directory:to:lockWait:)`` (which checks the copied snapshot's values) and
/// a check of the copy, whose snapshot part is that second pass.
struct NationalScale {
    var directory: String
    var accounts: Int
    var lookups: Int
    var batch: Int
    var phase: String
    /// `import` (``FileRecordStore/importRecords(_:)``, the default) or `commit` (a commit per batch,
    /// the way issue 7 loaded).
    var mode: String
    var round: Int

    init(arguments: Arguments) throws {
        directory = try arguments.string("dir") + "/national"
        accounts = try arguments.integer("accounts", default: 3_500_000)
        lookups = try arguments.integer("lookups", default: 100_000)
        batch = try arguments.integer("batch", default: 5000)
        phase = try arguments.string("phase", default: "after bulk load")
        mode = try arguments.string("mode", default: "import")
        round = try arguments.integer("round", default: 1)
        guard mode == "import" || mode == "commit" else { throw UsageError("--mode must be import or commit") }
    }

    func run(_ command: String) async throws {
        switch command {
        case "scale-load": try await load()
        case "scale-open": try await openAndLookUp()
        case "scale-check": try await check()
        case "scale-backup": try await backup()
        default: try await compact()
        }
    }

    private func load() async throws {
        try? FileManager.default.removeItem(atPath: directory)
        let clock = ContinuousClock()
        let start = clock.now
        let store = try await openFileStore(at: directory)
        let batches = AccountBatches(accounts: accounts, batch: batch)
        if mode == "import" {
            try await store.importRecords(batches)
        } else {
            for mutations in batches { try await store.commit(mutations) }
        }
        let elapsed = (clock.now - start).seconds
        let memory = ProcessMemory.current()
        BenchmarkResult(
            scenario: "scale.load", variant: "\(accounts) accounts, \(batch) per commit",
            subject: mode == "import" ? "FileRecordStore (importRecords)" : "FileRecordStore (commit per batch)",
            round: round,
            figures: [
                "accounts": Double(accounts), "seconds": elapsed, "recordsPerSecond": Double(accounts) / elapsed,
                "diskMiB": DirectoryUsage.mebibytes(directory), "loaderVmHWMMiB": memory.highWaterMiB,
                "averageValueBytes": Double(Payloads.account(accounts / 2, version: 1).count),
            ]
        ).emit()
    }

    private func openAndLookUp() async throws {
        let eviction = PageCache.evict(directory: directory)
        let baseline = ProcessMemory.current()
        let clock = ContinuousClock()
        let start = clock.now
        let store = try await openFileStore(at: directory)
        let openTime = (clock.now - start).seconds
        let opened = ProcessMemory.current()
        BenchmarkResult(
            scenario: "scale.open", variant: phase, subject: "FileRecordStore", round: 1,
            figures: [
                "seconds": openTime, "vmRSSMiB": opened.residentMiB, "vmHWMMiB": opened.highWaterMiB,
                "baselineVmRSSMiB": baseline.residentMiB, "diskMiB": DirectoryUsage.mebibytes(directory),
                "pageCacheResidentPercentBeforeOpen": eviction.residentPercentAfter,
                "pageCacheResidentPercentAfterOpen": PageCache.residentPercent(directory: directory),
            ],
            notes: [
                "dropCaches": eviction.dropCaches, "eviction": "posix_fadvise(DONTNEED) on every file of the store",
            ]
        ).emit()

        try await ScaleLookups.run(on: store, accounts: accounts, lookups: lookups, emit: emitLookup)
        let after = ProcessMemory.current()
        BenchmarkResult(
            scenario: "scale.memory", variant: "\(phase), after lookups", subject: "FileRecordStore", round: 1,
            figures: ["vmRSSMiB": after.residentMiB, "vmHWMMiB": after.highWaterMiB]
        ).emit()
    }

    private func emitLookup(_ variant: String, _ statistics: Statistics) {
        BenchmarkResult(
            scenario: "scale.lookup", variant: "\(variant), \(phase)", subject: "FileRecordStore", round: 1,
            statistics: statistics
        ).emit()
    }

    private func compact() async throws {
        let clock = ContinuousClock()
        let before = DirectoryUsage.mebibytes(directory)
        let start = clock.now
        let store = try await openFileStore(at: directory)
        let opened = clock.now
        try await store.compact()
        let end = clock.now
        BenchmarkResult(
            scenario: "scale.compact", variant: "\(accounts) accounts", subject: "FileRecordStore", round: 1,
            figures: [
                "seconds": (end - opened).seconds, "openSeconds": (opened - start).seconds,
                "diskMiBBefore": before, "diskMiBAfter": DirectoryUsage.mebibytes(directory),
                "vmHWMMiB": ProcessMemory.current().highWaterMiB,
            ]
        ).emit()
    }
}

extension NationalScale {
    /// Two checks of the whole store: the first with its files evicted from the page cache.
    fileprivate func check() async throws {
        let eviction = PageCache.evict(directory: directory)
        let store = try await openFileStore(at: directory)
        defer { store.close() }
        for pass in ["cold", "warm"] {
            let clock = ContinuousClock()
            let start = clock.now
            let report = try await store.checkIntegrity()
            let seconds = (clock.now - start).seconds
            BenchmarkResult(
                scenario: "scale.check", variant: "\(accounts) accounts, \(pass)", subject: "FileRecordStore",
                round: round,
                figures: [
                    "seconds": seconds, "snapshotValues": Double(report.snapshotValues),
                    "logCommits": Double(report.logCommits), "MiBRead": Double(report.bytesRead) / 1_048_576,
                    "MiBPerSecond": Double(report.bytesRead) / 1_048_576 / seconds,
                ],
                notes: pass == "cold" ? ["dropCaches": eviction.dropCaches] : [:]
            ).emit()
        }
    }

    /// A backup of the store (its files evicted first), then a check of the copy: the copy's snapshot
    /// values are what the backup read a second time to check them.
    fileprivate func backup() async throws {
        let eviction = PageCache.evict(directory: directory)
        let destination = directory + "-backup-\(getpid())"
        try? FileManager.default.removeItem(atPath: destination)
        defer { try? FileManager.default.removeItem(atPath: destination) }
        let clock = ContinuousClock()
        let start = clock.now
        let copied = try FileRecordStore.backup(
            directory: URL(fileURLWithPath: directory), to: URL(fileURLWithPath: destination))
        let backupSeconds = (clock.now - start).seconds
        let copy = try await openFileStore(at: destination)
        defer { copy.close() }
        let checkStart = clock.now
        let report = try await copy.checkIntegrity()
        BenchmarkResult(
            scenario: "scale.backup", variant: "\(accounts) accounts", subject: "FileRecordStore", round: round,
            figures: [
                "seconds": backupSeconds, "MiBCopied": Double(copied.bytes) / 1_048_576,
                "checkOfTheCopySeconds": (clock.now - checkStart).seconds,
                "snapshotValues": Double(report.snapshotValues),
            ],
            notes: ["dropCaches": eviction.dropCaches]
        ).emit()
    }
}

/// The accounts `0..<accounts` as batches of `batch` puts, made one batch at a time.
struct AccountBatches: Sequence, Sendable {
    let accounts: Int
    let batch: Int

    func makeIterator() -> Iterator { Iterator(accounts: accounts, batch: batch) }

    struct Iterator: IteratorProtocol {
        let accounts: Int
        let batch: Int
        var position = 0

        mutating func next() -> [Mutation]? {
            guard position < accounts else { return nil }
            let end = Swift.min(position + batch, accounts)
            defer { position = end }
            return (position..<end).map { n in
                .put(
                    RecordKey(collection: "account", id: Payloads.accountID(n)),
                    value: Data(Payloads.account(n, version: 1)), indexes: accountIndexes(n), expecting: .mustNotExist)
            }
        }
    }
}

/// A small, fast, seeded generator (SplitMix64), so every run looks up the same accounts.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Total size of the regular files under a directory.
enum DirectoryUsage {
    static func mebibytes(_ path: String) -> Double {
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return 0 }
        var total: UInt64 = 0
        while let name = enumerator.nextObject() as? String {
            if let size = (try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? UInt64 {
                total += size
            }
        }
        return Double(total) / 1_048_576
    }
}
