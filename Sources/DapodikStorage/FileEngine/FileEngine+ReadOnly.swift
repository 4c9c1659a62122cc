extension FileEngine {
    /// Opens a store for reading only (``FileRecordStore/Options/readOnly``): nothing is opened for
    /// writing, and nothing is created, grown, repaired or removed.
    ///
    /// The generation `CURRENT` names is loaded under a shared lock on `LOCK` (when there is one),
    /// which no commit or compaction holds at the same time: every frame in the log then belongs to a
    /// finished commit group, and when a change was cut short (the change counter odd) only those up
    /// to the acknowledged sequence are read, as every reader does. What opening refuses is refused
    /// here too: a manifest that is missing or damaged, a log that ends before commits it
    /// acknowledged, damage followed by a frame that continues the history. What opening would repair
    /// is read as it will be once repaired: a torn tail is left out (and said so, ``leftOutTail``), a
    /// crashed compaction's leftovers are ignored.
    /// - Parameters:
    ///   - directory: The store's directory.
    ///   - options: The store's options (``FileRecordStore/Options/lockWait`` applies).
    /// - Returns: The engine, which never looks at the files again (``refresh()``).
    /// - Throws: ``StoreError`` as ``FileRecordStore/init(directory:options:)``; `ioFailure` with
    ///   `ENOENT` for a directory that does not exist (naming it) or holds no store (naming `CURRENT`).
    static func openReadOnly(directory: String, options: FileRecordStore.Options) throws(StoreError) -> FileEngine {
        if let distrust = DirectoryDistrust.checkParent(of: directory) { throw .untrusted(distrust) }
        try StoreError.requireTrusted(directory)
        try refuseIncompleteBackup(directory)
        let engine = FileEngine(
            directory: directory, options: options,
            lockFile: try LockFile(readingOnly: directory, waitPolicy: options.lockWait))
        try engine.lockFile.lockSharedAndReadWords()
        defer { engine.lockFile.unlock() }
        if !SystemCalls.exists(engine.path(manifestName)) {
            try refuseIncompleteBackup(directory)
            let found = try engine.generationFilesFound().found
            if !found.isEmpty { throw .manifestMissing(directory: directory, found: found) }
        }
        let reading = try engine.load(generation: try engine.readManifest(), mode: .shared)
        try engine.requireAcknowledgedCommits(endingAt: engine.appliedEnd)
        engine.leftOutTail = try engine.tailLeftOut(after: reading)
        return engine
    }

    /// After a read-only load: the bytes after the last frame read that opening for writing would
    /// repair (zero, cut off, or adopt as commits), up to the last byte that is not zero, which are
    /// left as they are; or a refusal of what opening for writing would refuse there.
    ///
    /// A frame that continues the history after them is damage in the middle, not a torn tail
    /// (opening checks that before it removes a tail): refused. Frames beyond the acknowledged
    /// sequence, after a change cut short, are a dead writer's unacknowledged commits, and frames
    /// after them are theirs. Only a tail that is not all zeros is searched for such a frame, so a
    /// clean preallocated log's zeros are read once.
    /// - Parameter reading: How far the load read: stopped before unacknowledged commits, those
    ///   are what was left out; otherwise the remains of a write cut short.
    /// - Returns: `nil` when nothing but zeros follows the last frame read.
    private func tailLeftOut(after reading: LogReading) throws(StoreError) -> FileRecordStore.LeftOutTail? {
        guard appliedEnd < logCapacity else { return nil }
        // An appended log ends with its last frame: a writer cuts off whatever follows.
        let end = isPreallocated ? try lastNonZeroEnd(from: appliedEnd, to: logCapacity) : logCapacity
        guard let end else { return nil }
        if reading != .stoppedBeforeUnacknowledged, try validFrameExists(after: appliedEnd, size: logCapacity) {
            throw .corrupted(
                file: logPath, offset: appliedEnd,
                Damage("frame rusak diikuti frame yang valid", "damaged frame followed by valid frames"))
        }
        return FileRecordStore.LeftOutTail(
            reason: reading == .stoppedBeforeUnacknowledged ? .unacknowledgedCommits : .tornWrite, file: logPath,
            offset: appliedEnd, length: end - appliedEnd)
    }
}
