#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension FileEngine {
    /// Whether the log has grown past the automatic compaction threshold.
    ///
    /// The log is measured against the snapshot, not against all live data: while a store grows
    /// (a bulk load) every logged record is live, so log and live data grow together and a
    /// log-versus-live rule would let the log, and the time to replay it on open, grow without
    /// bound (issue 7: 22.7 s to open 3.5 million freshly loaded accounts).
    var shouldCompact: Bool {
        guard options.automaticCompaction else { return false }
        let logBytes = appliedEnd - UInt64(LogFormat.headerSize)
        guard logBytes >= options.compactionMinimumLogBytes else { return false }
        if let deferred = automaticCompactionDeferral, deferred.generation == generation,
            logBytes < deferred.logBytes
        {
            return false
        }
        let snapshot = table.snapshot
        let snapshotBytes = snapshot.header.liveValueBytes + UInt64(snapshot.count) * SnapshotFormat.liveOverhead
        return logBytes >= options.compactionMaximumLogBytes
            || Double(logBytes) >= options.compactionRatio * Double(snapshotBytes)
    }

    /// After a failed automatic compaction: the next one waits until this generation's log has
    /// doubled, so that a failure that lasts (a full disk, too many names) is not tried again after
    /// every commit.
    func deferAutomaticCompaction() {
        let logBytes = appliedEnd - UInt64(LogFormat.headerSize)
        automaticCompactionDeferral = (generation, max(logBytes, options.compactionMinimumLogBytes) * 2)
    }

    /// Step 1 of a compaction, under the mutex, once the caller holds the exclusive `flock` (taken
    /// before the mutex, so that waiting for it never stalls readers): catches up, and hands
    /// out the current generation. Until ``finishCompaction(_:_:)``, reads in this process go on
    /// against that generation (``flushInFlight``).
    func beginCompaction() throws(StoreError) -> CompactionSource {
        if let failure {
            unlock()
            throw failure
        }
        do throws(StoreError) {
            try refreshExclusive()
        } catch {
            unlock()
            throw error
        }
        flushInFlight = true
        return CompactionSource(
            directory: directory, hook: options.compactionStepHook, table: table, generation: generation,
            snapshotFD: snapshotFD, snapshotPath: snapshotPath, logFD: logFD, logPath: logPath)
    }

    /// Step 3, under the mutex: installs the new generation, or reports why there is none.
    func finishCompaction(_ source: CompactionSource, _ outcome: CompactionOutcome) throws(StoreError) {
        defer {
            flushInFlight = false
            unlock()
            if closeRequested { closeAll() }
        }
        switch outcome {
        case .failedBeforeSwitch(let error):
            throw error
        case .switchUnknown(let next, let error):
            SystemCalls.close(next.snapshotFD)
            SystemCalls.close(next.logFD)
            failure = .unknownOutcome(of: error)
            throw failure!
        case .failedAfterSwitch(let next, let error):
            // Other processes learn of a compaction by the old log's removal; without it they could
            // not be told, so this store must stop (a reopen finishes the clean-up).
            SystemCalls.close(next.snapshotFD)
            SystemCalls.close(next.logFD)
            failure = .poisoned(by: error)
            throw error
        case .switched(let next):
            SystemCalls.close(logFD)
            SystemCalls.close(snapshotFD)
            snapshotFD = next.snapshotFD
            logFD = next.logFD
            generation = source.generation + 1
            table = GenerationTable(snapshot: next.index)
            recentFrames.removeAll()
            baseSequence = table.lastSequence
            logSequences = []
            logOffsets = []
            appliedEnd = UInt64(LogFormat.headerSize)
            // The new log is of the current version, whatever the previous one was.
            logVersion = LogFormat.formatVersion
            logCapacity = UInt64(LogFormat.headerSize)
            // The new generation is synced and named by `CURRENT`: an import's commits are acknowledged.
            lockFile.setAcknowledgedSequence(table.lastSequence)
        }
    }
}

/// The new generation a compaction wrote: its open files and its index.
struct NextGeneration: Sendable {
    let snapshotFD: Int32
    let logFD: Int32
    let index: SnapshotIndex
}

/// How step 2 of a compaction ended.
enum CompactionOutcome: Sendable {
    /// The manifest names the new generation and the old files are gone.
    case switched(NextGeneration)
    /// Nothing changed: the old generation is current, the new files were removed.
    case failedBeforeSwitch(StoreError)
    /// `CURRENT` may name either generation: the rename or the directory sync after it failed.
    /// Both generations' files are kept and the store is poisoned.
    case switchUnknown(NextGeneration, StoreError)
    /// The new generation is current, but the old files could not be removed.
    case failedAfterSwitch(NextGeneration, StoreError)
}

