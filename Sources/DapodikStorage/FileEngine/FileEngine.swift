#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The state and file work of one open ``FileRecordStore``: the current generation's files, the
/// in-memory index of every record, and the rules of `Documentation/StorageFormat.md`.
///
/// `@unchecked Sendable` is safe because the only reference lives inside ``FileRecordStore``'s
/// `LockedValue<FileEngine>` and every use of it happens inside that mutex's `withLock`; the type itself
/// is not thread-safe and is never handed out. (A group's flush runs outside the mutex, but on the
/// values of a ``PreparedGroup`` only, never on the engine.)
final class FileEngine: @unchecked Sendable {
    enum LockMode {
        case none
        case shared
        case exclusive
    }

    let directory: String
    let options: FileRecordStore.Options
    /// The `LOCK` file. Its blocking `flock` is taken only outside the store's mutex.
    let lockFile: LockFile
    var generation: UInt64 = 0
    var logFD: Int32 = -1
    var snapshotFD: Int32 = -1
    var table = GenerationTable(snapshot: .empty)
    /// The offset just after the last log frame applied to `table`.
    var appliedEnd: UInt64 = 0
    /// The current log's format version (``LogFormat/readableVersions``): new frames are written in it.
    var logVersion = LogFormat.formatVersion
    /// The last sequence in the snapshot; the log continues after it.
    var baseSequence: UInt64 = 0
    var logSequences: [UInt64] = []
    var logOffsets: [UInt64] = []
    /// Set when the store is closed or poisoned: every later call fails with it.
    var failure: StoreError?
    /// Set while a commit group is flushed, or a compaction writes the next generation, outside the
    /// store's mutex: this process holds the exclusive lock meanwhile, so no other process changes
    /// the files, and the bytes past `appliedEnd` are the group's own, not yet durable: readers
    /// must not catch up with them (nor follow the compaction before it is installed).
    var flushInFlight = false
    /// Set when ``close()`` came during a flush or compaction: the files are closed after it.
    var closeRequested = false
    /// The log file's size: for a preallocated log (``LogFormat/preallocatedVersion``) the space
    /// frames may be written into, zero after `appliedEnd`.
    var logCapacity: UInt64 = 0
    /// The change counter (``LockFile``) when this process last knew the whole state of the files:
    /// while the counter still shows it, no other process changed anything.
    var seenCounter: UInt64?
    /// Set when a read without the lock stopped at commits beyond the acknowledged sequence: the
    /// change counter and the acknowledged sequence then. While both are unchanged, another look
    /// would stop at the same frame, so reads skip it (a preallocated log only).
    var stoppedBeforeUnacknowledged: (counter: UInt64, acknowledged: UInt64)?
    /// The odd counter value of the change this process began under the exclusive lock, ended by
    /// ``unlock()`` unless the store was poisoned meanwhile.
    var openChange: UInt64?
    /// Set by a failed automatic compaction: the generation, and the log size below which no other
    /// is tried (``deferAutomaticCompaction()``).
    var automaticCompactionDeferral: (generation: UInt64, logBytes: UInt64)?
    /// For a read-only store (``FileRecordStore/Options/readOnly``): what its opening left out after
    /// the log's last frame read, and left on disk, where opening for writing would have repaired it.
    var leftOutTail: FileRecordStore.LeftOutTail?
    /// The bytes of the last groups this process committed to the current log, from which values
    /// just written are read back without a `pread`.
    var recentFrames: RecentFrames

    static let lockName = "LOCK"
    static let manifestName = "CURRENT"
    /// Written first into a backup's directory and removed once its manifest is written: a directory
    /// holding it and no manifest is a backup cut short, never opened or recovered as a store.
    static let incompleteBackupMarkerName = "BACKUP-INCOMPLETE"
    static let scanChunk = 8 << 20
    /// How much of a preallocated log a catch-up reads at a time: its new frames are usually small.
    static let preallocatedScanChunk = 256 << 10
    /// The store format named in `CURRENT`: 2 since snapshots carry their hash tables.
    static let storeFormat: UInt32 = 2

    init(directory: String, options: FileRecordStore.Options, lockFile: LockFile) {
        self.directory = directory
        self.options = options
        self.lockFile = lockFile
        self.recentFrames = RecentFrames(capacity: options.recentFrameBytes)
    }

    deinit { closeAll() }

    func path(_ name: String) -> String { directory + "/" + name }
    static func snapshotName(_ generation: UInt64) -> String { "snapshot-\(generation)" }
    static func logName(_ generation: UInt64) -> String { "log-\(generation)" }
    var logPath: String { path(Self.logName(generation)) }
    var snapshotPath: String { path(Self.snapshotName(generation)) }

    // MARK: Opening

