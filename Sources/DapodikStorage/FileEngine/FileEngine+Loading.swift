#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

// Loading a generation and catching up with the commits other processes (or this one) appended
// to its log since.
extension FileEngine {
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
    func acknowledgeAdoptedCommits() throws(StoreError) {
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
}