/// What a compaction reads: the generation current when it began.
///
/// `@unchecked Sendable` is safe because `table` is a copy of the engine's table: its storage
/// (arrays and dictionaries) is shared copy-on-write, and the engine copies it before its first
/// write while this value lives, so neither side ever sees the other's changes; and the file
/// descriptors stay open until ``FileEngine/finishCompaction(_:_:)``, which alone closes them
/// (``FileEngine/close()`` waits for it through `closeRequested`).
struct CompactionSource: @unchecked Sendable {
    let directory: String
    let hook: (@Sendable (CompactionStep) -> Void)?
    let table: GenerationTable
    let generation: UInt64
    let snapshotFD: Int32
    let snapshotPath: String
    let logFD: Int32
    let logPath: String

    /// Step 2 of a compaction, outside the engine's mutex (the `flock` is held): writes a new
    /// generation (snapshot of the live records + an empty log), switches `CURRENT` to it, and
    /// removes the old one. Crash-safe at every step: before the manifest rename the old generation
    /// is current and the new files are leftovers; after it the new one is complete.
    /// - Parameter imported: For a bulk import (``FileRecordStore/importRecords(_:)``): returns the
    ///   next batch to add after the live records, `nil` at the end. A batch the import refuses
    ///   (a conflict, invalid input) ends the compaction before the switch, so nothing changes.
    func writeNextGeneration(importing imported: (() -> [Mutation]?)? = nil) -> CompactionOutcome {
        let next = generation + 1
        let snapshotPath = directory + "/" + FileEngine.snapshotName(next)
        let logPath = directory + "/" + FileEngine.logName(next)
        var newSnapshotFD: Int32 = -1
        var newLogFD: Int32 = -1
        let built: SnapshotIndex
        do throws(StoreError) {
            newSnapshotFD = try SystemCalls.open(snapshotPath, O_RDWR | O_CREAT | O_TRUNC)
            built = try writeSnapshot(generation: next, fd: newSnapshotFD, path: snapshotPath, importing: imported)
            try SystemCalls.sync(newSnapshotFD, path: snapshotPath)
            hook?(.snapshotWritten)
            newLogFD = try SystemCalls.open(logPath, O_RDWR | O_CREAT | O_TRUNC)
            try SystemCalls.write(
                newLogFD, LogFormat.header(generation: next, baseSequence: built.lastSequence), at: 0, path: logPath)
            try SystemCalls.sync(newLogFD, path: logPath)
            try SystemCalls.syncDirectory(directory)
            hook?(.logWritten)
            try FileEngine.writeTemporaryManifest(directory: directory, generation: next)
            hook?(.manifestWritten)
        } catch {
            // The old generation is still current: drop the new files and carry on with it.
            if newSnapshotFD >= 0 { SystemCalls.close(newSnapshotFD) }
            if newLogFD >= 0 { SystemCalls.close(newLogFD) }
            try? SystemCalls.remove(snapshotPath)
            try? SystemCalls.remove(logPath)
            return .failedBeforeSwitch(error)
        }
        let installed = NextGeneration(snapshotFD: newSnapshotFD, logFD: newLogFD, index: built)
        do throws(StoreError) {
            try FileEngine.switchManifest(directory: directory)
        } catch {
            // CURRENT may name either generation now (issue 10, defect 1): remove nothing, and stop
            // this store; the next opener reads what CURRENT says and syncs it before removing the
            // generation it does not name.
            return .switchUnknown(installed, error)
        }
        hook?(.manifestSwitched)
        do throws(StoreError) {
            try SystemCalls.remove(self.snapshotPath)
            try SystemCalls.remove(self.logPath)
            try SystemCalls.syncDirectory(directory)
        } catch {
            return .failedAfterSwitch(installed, error)
        }
        hook?(.oldFilesRemoved)
        return .switched(installed)
    }