    static func open(directory: String, options: FileRecordStore.Options) throws(StoreError) -> FileEngine {
        if options.readOnly { return try openReadOnly(directory: directory, options: options) }
        // Where another user could change things, nothing is read or made, not even the directory.
        if let distrust = DirectoryDistrust.checkParent(of: directory) { throw .untrusted(distrust) }
        if try SystemCalls.makeDirectory(directory) {
            try SystemCalls.syncDirectory(parent(of: directory))
        }
        try StoreError.requireTrusted(directory)
        try refuseIncompleteBackup(directory)
        let engine = FileEngine(
            directory: directory, options: options,
            lockFile: try LockFile(
                directory: directory, waitPolicy: options.lockWait,
                creating: !SystemCalls.exists(directory + "/" + manifestName)))
        // Opening waits for the lock before the engine is shared: no reader can wait behind it.
        try engine.lockFile.lock(exclusive: true)
        // Opening may repair (a torn tail, leftovers): other processes must look again afterwards.
        // A failure leaves the counter odd, so the next committer checks the whole tail as well.
        engine.openChange = engine.lockFile.beginChange()
        do throws(StoreError) {
            if !SystemCalls.exists(engine.path(manifestName)) {
                try Self.refuseIncompleteBackup(directory)
                try engine.createFirstGenerationIfNew()
            }
            let current = try engine.readManifest()
            // Leftovers go only once the generation CURRENT names has loaded: a damaged or missing
            // current generation must not cost the others. After a crash, bytes of an unfinished
            // write may lie anywhere in a preallocated log's tail: it is checked to its end.
            try engine.load(generation: current, mode: .exclusive, cleanTail: true)
            try engine.removeLeftovers(keeping: current)
            try engine.acknowledgeAdoptedCommits()
        } catch {
            engine.openChange = nil
            engine.lockFile.unlock()
            throw error
        }
        engine.unlock()
        return engine
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Releases the exclusive lock, first ending the change begun under it (``openChange``), unless
    /// the store was poisoned meanwhile: then the counter stays odd, and the next process to take the
    /// lock checks the whole log tail.
    func unlock() {
        if let odd = openChange {
            openChange = nil
            if failure == nil || failure?.code == .closed { seenCounter = lockFile.endChange(odd) }
        }
        lockFile.unlock()
    }

    /// Creates the first generation when `CURRENT` is missing, but only when nothing in the
    /// directory can hold a commit: the directory is new, or a creation was interrupted (only
    /// `snapshot-1`, which is always empty, and a `log-1` without a frame, and no commit ever
    /// acknowledged). Anything else means the manifest was lost: refuse, delete nothing.
    /// Refuses a backup cut short (its marker there, no manifest), before anything in it is created
    /// or locked: it is neither a store nor an empty directory to start one in.
    static func refuseIncompleteBackup(_ directory: String) throws(StoreError) {
        if SystemCalls.exists(directory + "/" + incompleteBackupMarkerName),
            !SystemCalls.exists(directory + "/" + manifestName)
        {
            throw .backupIncomplete(directory: directory)
        }
    }

    private func createFirstGenerationIfNew() throws(StoreError) {
        let (found, interruptedCreation) = try generationFilesFound()
        guard interruptedCreation, lockFile.acknowledgedSequence == 0 else {
            throw .manifestMissing(directory: directory, found: found)
        }
        try createFirstGeneration()
    }

    /// What the directory holds besides `CURRENT` that could hold commits, for a missing `CURRENT`:
    /// each generation file with its size, each set-aside manifest, and `LOCK` when it knows of
    /// acknowledged commits (then it belongs to a store whose manifest and commits were lost, not to a
    /// creation cut short).
    /// - Returns: Those names, and whether the generation files are only what an interrupted creation
    ///   leaves (`snapshot-1`, a `log-1` without a frame).
    func generationFilesFound() throws(StoreError) -> (found: [String], interruptedCreation: Bool) {
        var found: [String] = []
        var interruptedCreation = true
        for name in try SystemCalls.listDirectory(directory).sorted() {
            guard let number = Self.generationNumber(of: name) else {
                if name.hasPrefix(Self.manifestName + ".") && name != Self.manifestName + ".tmp" { found.append(name) }
                continue
            }
            var size: UInt64 = 0
            if let fd = try SystemCalls.openIfExists(path(name), O_RDONLY) {
                defer { SystemCalls.close(fd) }
                size = try SystemCalls.status(fd, path: path(name)).size
            }
            found.append("\(name) (\(size) byte)")
            if number != 1 || (name.hasPrefix("log-") && size > UInt64(LogFormat.headerSize)) {
                interruptedCreation = false
            }
        }
        let acknowledged = lockFile.acknowledgedSequence
        if acknowledged > 0 { found.append("\(Self.lockName) (commit \(acknowledged))") }
        return (found, interruptedCreation)
    }

    private func createFirstGeneration() throws(StoreError) {
        let snapshot = path(Self.snapshotName(1))
        let fd = try SystemCalls.open(snapshot, O_RDWR | O_CREAT | O_TRUNC)
        defer { SystemCalls.close(fd) }
        var output = BufferedFileWriter(fd: fd, path: snapshot)
        try output.append(SnapshotFormat.header(generation: 1, lastSequence: 0))
        let builder = SnapshotBuilder(generation: 1, lastSequence: 0, names: [], recordBound: 0, uniqueBound: 0)
        _ = try builder.finish(path: snapshot, output: &output)
        try SystemCalls.sync(fd, path: snapshot)
        try Self.writeNewFile(path(Self.logName(1)), LogFormat.header(generation: 1, baseSequence: 0))
        try SystemCalls.syncDirectory(directory)
        try writeManifest(generation: 1)
    }

    static func writeNewFile(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        let fd = try SystemCalls.open(path, O_RDWR | O_CREAT | O_TRUNC)
        defer { SystemCalls.close(fd) }
        try SystemCalls.write(fd, bytes, at: 0, path: path)
        try SystemCalls.sync(fd, path: path)
    }
}
