import DapodikLanguage
import DapodikLocking
import Dispatch

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A crash-safe ``RecordStore`` in one directory, shared safely by several processes.
///
/// Guarantees (details and byte layouts in `Documentation/StorageFormat.md`):
/// - **Durable:** ``commit(_:)`` returns only after the commit's log frame is `fsync`ed
///   (`F_FULLFSYNC` on Darwin), and the directory is synced whenever a file is created or renamed.
///   A failed write or `fsync` poisons the store: that commit and every later call fail, nothing is
///   retried, and reopening reads what really reached the disk.
/// - **Atomic:** one commit group is one checksummed (CRC-32C) log frame; after a crash it is wholly
///   there or wholly absent. A torn tail is truncated on open; damage followed by valid frames refuses
///   to open, naming the file and offset (see ``salvage(directory:lockWait:)``). A missing or damaged file
///   never makes the store delete anything: it refuses to open and says how to recover
///   (``recoverManifest(directory:lockWait:)``, ``salvage(directory:lockWait:)``, or a backup).
/// - **Multi-process:** every commit holds an exclusive `flock` on the never-replaced `LOCK` file and
///   first applies what other processes appended; reads catch up without the lock and never wait for
///   another process.
/// - **Bounded:** compaction writes the live records to a new generation (snapshot + empty log) and
///   switches to it by renaming the `CURRENT` manifest; opening reads the snapshot's index region,
///   never the values, so opening time depends on the live records, not on history.
/// - **Read-only when asked:** with ``Options/readOnly`` nothing is written, created or repaired, and
///   the store shows every commit acknowledged when it opened (a store on read-only media, a backup
///   checked before it is restored).
///
/// Only the index (keys, versions, index entries, value locations) is held in memory; values are read
/// with `pread` and checked against their CRC-32C on every read, except those of the last commit
/// groups this process wrote (1 MiB of them), read back from memory and checked the same way.
/// Concurrent commits in one process share one write and one `fsync` (group commit); the flush, and
/// a compaction's writing of the next generation, happen outside the store's lock, so reads go on
/// meanwhile, and a reader in this process never sees a commit before it is durable (its `fsync`
/// succeeded).
public final class FileRecordStore: RecordStore {
    /// Settings of a file store.
    public struct Options: Sendable {
        /// Compact automatically once the log has reached this size … Default 16 MiB.
        public var compactionMinimumLogBytes: UInt64
        /// … and either holds at least this many times the snapshot's live data (values + 64 bytes
        /// per record), or has reached ``compactionMaximumLogBytes``. Default 1: the snapshot then at
        /// least doubles between two compactions while a store grows, so a load of *n* bytes
        /// rewrites O(*n*) bytes until the cap takes over.
        public var compactionRatio: Double
        /// The log size at which compaction is due whatever the snapshot's size. Default 64 MiB.
        ///
        /// Opening replays the log record by record into memory (the snapshot's index is read as
        /// flat arrays): measured on the reference machine, about 12 s per GiB of log cold, against
        /// 1.5 s for a compacted store of 3.5 million accounts (`Documentation/PerformanceHistory.md`). The
        /// cap bounds that replay (and the in-memory overlay, and with it compaction's memory) to
        /// well under a second. The price: once the snapshot is larger than the cap, each
        /// compaction rewrites the whole snapshot per cap's worth of log; raise it for stores that
        /// take much more churn than they hold, or load in bulk with ``automaticCompaction`` off
        /// and call ``FileRecordStore/compact()`` once at the end.
        public var compactionMaximumLogBytes: UInt64
        /// Whether commits trigger compaction by the thresholds above. Default `true`;
        /// ``FileRecordStore/compact()`` works either way.
        public var automaticCompaction: Bool
        /// How long opening, a commit, a compaction or an import waits for another process that
        /// holds the store's lock before failing with ``StoreError/Code-swift.struct/lockTimeout``,
        /// and whom a long wait is reported to. Default: 60 s, reported to no one.
        public var lockWait = LockWaitPolicy()
        /// Called with the error when an automatic compaction fails (a full disk, the file store's
        /// limit of 65,536 distinct collection and index names among the live records, …). Nothing is
        /// lost: commits go on into the log, and the next automatic compaction waits until the log has
        /// doubled, instead of being tried again after every commit. Default: no one is told; a service
        /// should log it, since a log that keeps growing makes every open slower.
        public var onAutomaticCompactionFailure: (@Sendable (StoreError) -> Void)?
        /// Whether the store is opened for reading only: a store on read-only media (a backup on a
        /// read-only mount, a file system snapshot, a CD), or one that must not change (a backup
        /// checked before it is restored). Default `false`.
        ///
        /// A read-only store opens no file for writing and creates, grows, repairs or removes
        /// nothing: not the directory, not a missing `LOCK`; a torn log tail is left out, as opening
        /// leaves it out before removing it, and a crashed compaction's leftovers stay. What opening
        /// refuses (damage, a missing manifest, a log that ends before commits it acknowledged) it
        /// refuses too.
        ///
        /// It takes no exclusive lock. While it opens it holds a shared lock on `LOCK`, as
        /// ``FileRecordStore/backup(directory:to:lockWait:)`` does, which no commit or compaction of
        /// another process holds at the same time (it waits for one as ``lockWait`` allows), so it
        /// reads every acknowledged commit and no part of a commit group still being written. Then it
        /// lets go: what it shows is the store as it was at that moment. It does not follow later
        /// commits of other processes (open it again to see them), and a compaction by another process
        /// does not disturb it (the files it opened stay readable). A store without `LOCK` (a copy made
        /// without it) is read without a lock; no process can commit to it meanwhile, since a commit
        /// checks under its lock that `LOCK` is still there before it writes.
        ///
        /// Reads, the change feed and ``FileRecordStore/checkIntegrity()`` work as on any store;
        /// ``FileRecordStore/commit(_:)``, ``FileRecordStore/compact()`` and
        /// ``FileRecordStore/importRecords(_:)`` fail with ``StoreError/Code-swift.struct/readOnly``.
        /// The compaction settings do not apply.
        public var readOnly = false
        /// Called after each step of compaction (crash tests stop the process there).
        package var compactionStepHook: (@Sendable (CompactionStep) -> Void)?
        /// Called on the thread that commits a group (its caller's for a commit alone, else the
        /// committer's) after the group is written and before it is flushed, with the group's last
        /// sequence; an error it throws stands for a failed `fsync` (fault tests block or fail the
        /// flush here).
        package var flushHook: (@Sendable (UInt64) throws(StoreError) -> Void)?
        /// The longest a group of waiting commits waits for the callers of the group acknowledged
        /// just before to commit again (``GatheringPolicy``). Default 1 ms; zero turns the wait off.
        package var gatheringLimit: Duration = .milliseconds(1)
        /// Whether that wait happens only after a flush of at least ``gatheringMinimumFlush`` and
        /// lasts at most half of it (the default); tests turn it off to wait for the whole limit.
        package var gatheringBoundedByFlush = true
        /// The shortest flush after which a group waits. Default 500 µs, for the reason
        /// ``GatheringPolicy`` gives (`Documentation/PerformanceHistory.md`, "Issue 15's goals, fourteenth
        /// pass: when a group waits").
        package var gatheringMinimumFlush: Duration = .microseconds(500)
        /// The longest flush after which callers go on committing groups on their own threads while
        /// several clients commit (a caller's thread blocked in a flush this short costs less than a
        /// hand-over to the committer's queue and its wake-up). Default 50 µs, which a flush to an SSD
        /// with power-loss protection or to `tmpfs` stays under and a consumer disk's does not;
        /// zero turns it off (tests that check which thread commits a group).
        package var callersThreadMaximumFlush: Duration = .microseconds(50)
        /// How many bytes of the groups this process committed last are kept in memory, so that reading
        /// a value just committed needs no `pread` (``RecentFrames``). Default 1 MiB; zero keeps none.
        package var recentFrameBytes = 1 << 20