    /// Streams the snapshot: the header, every live value (read back and checked), then the index
    /// section built on the way. The previous snapshot's unshadowed entries come first, in their
    /// order (their values are read sequentially), then the overlay's records by (sequence, key), their
    /// values read through a window of the log (which holds them in sequence order):
    /// every overlay record is newer than the snapshot, so this is (sequence, key) order throughout.
    /// A bulk import's batches follow, each under the next sequence, its records in key order.
    private func writeSnapshot(
        generation: UInt64, fd: Int32, path: String, importing imported: (() -> [Mutation]?)?
    ) throws(StoreError) -> SnapshotIndex {
        let old = table.snapshot
        let overlay = table.overlay
        var shadowed = [Bool](repeating: false, count: old.count)
        for key in Array(overlay.entries.keys) + table.deleted.map(\.key) {
            if let found = try old.find(key), let ordinal = old.ordinal(ofEntryAt: found.offset) {
                shadowed[ordinal] = true
            }
        }
        var uniqueBound = Int(old.header.uniqueCount)
        for record in overlay.entries.values { uniqueBound += record.indexes.count { $0.isUnique } }
        var builder = SnapshotBuilder(
            generation: generation, lastSequence: table.lastSequence, names: old.names,
            recordBound: old.count + overlay.count, uniqueBound: uniqueBound)
        builder.reserveRecordBytes(old.records.count + overlay.count * 128)
        var output = BufferedFileWriter(fd: fd, path: path)
        try output.append(SnapshotFormat.header(generation: generation, lastSequence: table.lastSequence))

        var values = SequentialReader(fd: snapshotFD, path: snapshotPath)
        var newOffsets = [UInt64](repeating: .max, count: old.count)
        for ordinal in 0..<old.count where !shadowed[ordinal] {
            var (key, record) = try old.entry(at: UInt64(littleEndian: old.order[ordinal]))
            let value = try values.read(record.payload)
            record.payload = ValueLocation(
                inSnapshot: true, offset: output.position, length: record.payload.length,
                checksum: record.payload.checksum)
            try output.append(value)
            newOffsets[ordinal] = try builder.add(key, record)
        }
        var overlayOffsets: [RecordKey: UInt64] = [:]
        var logValues = SequentialReader(fd: logFD, path: self.logPath)
        for key in overlay.keysBySequence() {
            var record = overlay[key]!
            let value =
                record.payload.inSnapshot
                ? try FileEngine.readValue(
                    record.payload, snapshotFD: snapshotFD, snapshotPath: self.snapshotPath, logFD: logFD,
                    logPath: self.logPath)[...] : try logValues.read(record.payload)
            record.payload = ValueLocation(
                inSnapshot: true, offset: output.position, length: record.payload.length,
                checksum: record.payload.checksum)
            try output.append(value)
            overlayOffsets[key] = try builder.add(key, record)
        }
        var importedMembers: [[BulkImport.Member]] = []
        if let imported {
            importedMembers = try BulkImport.append(imported, to: &builder, output: &output)
            // The header was written before the import's last sequence was known.
            try output.flush()
            try SystemCalls.write(
                fd, SnapshotFormat.header(generation: generation, lastSequence: builder.lastSequence), at: 0,
                path: path)
        }

        // Non-unique arrays: the old sorted array, less shadowed entries, merged with the overlay's
        // (and an import's, both sorted by value and key).
        var overlayTable = overlay
        for (number, name) in builder.names.enumerated() {
            var kept: [(old: UInt64, new: UInt64)] = []
            if number < old.names.count {
                for word in old.memberOffsets(of: number) {
                    let offset = UInt64(littleEndian: word)
                    guard let ordinal = old.ordinal(ofEntryAt: offset) else {
                        throw old.corrupted(
                            Damage("daftar indeks menunjuk entri yang tidak ada", "non-unique array names no entry"))
                    }
                    if newOffsets[ordinal] != .max { kept.append((offset, newOffsets[ordinal])) }
                }
            }
            let added = BulkImport.merge(
                overlayTable.members(in: name, from: "", to: nil, limit: .max).map {
                    ($0.0, $0.1, overlayOffsets[$0.1]!)
                },
                number < importedMembers.count ? importedMembers[number] : [])
            var merged: [UInt64] = []
            merged.reserveCapacity(kept.count + added.count)
            var right = 0
            for (oldOffset, newOffset) in kept {
                if right < added.count {
                    let entry = try old.entry(at: oldOffset)
                    guard
                        let value = entry.record.indexes.first(where: { utf8Equal($0.name, name) && !$0.isUnique })?
                            .value
                    else {
                        throw old.corrupted(
                            Damage(
                                "daftar indeks menunjuk entri yang tidak memilikinya",
                                "non-unique array names an entry without it"))
                    }
                    while right < added.count,
                        GenerationTable.precedes((added[right].0, added[right].1), (value, entry.key))
                    {
                        merged.append(added[right].2)
                        right += 1
                    }
                }
                merged.append(newOffset)
            }
            while right < added.count {
                merged.append(added[right].2)
                right += 1
            }
            builder.setMembers(merged, of: UInt16(number))
        }
        return try builder.finish(path: path, output: &output)
    }
}
