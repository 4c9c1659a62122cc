#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension FileEngine {
    /// Whether the log has grown past the automatic compaction threshold.
    var shouldCompact: Bool {
        guard options.automaticCompaction else { return false }
        let logBytes = appliedEnd - UInt64(LogFormat.headerSize)
        return logBytes >= options.compactionMinimumLogBytes
            && Double(logBytes) >= options.compactionRatio * Double(liveBytes)
    }

    /// Writes a new generation (snapshot of the live records + an empty log), switches `CURRENT` to
    /// it, and removes the old one. Crash-safe at every step: before the manifest rename the old
    /// generation is current and the new files are leftovers; after it the new one is complete.
    func compact() throws(StoreError) {
        if let failure { throw failure }
        try withLock(exclusive: true) { () throws(StoreError) in try compactLocked() }
    }

    private func compactLocked() throws(StoreError) {
        try refreshExclusive()
        let next = generation + 1
        let snapshotPath = path(Self.snapshotName(next))
        let logPath = path(Self.logName(next))
        let keys = table.keysBySequence()
        var newSnapshotFD: Int32 = -1
        var newLogFD: Int32 = -1
        var written: (sequences: [UInt64], entryOffsets: [UInt64], valueOffsets: [UInt64])
        do throws(StoreError) {
            newSnapshotFD = try SystemCalls.open(snapshotPath, O_RDWR | O_CREAT | O_TRUNC)
            written = try writeSnapshot(keys: keys, generation: next, fd: newSnapshotFD, path: snapshotPath)
            try SystemCalls.sync(newSnapshotFD, path: snapshotPath)
            options.compactionStepHook?(.snapshotWritten)
            newLogFD = try SystemCalls.open(logPath, O_RDWR | O_CREAT | O_TRUNC)
            try SystemCalls.write(
                newLogFD, LogFormat.header(generation: next, baseSequence: table.lastSequence), at: 0, path: logPath)
            try SystemCalls.sync(newLogFD, path: logPath)
            try SystemCalls.syncDirectory(directory)
            options.compactionStepHook?(.logWritten)
            try writeManifest(generation: next, compacting: true)
        } catch {
            // The old generation is still current: drop the new files and carry on with it.
            if newSnapshotFD >= 0 { SystemCalls.close(newSnapshotFD) }
            if newLogFD >= 0 { SystemCalls.close(newLogFD) }
            try? SystemCalls.remove(snapshotPath)
            try? SystemCalls.remove(logPath)
            throw error
        }
        options.compactionStepHook?(.manifestSwitched)
        let oldSnapshot = self.snapshotPath
        let oldLog = self.logPath
        do throws(StoreError) {
            try SystemCalls.remove(oldSnapshot)
            try SystemCalls.remove(oldLog)
            try SystemCalls.syncDirectory(directory)
        } catch {
            // Other processes learn of a compaction by the old log's removal; without it they could
            // not be told, so this store must stop (a reopen finishes the clean-up).
            SystemCalls.close(newSnapshotFD)
            SystemCalls.close(newLogFD)
            failure = .poisoned(by: error)
            throw error
        }
        options.compactionStepHook?(.oldFilesRemoved)

        SystemCalls.close(self.logFD)
        SystemCalls.close(self.snapshotFD)
        self.snapshotFD = newSnapshotFD
        self.logFD = newLogFD
        generation = next
        for (index, key) in keys.enumerated() {
            let old = table[key]!.payload
            table.setPayload(
                ValueLocation(
                    inSnapshot: true, offset: written.valueOffsets[index], length: old.length, checksum: old.checksum),
                for: key)
        }
        baseSequence = table.lastSequence
        snapshotSequences = written.sequences
        snapshotOffsets = written.entryOffsets
        logSequences = []
        logOffsets = []
        appliedEnd = UInt64(LogFormat.headerSize)
    }

    /// Streams the snapshot: header, every value (read back and checked), the index region, the footer.
    private func writeSnapshot(keys: [RecordKey], generation: UInt64, fd: Int32, path: String) throws(StoreError) -> (
        sequences: [UInt64], entryOffsets: [UInt64], valueOffsets: [UInt64]
    ) {
        var output = BufferedFileWriter(fd: fd, path: path)
        try output.append(SnapshotFormat.header(generation: generation, lastSequence: table.lastSequence))
        var valueOffsets: [UInt64] = []
        valueOffsets.reserveCapacity(keys.count)
        for key in keys {
            let value = try readValue(table[key]!.payload)
            valueOffsets.append(output.position)
            try output.append(value)
        }
        let indexOffset = output.position
        output.startChecksum()
        var sequences: [UInt64] = []
        var entryOffsets: [UInt64] = []
        sequences.reserveCapacity(keys.count)
        entryOffsets.reserveCapacity(keys.count + 1)
        var entry = ByteWriter(capacity: 256)
        for (index, key) in keys.enumerated() {
            let record = table[key]!
            entry.bytes.removeAll(keepingCapacity: true)
            SnapshotFormat.appendEntry(key, record, valueOffset: valueOffsets[index], to: &entry)
            sequences.append(record.sequence)
            entryOffsets.append(output.position)
            try output.append(entry.bytes)
        }
        let indexLength = output.position - indexOffset
        let checksum = output.stopChecksum()
        entryOffsets.append(output.position)
        try output.append(
            SnapshotFormat.footer(
                .init(
                    indexOffset: indexOffset, indexLength: indexLength, recordCount: UInt64(keys.count),
                    lastSequence: table.lastSequence, indexChecksum: checksum)))
        try output.flush()
        return (sequences, entryOffsets, valueOffsets)
    }
}

/// Sequential writes through a 4 MiB buffer, with an optional running CRC-32C.
private struct BufferedFileWriter {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private var flushed: UInt64 = 0
    private var checksum: UInt32?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(Self.capacity)
    }

    static let capacity = 4 << 20

    var position: UInt64 { flushed + UInt64(buffer.count) }

    mutating func append(_ bytes: some Collection<UInt8>) throws(StoreError) {
        if let running = checksum { checksum = CRC32C.checksum(bytes, continuing: running) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    mutating func startChecksum() { checksum = 0 }

    mutating func stopChecksum() -> UInt32 {
        defer { checksum = nil }
        return checksum ?? 0
    }

    mutating func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        try SystemCalls.write(fd, buffer, at: flushed, path: path)
        flushed += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