        /// The default settings.
        public init() {
            compactionMinimumLogBytes = 16 << 20
            compactionRatio = 1
            compactionMaximumLogBytes = 64 << 20
            automaticCompaction = true
        }
    }

    let engine: LockedValue<FileEngine>
    /// The engine's `LOCK` file, locked by the committer before it takes `engine`'s mutex.
    let lockFile: LockFile
    /// Who may commit now, and who waits (``CommitTurns``).
    let turns: LockedValue<CommitTurns>
    /// Where work that may block for long runs (compaction, an import, a group whose `flock` another
    /// process holds), off the callers' threads.
    let committer = DispatchQueue(label: "DapodikStorage.FileRecordStore.commit")
    let flushHook: (@Sendable (UInt64) throws(StoreError) -> Void)?
    let onAutomaticCompactionFailure: (@Sendable (StoreError) -> Void)?

    /// The store's directory.
    public let directory: URL

    /// Whether the store was opened read-only (``Options/readOnly``): it then refuses every change.
    public let isReadOnly: Bool

    /// Opens the store in `directory`, creating the directory (mode `0700`) and an empty store if
    /// needed, and recovering from any crash: a torn log tail is truncated, files a crashed
    /// compaction left behind are removed. Read-only (``Options/readOnly``), it creates and repairs
    /// nothing, and a directory that does not exist or holds no store fails with `ioFailure` (`ENOENT`).
    /// - Parameters:
    ///   - directory: The data directory (a local file URL).
    ///   - options: Compaction settings, how long to wait for another process's lock, read-only.
    /// - Throws: ``StoreError``: `corrupted` (with file, offset and ``StoreError/recovery``) when a
    ///   file is damaged other than at its tail, `manifestMissing` when `CURRENT` is gone but
    ///   generation files are there (nothing is deleted), `unsupportedFormat`, `lockTimeout` when
    ///   another process held the lock longer than ``Options/lockWait`` allows, `untrustedDirectory`
    ///   when a user other than this process's could change the directory (it is
    ///   writable by others, another user's, or, run as root, not root's), or `ioFailure`.
    public init(directory: URL, options: Options = Options()) throws(StoreError) {
        self.directory = directory
        self.isReadOnly = options.readOnly
        self.flushHook = options.flushHook
        self.onAutomaticCompactionFailure = options.onAutomaticCompactionFailure
        self.turns = LockedValue(
            CommitTurns(
                gatheringPolicy: GatheringPolicy(options),
                callersThreadMaximumFlush: Self.nanoseconds(options.callersThreadMaximumFlush)))
        let engine = try FileEngine.open(directory: directory.path, options: options)
        self.lockFile = engine.lockFile
        self.engine = LockedValue(engine)
    }

