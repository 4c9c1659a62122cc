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
        /// How many bytes of the snapshot's values and of the log were read and checked.
        public var bytesRead: UInt64
        /// What a store opened read-only left out after the last commit checked, and left on disk,
        /// where opening for writing repairs the log (``FileRecordStore/leftOutTail``); `nil` when
        /// nothing was.
        public var leftOutTail: LeftOutTail?
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
        let leftOutTail: LeftOutTail?

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
            leftOutTail = engine.leftOutTail
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
        let valuesRead = try files.snapshot.verifyEveryValue(fd: files.snapshotFD, path: files.snapshotPath)
        try Self.checkLog(of: files, pieceSize: Self.integrityCheckPiece)
        return IntegrityReport(
            generation: files.generation, lastSequence: files.lastSequence, snapshotValues: files.snapshot.count,
            logCommits: files.lastSequence - files.baseSequence, bytesRead: valuesRead + files.logEnd,
            leftOutTail: files.leftOutTail)
    }

    /// How much of the log a check reads at a time: the log is never held whole (it grows without bound
    /// when automatic compaction is off), only a piece, or one frame when a frame is larger.
    package static let integrityCheckPiece = 4 << 20

    /// Reads the log of `files` up to the end the engine knew, `pieceSize` bytes at a time (a frame
    /// that does not fit is read again whole, at its own size), and checks its header and every frame.
    /// - Throws: ``StoreError`` `corrupted` at the start of the first damaged frame: a header that does
    ///   not continue the snapshot, a frame that fails its checksum or does not parse, a sequence out of
    ///   order, a frame or a log cut short; `ioFailure` when a read fails.
    package static func checkLog(of files: GenerationFiles, pieceSize: Int) throws(StoreError) {
        precondition(pieceSize > 0, "a piece holds at least one byte")
        let path = files.logPath
        let headerBytes = try SystemCalls.read(files.logFD, count: LogFormat.headerSize, at: 0, path: path)
        let header = try LogFormat.parseHeader(headerBytes, path: path)
        guard header.generation == files.generation, header.base == files.baseSequence else {
            throw .corrupted(
                file: path, offset: 16, Damage("log tidak melanjutkan snapshot", "log does not continue the snapshot"))
        }
        var position = UInt64(LogFormat.headerSize)
        var sequence = header.base
        var wanted = pieceSize
        while position < files.logEnd {
            let count = Int(min(files.logEnd - position, UInt64(wanted)))
            let piece = try SystemCalls.read(files.logFD, count: count, at: position, path: path)
            // A short read: the file ends before the end the engine knew, so this piece is its end.
            let reachesEnd = piece.count < count || position + UInt64(count) == files.logEnd
            var offset = 0
            var damaged = false
            var frameSize: Int?
            piece.withUnsafeBytes { raw in
                while offset < raw.count {
                    switch LogFormat.decodeFrame(raw, at: offset, version: header.version) {
                    case .frame(let size, let commits) where commits[0].sequence == sequence + 1:
                        offset += size
                        sequence = commits[commits.count - 1].sequence
                    case .incomplete where !reachesEnd && raw.count - offset >= 4:
                        // The frame goes on past this piece: read it whole next, at the size its header
                        // gives, unless that runs past the end of the log.
                        let length = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                        let size = UInt64(LogFormat.frameHeaderSize) + length
                        if position + UInt64(offset) + size > files.logEnd {
                            damaged = true
                        } else {
                            frameSize = Int(size)
                        }
                        return
                    case .incomplete where !reachesEnd:
                        return  // Not even the frame's length in this piece: read on from its start.
                    default:
                        damaged = true
                        return
                    }
                }
            }
            position += UInt64(offset)
            guard !damaged, piece.count == count else { break }
            // At least a frame's header next time, so a tiny piece cannot stop short of a frame's length.
            wanted = max(pieceSize, frameSize ?? 0, offset == 0 ? LogFormat.frameHeaderSize : 0)
        }
        guard position == files.logEnd, sequence == files.lastSequence else {
            throw .corrupted(
                file: path, offset: position,
                Damage("frame log rusak atau terpotong", "a log frame is damaged or cut short"))
        }
    }
}
