/// Group commit in three steps, so that reads go on while a group is flushed (issue 7):
///
/// 1. take the exclusive `flock` *before* the store's mutex (waiting for another process must not
///    stall readers, which take the mutex); then ``prepareGroup(_:)``, under the mutex: catch up with the
///    other processes, check each batch against the durable state plus the group's earlier batches
///    (``PendingWrites``), assign sequences and encode the frames. Nothing readers see changes.
/// 2. ``flush(_:hook:)``, without the mutex (the `flock` stays held): one `pwrite` and one
///    `fdatasync` into a preallocated log (first growing it with zeros when the group does not fit);
///    one `pwrite` and one `fsync` appending to a log of an older version.
/// 3. ``finishGroup(_:flushError:)``, under the mutex again: publish the group's writes and release
///    the `flock`; or, when the write or `fsync` failed, poison the store and fail every commit of
///    the group, none acknowledged and none ever visible.
extension FileEngine {
    /// A group ready to be flushed: the frames, where they go, and what each batch will publish.
    struct PreparedGroup: Sendable {
        let fd: Int32
        let path: String
        let start: UInt64
        let bytes: [UInt8]
        /// Where each frame ends in `bytes`: one frame per group in a version 2 log, unless the group
        /// outgrows a frame; one per commit in a version 1 log.
        let frameEnds: [Int]
        let lastSequence: UInt64
        /// Whether the log is preallocated: written in place and synced with `fdatasync`.
        let preallocated: Bool
        /// Zeros to write before the frames, growing a preallocated log that the group does not fit.
        let growth: Range<UInt64>?
        fileprivate var commits: [PlannedCommit]
        fileprivate var results: [Result<UInt64, StoreError>]
    }

    fileprivate struct PlannedCommit: Sendable {
        var sequence: UInt64
        var frameOffset: UInt64
        /// Each write's key and index values as the batch hashed them, and its record (`nil`: deleted).
        var writes: [(key: HashedKey, record: StoredRecord<ValueLocation>?, indexValues: [ExactString])]
    }

    enum GroupStep: Sendable {
        /// Nothing to write (every batch failed, or the store cannot commit): the results.
        case finished([Result<UInt64, StoreError>])
        /// Frames to flush, with the exclusive `flock` held and ``flushInFlight`` set.
        case flush(PreparedGroup)
    }

    /// Step 1: checks a group and places its commits' bytes, encoded beforehand by their callers, in
    /// its frames. Each batch succeeds or fails on its own, seeing the batches before it. The caller
    /// took the exclusive `flock` before the mutex (``lockFile``); it is released here unless frames
    /// are to be flushed.
    func prepareGroup(_ batches: [EncodedBatch]) -> GroupStep {
        if let failure {
            unlock()
            return .finished(batches.map { _ in .failure(failure) })
        }
        do throws(StoreError) {
            try refreshExclusive()
        } catch {
            unlock()
            return .finished(batches.map { _ in .failure(error) })
        }
        let start = appliedEnd
        // Room for every commit's bytes, its mutation count and one frame's header and count.
        var writer = ByteWriter(capacity: batches.reduce(24) { $0 + $1.encoded.bytes.count + 4 })
        var pending = PendingWrites(base: table, writes: batches.reduce(0) { $0 + $1.batch.mutations.count })
        var commits: [PlannedCommit] = []
        var results: [Result<UInt64, StoreError>] = []
        commits.reserveCapacity(batches.count)
        results.reserveCapacity(batches.count)
        var sequence = table.lastSequence
        var frame: LogFormat.OpenFrame?
        var frameEnds: [Int] = []
        for commit in batches {
            let batch = commit.batch
            do throws(StoreError) {
                let changes = try pending.check(batch)
                // A version 1 log holds one commit per frame; a version 2 frame takes the whole group
                // unless it would outgrow the largest frame (every commit alone fits, StoreLimits).
                if let open = frame,
                    logVersion < 2
                        || LogFormat.payloadLength(of: open, writer) + LogFormat.maximumCommitEncoding
                            > LogFormat.maximumPayload
                {
                    LogFormat.endFrame(open, &writer)
                    frameEnds.append(writer.count)
                    frame = nil
                }
                if frame == nil {
                    frame = LogFormat.beginFrame(firstSequence: sequence + 1, version: logVersion, to: &writer)
                }
                let spans = LogFormat.appendCommit(commit.encoded, changes: changes, to: &frame!, &writer)
                sequence += 1
                var planned = PlannedCommit(
                    sequence: sequence, frameOffset: start + UInt64(frame!.start), writes: [])
                planned.writes.reserveCapacity(changes.count)
                for (position, change) in changes.enumerated() where change != .none {
                    let key = batch.keys[position]
                    if case .put(let version) = change, case .put(_, let indexes) = batch.mutations[position].kind,
                        let span = spans[position]
                    {
                        let location = ValueLocation(
                            inSnapshot: false, offset: start + UInt64(span.offset), length: UInt32(span.length),
                            checksum: span.checksum)
                        let record = StoredRecord(
                            version: version, sequence: sequence, indexes: indexes, payload: location)
                        let indexValues = batch.indexValues[position]
                        pending.put(key, record, indexValues: indexValues)
                        planned.writes.append((key, record, indexValues))
                    } else {
                        pending.remove(key)
                        planned.writes.append((key, nil, []))
                    }
                }
                commits.append(planned)
                results.append(.success(sequence))
            } catch {
                results.append(.failure(error))
            }
        }
        guard let open = frame else {
            unlock()
            return .finished(results)
        }
        LogFormat.endFrame(open, &writer)
        frameEnds.append(writer.count)
        flushInFlight = true
        return .flush(
            PreparedGroup(
                fd: logFD, path: logPath, start: start, bytes: writer.bytes, frameEnds: frameEnds,
                lastSequence: sequence, preallocated: isPreallocated,
                growth: isPreallocated ? growth(toHold: start + UInt64(writer.count)) : nil,
                commits: commits, results: results))
    }