    /// A duration in whole nanoseconds, 0 when negative, at most an hour.
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return UInt64(min(seconds, 3600)) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000)
    }

    deinit {
        engine.withLock { $0.close() }
    }

    /// Closes the files. Later calls fail with ``StoreError/Code-swift.struct/closed``; commits in
    /// progress finish first.
    public func close() {
        turns.withLock { $0.close() }?.signal()
        engine.withLock { $0.close() }
    }

    /// The record stored under a key, including commits other processes made.
    /// - Parameter key: The key.
    /// - Returns: The record, or `nil` when the key does not exist (not an error).
    /// - Throws: ``StoreError``: `corrupted` when the value fails its checksum, `ioFailure`,
    ///   `poisoned`, `closed`.
    public func record(for key: RecordKey) async throws -> Record? {
        try read { engine throws(StoreError) in try engine.record(key) }
    }

    /// The record holding a unique index value.
    /// - Parameters:
    ///   - index: The name of a unique index.
    ///   - value: The value to find.
    /// - Returns: The record, or `nil` when none holds the value (not an error).
    /// - Throws: As ``record(for:)``.
    public func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try read { engine throws(StoreError) in
            guard let key = try engine.table.uniqueHolder(index, value) else { return nil }
            return try engine.record(key)
        }
    }

    /// The records holding a non-unique index value, in key order.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - value: The value to find.
    /// - Returns: The records; empty when none match (not an error).
    /// - Throws: As ``record(for:)``.
    public func records(where index: String, equals value: String) async throws -> [Record] {
        try read { engine throws(StoreError) in try engine.records(try engine.table.keys(where: index, equals: value)) }
    }

    /// The records whose non-unique index value lies in `lower ..< upper`, by value then key.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - lower: The smallest value included.
    ///   - upper: The first value excluded.
    ///   - limit: The most records returned.
    /// - Returns: At most `limit` records.
    /// - Throws: As ``record(for:)``, and `invalidInput` for a negative limit.
    public func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try validateLimit(limit)
        return try read { engine throws(StoreError) in
            try engine.records(try engine.keys(in: index, from: lower, to: upper, limit: limit))
        }
    }

    /// The committed changes after a sequence number, in commit order (see ``ChangeBatch`` for what
    /// compaction summarizes).
    /// - Parameters:
    ///   - sequence: The last sequence the caller has seen.
    ///   - limit: The most batches returned.
    /// - Returns: The batches.
    /// - Throws: As ``record(for:)``, and `invalidInput` for a negative limit.
    public func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try validateLimit(limit)
        return try read { engine throws(StoreError) in try engine.changes(after: sequence, limit: limit) }
    }

    /// Applies a batch atomically and conditionally, durably, visible to every process.
    /// - Parameter mutations: The batch.
    /// - Returns: The commit's sequence number, once the commit is on disk.
    /// - Throws: ``StoreError``: a conflict naming the key, `invalidInput` (nothing changed);
    ///   `ioFailure` when the write or `fsync` failed (the commit is not acknowledged and the store is
    ///   poisoned); `lockTimeout` when another process held the lock longer than
    ///   ``Options/lockWait`` allows (nothing changed); `readOnly` when the store was opened read-only;
    ///   `corrupted`, `poisoned`, `closed`.
    @discardableResult
    public func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        try refuseIfReadOnly(LocalizedText(indonesian: "commit", english: "commit"))
        try StoreLimits.validate(mutations)
        return try await commitValidated(mutations).get()
    }

    /// Rewrites the live records into a new generation and removes the old files, so that the files
    /// and opening time no longer depend on history. Other processes follow automatically.
    /// - Throws: ``StoreError``: `ioFailure` (before the switch, the old generation stays current and
    ///   the store usable; after it, the store is poisoned), `corrupted` when a value to copy fails its
    ///   checksum, `lockTimeout` (nothing changed), `readOnly` (nothing changed), `poisoned`, `closed`.
    public func compact() async throws {
        try refuseIfReadOnly(LocalizedText(indonesian: "pemadatan", english: "compaction"))
        _ = try await exclusively { () throws(StoreError) in try self.runCompaction() }
    }

    /// Adds many new records at once, writing them straight into a new generation together with the
    /// live records (one compaction that also imports), instead of committing them through the log.
    ///
    /// Loading a large store through ``commit(_:)`` writes every value into the log and then again
    /// into each snapshot the automatic compaction rewrites while the store grows (3.5 million
    /// accounts: 36 generations, 420 s; `Documentation/PerformanceHistory.md`, "Bulk load"); an import writes
    /// each value once. The import is atomic like a compaction: the manifest's switch to the new
    /// generation is its commit point, so a crash or an I/O error before it leaves the store exactly
    /// as it was, and other processes see none of the records, then all of them.
    ///
    /// Each batch is checked as a commit of it would be (``StoreLimits``, one record per key, unique
    /// index values) and takes the next sequence number, so the change feed shows one batch per
    /// batch. Every mutation must be a put expecting ``Expectation/mustNotExist``.
    ///
    /// The cost is that of a compaction plus the imported values: it rewrites the whole store, so it
    /// pays off for loading many records into a store that holds fewer (a first load, a migration),
    /// not for adding a few to a large one. Commits of this process wait until it is done, and other
    /// processes' commits wait for the lock; reads go on everywhere.
    /// - Parameter batches: The records to add, as batches of puts; read once, one batch at a time
    ///   (they need not all be in memory at once).
    /// - Returns: The sequence number of the last batch (the store's last sequence).
    /// - Throws: ``StoreError``, and then no record was added and the store is as before:
    ///   `alreadyExists` (a key exists or comes twice), `uniqueConstraint` (a unique value is held,
    ///   or comes twice), `invalidInput` (a batch breaks ``StoreLimits``, or a mutation is not a put
    ///   expecting ``Expectation/mustNotExist``), `ioFailure` (before the switch; after it, as for
    ///   ``compact()``, the store is poisoned), `lockTimeout`, `readOnly`, `corrupted`, `poisoned`,
    ///   `closed`.
    @discardableResult
    public func importRecords<Batches: Sequence & Sendable>(_ batches: Batches) async throws -> UInt64
    where Batches.Element == [Mutation] {
        try refuseIfReadOnly(LocalizedText(indonesian: "impor", english: "import"))
        return try await exclusively { () throws(StoreError) in
            var iterator = batches.makeIterator()
            return try self.runCompaction(importing: { iterator.next() })
        }
    }

    /// Compacts in three steps, holding the turn to commit (so no commit group is in flight): the
    /// new generation is written outside the engine's mutex, and reads in this process go on against
    /// the current one meanwhile (other processes always could).
    /// - Parameter imported: The batches of a bulk import (``importRecords(_:)``), if any.
    /// - Returns: The last sequence of the new generation.
    @discardableResult
    func runCompaction(importing imported: (() -> [Mutation]?)? = nil) throws(StoreError) -> UInt64 {
        try lockFile.lock(exclusive: true)
        let source = try engine.withLock { (engine) throws(StoreError) in try engine.beginCompaction() }
        let outcome = source.writeNextGeneration(importing: imported)
        return try engine.withLock { (engine) throws(StoreError) in
            try engine.finishCompaction(source, outcome)
            return engine.table.lastSequence
        }
    }

    /// Refuses a change to a store opened read-only, before anything else is looked at.
    /// - Parameter operation: The change, a noun in each language.
    private func refuseIfReadOnly(_ operation: LocalizedText) throws(StoreError) {
        guard isReadOnly else { return }
        throw .readOnly(directory: directory.path, operation: operation)
    }

    private func read<T>(_ body: (FileEngine) throws(StoreError) -> T) throws(StoreError) -> T {
        try engine.withLock { (engine) throws(StoreError) -> T in
            try engine.refresh()
            return try body(engine)
        }
    }

    package var generation: UInt64 { engine.withLock { $0.generation } }

    /// How many commit groups' bytes are kept in memory for reading back (``RecentFrames``).
    package var recentFrameCount: Int { engine.withLock { $0.recentFrames.count } }

    /// How many bytes those groups hold.
    package var recentFrameByteCount: Int { engine.withLock { $0.recentFrames.byteCount } }

    /// Where the current log's last frame ends (a preallocated log's file is larger).
    package var logEnd: UInt64 { engine.withLock { $0.appliedEnd } }

    /// Keeps new commits queued until ``resumeCommits()``, so that a test forms a group of a chosen
    /// size.
    package func holdCommits() {
        turns.withLock { $0.held = true }
    }

    /// Commits what ``holdCommits()`` kept queued, as one group (led from the committer's queue).
    package func resumeCommits() {
        let lead = turns.withLock { turns in
            turns.held = false
            turns.returning = 0  // the group is the one the test formed: no wait for anyone else
            guard !turns.leading, !turns.waiters.isEmpty else { return false }
            turns.leading = true
            return true
        }
        if lead { committer.async { self.leadFromQueue() } }
    }

    /// Whether a group is being committed and no commit waits for the next (tests use it to know
    /// that a commit waits for the lock).
    package var isCommittingGroup: Bool { turns.withLock { $0.leading && $0.waiters.isEmpty } }

    /// How many commits wait for the next group (tests use it to form a group on purpose).
    package var queuedCommitCount: Int { turns.withLock { $0.queuedCommitCount } }

    package func indexSummaries() throws -> (maintained: IndexSummary, rebuilt: IndexSummary) {
        try read { engine throws(StoreError) in
            (try engine.table.indexSummary(), try engine.table.rebuiltIndexSummary())
        }
    }
}

/// A step of compaction, after which a crash test may stop the process.
package enum CompactionStep: Int, Sendable, CaseIterable {
    case snapshotWritten = 1
    case logWritten
    case manifestWritten
    case manifestSwitched
    case oldFilesRemoved
}

extension RecordStore where Self == FileRecordStore {
    /// Opens (or creates) a file store in a directory.
    /// - Parameters:
    ///   - directory: The data directory.
    ///   - options: Compaction settings.
    /// - Returns: The open store.
    /// - Throws: As ``FileRecordStore/init(directory:options:)``.
    public static func file(at directory: URL, options: FileRecordStore.Options = .init()) throws(StoreError)
        -> FileRecordStore
    {
        try FileRecordStore(directory: directory, options: options)
    }
}
