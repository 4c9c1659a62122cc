#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
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

    // MARK: Manifest

    static func manifestText(generation: UInt64, format: UInt32 = storeFormat) -> String {
        let body = "dapodik-store format=\(format) generation=\(generation)"
        let checksum = String(CRC32C.checksum(Array(body.utf8)), radix: 16)
        return body + " crc32c=" + String(repeating: "0", count: 8 - checksum.count) + checksum + "\n"
    }

    /// Reads `CURRENT`. A manifest of another format is refused as `unsupportedFormat` only when its
    /// checksum holds; otherwise it is damage.
    func readManifest() throws(StoreError) -> UInt64 {
        try Self.readManifest(at: path(Self.manifestName))
    }

    /// Reads the manifest at a path (see ``readManifest()``).
    static func readManifest(at manifest: String) throws(StoreError) -> UInt64 {
        let fd = try SystemCalls.open(manifest, O_RDONLY)
        defer { SystemCalls.close(fd) }
        let bytes = try SystemCalls.read(fd, count: 256, at: 0, path: manifest)
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count == 4, fields[0] == "dapodik-store", fields[1].hasPrefix("format="),
            let format = UInt32(fields[1].dropFirst("format=".count)),
            fields[2].hasPrefix("generation="), let generation = UInt64(fields[2].dropFirst("generation=".count)),
            generation > 0, manifestText(generation: generation, format: format) == text
        else {
            throw .corrupted(file: manifest, offset: 0, Damage("manifest tidak terbaca", "unreadable manifest"))
        }
        guard format == storeFormat else { throw .unsupportedFormat(file: manifest, version: format) }
        return generation
    }

    /// Switches the store to a generation: writes `CURRENT.tmp`, syncs it, renames it over `CURRENT`
    /// and syncs the directory. The rename is the commit point.
    func writeManifest(generation: UInt64) throws(StoreError) {
        try Self.writeManifest(directory: directory, generation: generation)
    }

    /// ``writeManifest(generation:)`` in its two steps, for a compaction, which must tell a failure
    /// before the switch from one after it.
    static func writeManifest(directory: String, generation: UInt64) throws(StoreError) {
        try writeTemporaryManifest(directory: directory, generation: generation)
        try switchManifest(directory: directory)
    }

    /// Writes and syncs `CURRENT.tmp`. A failure here leaves `CURRENT` as it was.
    static func writeTemporaryManifest(directory: String, generation: UInt64) throws(StoreError) {
        try writeNewFile(directory + "/" + manifestName + ".tmp", Array(manifestText(generation: generation).utf8))
    }

    /// Renames `CURRENT.tmp` over `CURRENT` and syncs the directory: the commit point. After a
    /// failure here `CURRENT` may name either generation (a failed `rename` may still have happened,
    /// a failed directory sync leaves the rename's durability unknown).
    static func switchManifest(directory: String) throws(StoreError) {
        try SystemCalls.rename(directory + "/" + manifestName + ".tmp", directory + "/" + manifestName)
        try SystemCalls.syncDirectory(directory)
    }

    /// Removes the files of other generations and temporary files: what a crash during creation or
    /// compaction left behind. Only under the exclusive lock, and only after the generation `CURRENT`
    /// names has loaded.
    ///
    /// The directory is synced *before* anything is removed: `CURRENT` may name this generation
    /// only in the page cache (a compaction whose directory sync failed or was cut short), and
    /// removing the generation it replaced is safe only once that rename is durable.
    private func removeLeftovers(keeping generation: UInt64) throws(StoreError) {
        let leftovers = try SystemCalls.listDirectory(directory).filter { name in
            // The marker of a backup whose manifest was written before it failed: the copy is whole.
            if name == Self.manifestName + ".tmp" || name == Self.incompleteBackupMarkerName { return true }
            guard let number = Self.generationNumber(of: name) else { return false }
            return number != generation
        }
        guard !leftovers.isEmpty else { return }
        try SystemCalls.syncDirectory(directory)
        for name in leftovers { try SystemCalls.remove(path(name)) }
        try SystemCalls.syncDirectory(directory)
    }

    static func generationNumber(of name: String) -> UInt64? {
        for prefix in ["snapshot-", "log-"] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) { return UInt64(digits) }
        }
        return nil
    }

    // MARK: Loading and catching up

    private func closeGenerationFiles() {
        if logFD >= 0 { SystemCalls.close(logFD) }
        if snapshotFD >= 0 { SystemCalls.close(snapshotFD) }
        logFD = -1
        snapshotFD = -1
    }

    func closeAll() {
        closeGenerationFiles()
    }

    func close() {
        if failure?.code != .closed { failure = .closed }
        if flushInFlight {
            closeRequested = true
        } else {
            closeAll()
        }
    }

    /// Loads a generation from scratch: its snapshot, then its log. When the snapshot or the log's
    /// header cannot be read, the engine keeps the generation it had.
    /// - Parameter cleanTail: Under the exclusive lock, check that a preallocated log is zero after
    ///   its last frame, and make it so (after a crash).
    /// - Returns: How far the log was read (``catchUp(mode:cleanTail:)``).
    @discardableResult
    func load(generation: UInt64, mode: LockMode, cleanTail: Bool = false) throws(StoreError) -> LogReading {
        let snapshotPath = path(Self.snapshotName(generation))
        let logPath = path(Self.logName(generation))
        let newSnapshotFD = try openGenerationFile(snapshotPath, O_RDONLY, generation: generation, mode: mode)
        let newLogFD: Int32
        let snapshot: SnapshotIndex
        let header: (generation: UInt64, base: UInt64, version: UInt32)
        do throws(StoreError) {
            newLogFD = try openGenerationFile(
                logPath, options.readOnly ? O_RDONLY : O_RDWR, generation: generation, mode: mode)
            do throws(StoreError) {
                for (fd, file) in [(newSnapshotFD, snapshotPath), (newLogFD, logPath)] {
                    if let distrust = DirectoryDistrust.checkFile(fd, path: file, in: directory) {
                        throw .untrusted(distrust)
                    }
                }
                snapshot = try SnapshotIndex.load(fd: newSnapshotFD, path: snapshotPath)
                guard snapshot.generation == generation else {
                    throw .corrupted(
                        file: snapshotPath, offset: 16,
                        Damage("snapshot milik generasi lain", "snapshot of another generation"))
                }
                header = try LogFormat.parseHeader(
                    SystemCalls.read(newLogFD, count: LogFormat.headerSize, at: 0, path: logPath), path: logPath)
                guard header.generation == generation, header.base == snapshot.lastSequence else {
                    throw .corrupted(
                        file: logPath, offset: 16,
                        Damage("log tidak melanjutkan snapshot", "log does not continue the snapshot"))
                }
            } catch {
                SystemCalls.close(newLogFD)
                throw error
            }
        } catch {
            SystemCalls.close(newSnapshotFD)
            throw error
        }
        closeGenerationFiles()
        self.generation = generation
        snapshotFD = newSnapshotFD
        logFD = newLogFD
        logVersion = header.version
        table = GenerationTable(snapshot: snapshot)
        recentFrames.removeAll()
        baseSequence = snapshot.lastSequence
        logSequences = []
        logOffsets = []
        appliedEnd = UInt64(LogFormat.headerSize)
        return try catchUp(mode: mode, cleanTail: cleanTail)
    }

    /// Opens a file of the generation `CURRENT` names.
    ///
    /// Under a lock that no compaction holds at the same time (`mode` `.shared` or `.exclusive`), a
    /// file that is not there was removed or lost (by hand, a partial restore), not replaced by a
    /// compaction: that is damage of the manifest, which names a generation that is not all there, and
    /// ``FileRecordStore/recoverManifest(directory:lockWait:)`` repairs it. Before, it was a bare
    /// `ENOENT` naming the file, with no advice (found by attacking the store). Without a lock
    /// (`.none`) `ENOENT` stays, so that a reader racing a compaction looks again.
    private func openGenerationFile(
        _ file: String, _ flags: Int32, generation: UInt64, mode: LockMode
    ) throws(StoreError) -> Int32 {
        do {
            return try SystemCalls.open(file, flags)
        } catch  where error.errno == ENOENT && mode != .none {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            throw .corrupted(
                file: path(Self.manifestName), offset: 0,
                Damage(
                    "menunjuk generasi \(generation), tetapi \(name) tidak ada",
                    "names generation \(generation), but \(name) is missing"))
        }
    }

    /// Whether the current log is preallocated and written in place (``LogFormat/preallocatedVersion``).
    var isPreallocated: Bool { logVersion >= LogFormat.preallocatedVersion }

    /// Before a commit or compaction, under the exclusive lock: begins the change (``openChange``),
    /// then follows a compaction another process made and applies the frames other processes wrote
    /// (removing a torn tail). Nothing is read when the change counter shows that no other process
    /// changed the files since this one last knew them (a preallocated log only: earlier builds,
    /// which may write logs of older versions, do not keep the counter).
    func refreshExclusive() throws(StoreError) {
        let seen = lockFile.changeCounter
        openChange = lockFile.beginChange()
        if isPreallocated, seen == seenCounter, seen & 1 == 0 { return }
        // An odd counter under the lock: a change was cut short; its bytes may lie anywhere in the tail.
        let interrupted = seen & 1 == 1
        do throws(StoreError) {
            let current = try readManifest()
            // Frames read without the lock beyond the last acknowledged commit, while the change that
            // was cut short was under way, may never have become durable: its failed sync zeroed them.
            // Built on, they would leave a hole before this process's frames. Read it all again.
            let unsure = interrupted && table.lastSequence > lockFile.acknowledgedSequence
            if current != generation || unsure {
                try load(generation: current, mode: .exclusive, cleanTail: interrupted)
                try removeLeftovers(keeping: current)
            } else {
                try catchUp(mode: .exclusive, cleanTail: interrupted)
            }
            try acknowledgeAdoptedCommits()
        } catch {
            // The counter stays odd: whoever takes the lock next checks everything again.
            openChange = nil
            throw error
        }
    }

    /// Under the exclusive lock, once the log is read: commits applied beyond the acknowledged
    /// sequence (written by a process that died before its sync returned, or by an earlier release,
    /// which keeps no acknowledged sequence) are taken as committed, so they are made durable and
    /// recorded, and readers without the lock, which stop at the acknowledged sequence, see them too.
    /// A failed sync poisons the store, as a commit group's does: the commits' state on disk is
    /// unknown, and a sync tried again could succeed without writing them.
    private func acknowledgeAdoptedCommits() throws(StoreError) {
        guard table.lastSequence > lockFile.acknowledgedSequence else { return }
        do throws(StoreError) {
            try SystemCalls.syncData(logFD, path: logPath)
        } catch {
            failure = .poisoned(by: error)
            throw error
        }
        lockFile.setAcknowledgedSequence(table.lastSequence)
    }

    /// Before a read, without the lock: cheap when nothing changed (a preallocated log: one load of
    /// the change counter; an older log: one `fstat`).
    func refresh() throws(StoreError) {
        if let failure { throw failure }
        // A read-only store keeps the state it opened with (``FileRecordStore/Options/readOnly``).
        if options.readOnly { return }
        guard !flushInFlight else { return }
        let seen = lockFile.changeCounter
        if isPreallocated, seen == seenCounter { return }
        if isPreallocated, let stop = stoppedBeforeUnacknowledged, stop.counter == seen,
            stop.acknowledged == lockFile.acknowledgedSequence
        {
            return
        }
        stoppedBeforeUnacknowledged = nil
        // Everything changed before `seen` was set is visible to the reads below (its loading
        // acquires), so a clean read of the log makes this process's view at least as new as `seen`.
        switch try refreshWithoutLock() {
        case .toCleanEnd: seenCounter = seen
        case .stoppedBeforeUnacknowledged: stoppedBeforeUnacknowledged = (seen, lockFile.acknowledgedSequence)
        case .stoppedAtUnfinishedBytes: break
        }
    }

    /// ``refresh()``'s look at the files.
    /// - Returns: How far the log was read.
    private func refreshWithoutLock() throws(StoreError) -> LogReading {
        let status = try SystemCalls.status(logFD, path: logPath)
        if status.links == 0 {
            // Another process compacted: our log was removed after its manifest switched, so
            // CURRENT names a complete generation. It is loaded without waiting for any lock; a
            // compaction that removes it meanwhile makes the open fail with ENOENT: look again.
            var attempts = 0
            while true {
                do throws(StoreError) {
                    return try load(generation: try readManifest(), mode: .none)
                } catch  where error.errno == ENOENT && attempts < 8 {
                    attempts += 1
                }
            }
        } else if isPreallocated || status.size != appliedEnd {
            return try catchUp(mode: .none)
        }
        return .toCleanEnd
    }

    /// How far a look at the log got.
    enum LogReading {
        /// To a clean end: the view is as new as the files.
        case toCleanEnd
        /// Stopped at bytes a writer may still be writing, or at damage left for the exclusive lock's
        /// holder: a later look may read further.
        case stoppedAtUnfinishedBytes
        /// Stopped at commits beyond the acknowledged sequence (their writer's sync may be under way,
        /// or have failed): another look reads further only once the change counter or the
        /// acknowledged sequence has moved.
        case stoppedBeforeUnacknowledged
    }

    private enum ScanStop {
        case end
        case incomplete(UInt64)
        case damaged(UInt64, Damage)
        /// A frame whose commits lie beyond the limit: not known to be durable.
        case unacknowledged(UInt64)
    }

    /// Applies the frames written after `appliedEnd`. Under the exclusive lock a torn tail is removed
    /// (cut off an appended log; zeroed in a preallocated one, which must stay zero after its last
    /// frame); with `cleanTail` the rest of a preallocated log is checked too.
    /// - Returns: How far the log was read.
    @discardableResult
    private func catchUp(mode: LockMode, cleanTail: Bool = false) throws(StoreError) -> LogReading {
        let size = try SystemCalls.status(logFD, path: logPath).size
        logCapacity = size
        guard size >= appliedEnd else {
            throw .corrupted(
                file: logPath, offset: size,
                Damage(
                    "log lebih pendek daripada yang sudah dibaca darinya",
                    "the log is shorter than what was read from it"))
        }
        guard size > appliedEnd else {
            if mode == .exclusive { try requireAcknowledgedCommits(endingAt: appliedEnd) }
            return .toCleanEnd
        }
        // Without the exclusive lock, only commits known to be durable are applied: those up to the
        // acknowledged sequence, or every one under a shared lock (no writer at work) unless a change
        // was cut short. A writer's frames are in the file before its sync returns.
        let limit: UInt64? =
            switch mode {
            case .none: lockFile.acknowledgedSequence
            // An older log may be appended to by a release from before the counter: read to its end.
            case .shared: isPreallocated && lockFile.changeCounter & 1 == 1 ? lockFile.acknowledgedSequence : nil
            case .exclusive: nil
            }
        switch try scan(to: size, limit: limit) {
        case .end:
            guard mode == .exclusive else { return .toCleanEnd }
            try requireAcknowledgedCommits(endingAt: appliedEnd)
            if cleanTail, isPreallocated { try removeTail(from: appliedEnd, size: size) }
            return .toCleanEnd
        case .incomplete:
            // Under the exclusive lock nobody is writing: the bytes are a torn tail, unless they held
            // acknowledged commits.
            guard mode == .exclusive else { return .stoppedAtUnfinishedBytes }
            try requireAcknowledgedCommits(endingAt: appliedEnd)
            try removeTail(from: appliedEnd, size: size)
            return .toCleanEnd
        case .unacknowledged:
            // Past the acknowledged commits: a writer's sync may be under way, or have failed. When no
            // writer holds the lock and no change was cut short, they are durable (an earlier release
            // keeps no acknowledged sequence); otherwise they wait for a later look.
            guard mode == .none, !isPreallocated || lockFile.changeCounter & 1 == 0,
                try lockFile.tryLockReader()
            else {
                return .stoppedBeforeUnacknowledged
            }
            defer { lockFile.unlockReader() }
            return try catchUp(mode: .shared)
        case .damaged(let offset, let reason):
            switch mode {
            case .none:
                // Possibly a frame being written right now: look again while no one may write, if
                // that needs no waiting; otherwise a writer holds the lock, and its frames are not
                // ours to see yet.
                guard try lockFile.tryLockReader() else { return .stoppedAtUnfinishedBytes }
                defer { lockFile.unlockReader() }
                return try catchUp(mode: .shared)
            case .shared, .exclusive:
                if try validFrameExists(after: offset, size: size) {
                    throw .corrupted(file: logPath, offset: offset, reason)
                }
                guard mode == .exclusive else { return .stoppedAtUnfinishedBytes }
                try requireAcknowledgedCommits(endingAt: offset, damage: reason)
                try removeTail(from: offset, size: size)
                return .toCleanEnd
            }
        }
    }

    /// Under the exclusive lock, where the valid frames end (at `offset`): refuses a log whose last
    /// valid commit is older than the last one acknowledged (``LockFile/acknowledgedSequence``).
    /// What follows is then not a torn write that nobody was told of but lost or damaged commits
    /// (the log cut short, or damage at its end), kept as they are for salvage, never removed.
    func requireAcknowledgedCommits(endingAt offset: UInt64, damage: Damage? = nil) throws(StoreError) {
        let acknowledged = lockFile.acknowledgedSequence
        let last = table.lastSequence
        guard last < acknowledged else { return }
        var indonesian = "log berakhir pada commit \(last), padahal commit sampai \(acknowledged) sudah dikonfirmasi"
        var english = "the log ends at commit \(last), but commits up to \(acknowledged) were acknowledged"
        if let damage {
            indonesian += " (\(damage.indonesian))"
            english += " (\(damage.english))"
        }
        throw .corrupted(file: logPath, offset: offset, Damage(indonesian, english))
    }

    /// Removes what follows the last valid frame, at `offset`, durably: an appended log is cut
    /// there; a preallocated log keeps its size and has every non-zero byte after `offset` zeroed
    /// (a crash may leave bytes of an unfinished write anywhere in the tail, even after zeros), so
    /// that nothing but zeros ever follows its last frame.
    private func removeTail(from offset: UInt64, size: UInt64) throws(StoreError) {
        guard isPreallocated else {
            guard offset < size else { return }
            // A frame is written only after the one before it is durable, so a crash tears the last
            // frame only. A frame that seems to run past the end (a damaged length) followed by frames
            // that continue the history is damage in the middle: refuse, never cut acknowledged commits.
            if try validFrameExists(after: offset, size: size) {
                throw .corrupted(
                    file: logPath, offset: offset,
                    Damage(
                        "frame yang terpotong diikuti frame yang valid", "torn frame followed by valid frames"))
            }
            try SystemCalls.truncate(logFD, to: offset, path: logPath)
            try SystemCalls.sync(logFD, path: logPath)
            return
        }
        guard let dirtyEnd = try lastNonZeroEnd(from: offset, to: size) else { return }
        // Eight zero bytes where a frame's header was (damage, not a crash: the writer never
        // writes a frame's end before its start) followed by frames that continue the history:
        // refuse, as for any damage in the middle, rather than zero acknowledged commits.
        if try validFrameExists(after: offset, size: size) {
            throw .corrupted(
                file: logPath, offset: offset,
                Damage("frame berisi nol diikuti frame yang valid", "zeroed frame followed by valid frames"))
        }
        try Self.writeZeros(logFD, path: logPath, from: offset, to: dirtyEnd)
        try SystemCalls.syncData(logFD, path: logPath)
    }

    /// Where the log's bytes in `start ..< end` stop being zero: one past the last byte that is not,
    /// or `nil` when all are zero. Read in chunks of ``scanChunk``; a short file ends the scan.
    func lastNonZeroEnd(from start: UInt64, to end: UInt64) throws(StoreError) -> UInt64? {
        var position = start
        var dirtyEnd: UInt64?
        while position < end {
            let chunk = try SystemCalls.read(
                logFD, count: Int(min(end - position, UInt64(Self.scanChunk))), at: position, path: logPath)
            if chunk.isEmpty { break }
            if let last = chunk.lastIndex(where: { $0 != 0 }) { dirtyEnd = position + UInt64(last) + 1 }
            position += UInt64(chunk.count)
        }
        return dirtyEnd
    }

    /// Writes zeros over `start ..< end` (in pieces of at most 4 MiB), without syncing.
    static func writeZeros(_ fd: Int32, path: String, from start: UInt64, to end: UInt64) throws(StoreError) {
        let zeros = [UInt8](repeating: 0, count: Int(min(end - start, 4 << 20)))
        var position = start
        while position < end {
            let count = Int(min(end - position, UInt64(zeros.count)))
            try SystemCalls.write(fd, count == zeros.count ? zeros : Array(zeros[0..<count]), at: position, path: path)
            position += UInt64(count)
        }
    }

    /// Applies the complete, valid frames from `appliedEnd` on.
    private func scan(to size: UInt64, limit: UInt64?) throws(StoreError) -> ScanStop {
        var position = appliedEnd
        // A preallocated log is mostly zeros past its end: read it in small pieces, up to the end.
        let chunkSize = isPreallocated ? Self.preallocatedScanChunk : Self.scanChunk
        var wanted = chunkSize
        let preallocated = isPreallocated
        while position < size {
            let count = Int(min(size - position, UInt64(max(wanted, chunkSize))))
            let chunk = try SystemCalls.read(logFD, count: count, at: position, path: logPath)
            var offset = 0
            var stop: ScanStop?
            var needMore = false
            var failure: StoreError?
            chunk.withUnsafeBytes { raw in
                while offset < raw.count {
                    if preallocated,
                        LogFormat.isEndOfLog(raw, at: offset, bytesEndTheFile: position + UInt64(raw.count) == size)
                    {
                        stop = .end
                        return
                    }
                    switch LogFormat.decodeFrame(raw, at: offset, version: logVersion) {
                    case .frame(let frameSize, let commits):
                        if let limit, commits[commits.count - 1].sequence > limit {
                            stop = .unacknowledged(position + UInt64(offset))
                            return
                        }
                        let first = commits[0].sequence
                        guard first == table.lastSequence + 1 else {
                            stop = .damaged(
                                position + UInt64(offset),
                                Damage("urutan \(first) tidak berurutan", "sequence \(first) out of order"))
                            return
                        }
                        let frame = UnsafeRawBufferPointer(rebasing: raw[offset..<offset + frameSize])
                        for (index, commit) in commits.enumerated() {
                            do throws(StoreError) {
                                try apply(commit, frame: frame, at: position + UInt64(offset))
                            } catch {
                                // Part of a group applied: this view can no longer be continued.
                                if index > 0 { self.failure = .poisoned(by: error) }
                                failure = error
                                return
                            }
                        }
                        offset += frameSize
                        appliedEnd = position + UInt64(offset)
                    case .incomplete:
                        let frameStart = position + UInt64(offset)
                        guard raw.count - offset >= 4 else {
                            if frameStart + 8 > size { stop = .incomplete(frameStart) } else { needMore = true }
                            return
                        }
                        let length = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                        if frameStart + 8 + length > size {
                            stop = .incomplete(frameStart)
                        } else {
                            needMore = true
                            wanted = Int(8 + length)
                        }
                        return
                    case .damaged(let reason):
                        stop = .damaged(position + UInt64(offset), reason)
                        return
                    }
                }
            }
            if let failure { throw failure }
            if let stop { return stop }
            position += UInt64(offset)
            if !needMore { wanted = chunkSize }
        }
        return .end
    }

    private func apply(_ commit: LogFormat.DecodedCommit, frame: UnsafeRawBufferPointer, at frameOffset: UInt64)
        throws(StoreError)
    {
        // Every earlier state is read before anything changes, so a failed read changes nothing.
        let previous = try commit.mutations.map { (mutation) throws(StoreError) in try table[mutation.key] }
        for (mutation, old) in zip(commit.mutations, previous) {
            if let version = mutation.version {
                let value = UnsafeRawBufferPointer(
                    rebasing: frame[mutation.valueOffset..<mutation.valueOffset + mutation.valueLength])
                let location = ValueLocation(
                    inSnapshot: false, offset: frameOffset + UInt64(mutation.valueOffset),
                    length: UInt32(mutation.valueLength), checksum: CRC32C.checksum(value))
                table.put(
                    mutation.key,
                    StoredRecord(
                        version: version, sequence: commit.sequence, indexes: mutation.indexes, payload: location))
            } else if old != nil {
                table.remove(mutation.key)
            }
        }
        table.lastSequence = commit.sequence
        logSequences.append(commit.sequence)
        logOffsets.append(frameOffset)
    }

    /// Whether a valid frame continuing the history starts anywhere after a damaged one: then the
    /// damage is corruption in the middle of the log, not a torn tail.
    func validFrameExists(after offset: UInt64, size: UInt64) throws(StoreError) -> Bool {
        let bytes = try SystemCalls.read(logFD, count: Int(size - offset), at: offset, path: logPath)
        let last = table.lastSequence
        return bytes.withUnsafeBytes { raw in
            var start = 1
            while start + LogFormat.frameHeaderSize + LogFormat.minimumPayload <= raw.count {
                defer { start += 1 }
                let length = Int(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian)
                guard length >= LogFormat.minimumPayload, length <= raw.count - start - LogFormat.frameHeaderSize else {
                    continue
                }
                let sequence = raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self).littleEndian
                guard sequence > last, sequence - last < 1 << 32 else { continue }
                if case .frame = LogFormat.decodeFrame(raw, at: start, version: logVersion) { return true }
            }
            return false
        }
    }

    // MARK: Reading

    /// A value of the current generation: from the groups this process committed last when one holds
    /// it (``RecentFrames``), otherwise read from its file and checked against its CRC-32C.
    func readValue(_ location: ValueLocation) throws(StoreError) -> Data {
        if let recent = recentFrames.value(at: location) { return recent }
        return Data(
            try Self.readValue(
                location, snapshotFD: snapshotFD, snapshotPath: snapshotPath, logFD: logFD, logPath: logPath))
    }

    static func readValue(
        _ location: ValueLocation, snapshotFD: Int32, snapshotPath: String, logFD: Int32, logPath: String
    ) throws(StoreError) -> [UInt8] {
        let fd = location.inSnapshot ? snapshotFD : logFD
        let file = location.inSnapshot ? snapshotPath : logPath
        let bytes = try SystemCalls.read(fd, count: Int(location.length), at: location.offset, path: file)
        guard bytes.count == Int(location.length), CRC32C.checksum(bytes) == location.checksum else {
            throw .corrupted(
                file: file, offset: location.offset, Damage("checksum nilai tidak cocok", "value checksum mismatch"))
        }
        return bytes
    }

    func record(_ key: RecordKey) throws(StoreError) -> Record? {
        guard let stored = try table[key] else { return nil }
        return Record(
            key: key, version: stored.version, value: try readValue(stored.payload), indexes: stored.indexes,
            sequence: stored.sequence)
    }

    func records(_ keys: [RecordKey]) throws(StoreError) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(keys.count)
        for key in keys {
            if let record = try record(key) { records.append(record) }
        }
        return records
    }

    func keys(in index: String, from lower: String, to upper: String, limit: Int) throws(StoreError) -> [RecordKey] {
        try table.members(in: index, from: lower, to: upper, limit: limit).map(\.1)
    }

    // MARK: Change feed

    func changes(after sequence: UInt64, limit: Int) throws(StoreError) -> [ChangeBatch] {
        var batches: [ChangeBatch] = []
        if sequence < baseSequence, limit > 0 {
            batches = try snapshotChanges(after: sequence, limit: limit)
        }
        var index = Self.firstIndex(in: logSequences, after: max(sequence, batches.last?.sequence ?? 0))
        // Consecutive commits of one group share a frame: it is read and decoded once.
        var frame: (start: UInt64, bytes: [UInt8], commits: [LogFormat.DecodedCommit])?
        while index < logSequences.count, batches.count < limit {
            let start = logOffsets[index]
            if frame?.start != start {
                var end = index + 1
                while end < logOffsets.count, logOffsets[end] == start { end += 1 }
                let frameEnd = end < logOffsets.count ? logOffsets[end] : appliedEnd
                let bytes = try SystemCalls.read(logFD, count: Int(frameEnd - start), at: start, path: logPath)
                let result = bytes.withUnsafeBytes { LogFormat.decodeFrame($0, at: 0, version: logVersion) }
                guard case .frame(_, let commits) = result else {
                    throw .corrupted(
                        file: logPath, offset: start,
                        Damage("frame log berubah sejak dibaca", "log frame changed since it was read"))
                }
                frame = (start, bytes, commits)
            }
            let bytes = frame!.bytes
            guard let commit = frame!.commits.first(where: { $0.sequence == logSequences[index] }) else {
                throw .corrupted(
                    file: logPath, offset: start,
                    Damage("frame log berubah sejak dibaca", "log frame changed since it was read"))
            }
            var batch = ChangeBatch(sequence: commit.sequence, puts: [], deletes: [])
            for mutation in commit.mutations {
                if let version = mutation.version {
                    let value = Data(bytes[mutation.valueOffset..<mutation.valueOffset + mutation.valueLength])
                    batch.puts.append(
                        Record(
                            key: mutation.key, version: version, value: value, indexes: mutation.indexes,
                            sequence: commit.sequence))
                } else {
                    batch.deletes.append(mutation.key)
                }
            }
            batch.puts.sort { $0.key < $1.key }
            batch.deletes.sort()
            batches.append(batch)
            index += 1
        }
        return batches
    }

    private func snapshotChanges(after sequence: UInt64, limit: Int) throws(StoreError) -> [ChangeBatch] {
        let snapshot = table.snapshot
        var batches: [ChangeBatch] = []
        var ordinal = try snapshot.firstOrdinal(after: sequence)
        while ordinal < snapshot.count {
            let (key, stored) = try snapshot.entry(at: UInt64(littleEndian: snapshot.order[ordinal]))
            if batches.last?.sequence != stored.sequence {
                if batches.count == limit { break }
                batches.append(ChangeBatch(sequence: stored.sequence, puts: [], deletes: []))
            }
            batches[batches.count - 1].puts.append(
                Record(
                    key: key, version: stored.version, value: try readValue(stored.payload), indexes: stored.indexes,
                    sequence: stored.sequence))
            ordinal += 1
        }
        return batches
    }

    private static func firstIndex(in sequences: [UInt64], after sequence: UInt64) -> Int {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
