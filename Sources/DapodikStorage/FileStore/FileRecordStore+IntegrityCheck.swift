import DapodikLocking

extension FileRecordStore {
    /// What ``checkIntegrity()`` read and found intact.
    public struct IntegrityReport: Sendable, Hashable {
        /// The generation checked (the current one when the check began).
        public var generation: UInt64
        /// The last commit of that generation the check covered.
        public var lastSequence: UInt64
        /// How many values the snapshot holds, each read and checked.
        public var snapshotValues: Int
        /// How many commits the log holds after the snapshot, each frame read and checked.
        public var logCommits: UInt64
        /// How many bytes were read from the snapshot and the log.
        public var bytesRead: UInt64
    }

    /// Reads every byte the store's current generation relies on and checks it against its
    /// checksum: every value of the snapshot (opening reads only its index, and a value is checked
    /// only when it is read) and every frame of the log up to the last commit this process knows.
    /// So damage that has not been read yet (a flipped bit on the disk, a file changed by hand) is
    /// found now, not when a person's record is read.
    ///
    /// Other work goes on meanwhile, in this process and in others: the check reads its own
    /// descriptors of the generation's files, so a compaction that replaces them does not disturb
    /// it. It takes about as long as reading the snapshot and the log once.
    /// - Returns: What was checked.
    /// - Throws: ``StoreError``: `corrupted` naming the file and the offset of the first damage, with
    ///   its ``StoreError/recovery`` (a damaged snapshot value: restore a backup; a damaged log frame:
    ///   salvage); `ioFailure`, `poisoned`, `closed`. Nothing is changed either way.
    public func checkIntegrity() async throws -> IntegrityReport {
        let files = try integrityCheckFiles()
        defer { files.close() }
        return try checkIntegrity(of: files)
    }

    /// The files and state of the current generation, taken under the engine's mutex (after catching
    /// up with other processes' commits), for a check outside it.
    /// - Returns: Descriptors of the generation's files, which the caller closes (``GenerationFiles/close()``).
    package func integrityCheckFiles() throws(StoreError) -> GenerationFiles {
        try engine.withLock { (engine) throws(StoreError) in try GenerationFiles(engine) }
    }

    /// One generation's files, with descriptors of their own (so a compaction that closes and
    /// removes them does not disturb a check), and what the engine knew of them.
    package struct GenerationFiles: Sendable {
        let generation: UInt64
        let snapshot: SnapshotIndex
        let snapshotFD: Int32
        let snapshotPath: String
        let logFD: Int32
        let logPath: String
        let logEnd: UInt64
        let baseSequence: UInt64
        let lastSequence: UInt64

        /// Catches up with other processes' commits, then duplicates the engine's descriptors.
        init(_ engine: FileEngine) throws(StoreError) {
            try engine.refresh()
            generation = engine.generation
            snapshot = engine.table.snapshot
            snapshotPath = engine.snapshotPath
            logPath = engine.logPath
            logEnd = engine.appliedEnd
            baseSequence = engine.baseSequence
            lastSequence = engine.table.lastSequence
            snapshotFD = try SystemCalls.duplicate(engine.snapshotFD, path: snapshotPath)
            do {
                logFD = try SystemCalls.duplicate(engine.logFD, path: logPath)
            } catch {
                SystemCalls.close(snapshotFD)
                throw error
            }
        }

        /// Closes the two descriptors.
        package func close() {
            SystemCalls.close(snapshotFD)
            SystemCalls.close(logFD)
        }
    }

    /// Reads and checks the snapshot's values and the log's frames of `files`.
    package func checkIntegrity(of files: GenerationFiles) throws(StoreError) -> IntegrityReport {
        var bytesRead = try files.snapshot.verifyEveryValue(fd: files.snapshotFD, path: files.snapshotPath)
        let log = try SystemCalls.read(files.logFD, count: Int(clamping: files.logEnd), at: 0, path: files.logPath)
        bytesRead += UInt64(log.count)
        let header = try LogFormat.parseHeader(log, path: files.logPath)
        guard header.generation == files.generation, header.base == files.baseSequence else {
            throw .corrupted(
                file: files.logPath, offset: 16,
                Damage("log tidak melanjutkan snapshot", "log does not continue the snapshot"))
        }
        let valid = LogFormat.validPrefix(of: log, base: header.base, version: header.version)
        guard valid.end == log.count, UInt64(valid.end) == files.logEnd, valid.lastSequence == files.lastSequence else {
            throw .corrupted(
                file: files.logPath, offset: UInt64(valid.end),
                Damage("frame log rusak atau terpotong", "a log frame is damaged or cut short"))
        }
        return IntegrityReport(
            generation: files.generation, lastSequence: files.lastSequence, snapshotValues: files.snapshot.count,
            logCommits: files.lastSequence - files.baseSequence, bytesRead: bytesRead)
    }
}