    /// The zeros that grow a preallocated log to hold `end` bytes, or `nil` when it does. It grows by
    /// its own size (at least 64 KiB, at most 4 MiB at a time, in whole 4 KiB pages), so a small
    /// store stays small and a busy one grows rarely: each growth costs one write of zeros, and
    /// its first `fdatasync` also writes the new size.
    func growth(toHold end: UInt64) -> Range<UInt64>? {
        guard end > logCapacity else { return nil }
        let step = min(max(logCapacity, Self.minimumGrowth), Self.maximumGrowth)
        let target = max(end, logCapacity + step)
        return logCapacity..<(target + 4095) / 4096 * 4096
    }

    static let minimumGrowth: UInt64 = 64 << 10
    static let maximumGrowth: UInt64 = 4 << 20

    /// Step 2, outside the mutex: writes the frames and makes them durable, one frame after the other
    /// (a frame is `fsync`ed before the next is written, so a crash never keeps a later frame without
    /// an earlier one). Touches only the group's own values: the file descriptor stays open because
    /// ``close()`` and compaction wait for ``finishGroup(_:flushError:)`` (``flushInFlight``).
    /// - Parameter hook: Called between the write and the `fsync`; an error it throws stands for a
    ///   failed `fsync` (fault tests).
    /// - Returns: The failure, or `nil` once the frames are durable.
    static func flush(_ group: PreparedGroup, hook: (@Sendable (UInt64) throws(StoreError) -> Void)?) -> StoreError? {
        do throws(StoreError) {
            if let growth = group.growth {
                // Made durable by the first frame's sync below, which must write the new size anyway.
                try writeZeros(group.fd, path: group.path, from: growth.lowerBound, to: growth.upperBound)
            }
            var frameStart = 0
            for frameEnd in group.frameEnds {
                let frame = group.frameEnds.count == 1 ? group.bytes : Array(group.bytes[frameStart..<frameEnd])
                try SystemCalls.write(group.fd, frame, at: group.start + UInt64(frameStart), path: group.path)
                if frameStart == 0 { try hook?(group.lastSequence) }
                if group.preallocated {
                    try SystemCalls.syncData(group.fd, path: group.path)
                } else {
                    try SystemCalls.sync(group.fd, path: group.path)
                }
                frameStart = frameEnd
            }
            return nil
        } catch {
            return error
        }
    }

    /// Step 3: publishes a flushed group, or poisons the store when its flush failed.
    /// - Returns: Each batch's result, in order.
    func finishGroup(_ group: PreparedGroup, flushError: StoreError?) -> [Result<UInt64, StoreError>] {
        defer {
            flushInFlight = false
            unlock()
            if closeRequested { closeAll() }
        }
        if let flushError {
            // The file's state is unknown (a failed fsync may have dropped dirty pages): never retry,
            // never acknowledge. Cutting the frames off keeps other processes from applying them; a
            // reopen reads what is really there.
            failure = .poisoned(by: flushError)
            if group.preallocated {
                try? Self.writeZeros(
                    group.fd, path: group.path, from: group.start, to: group.start + UInt64(group.bytes.count))
            } else {
                try? SystemCalls.truncate(group.fd, to: group.start, path: group.path)
            }
            return group.results.map { $0.flatMap { _ in .failure(flushError) } }
        }
        // Every delete planned names a key that exists by then (the planning saw it, durable or
        // written by an earlier commit of the group), so applying cannot fail.
        for commit in group.commits {
            for write in commit.writes {
                if let record = write.record {
                    table.put(write.key, record, indexValues: write.indexValues)
                } else {
                    table.remove(write.key)
                }
            }
            table.lastSequence = commit.sequence
            logSequences.append(commit.sequence)
            logOffsets.append(commit.frameOffset)
        }
        appliedEnd = group.start + UInt64(group.bytes.count)
        recentFrames.add(start: group.start, bytes: group.bytes)
        if let growth = group.growth { logCapacity = max(logCapacity, growth.upperBound) }
        // The sync covered every byte of the log before the group's end, so every commit applied is
        // durable: from here on a log that ends before them has lost acknowledged commits.
        lockFile.setAcknowledgedSequence(table.lastSequence)
        return group.results
    }
}
