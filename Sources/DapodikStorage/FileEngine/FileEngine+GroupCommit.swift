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

    /// A group being checked and encoded (``append(_:to:)``), not yet closed by ``seal(_:following:)``.
    struct OpenGroup {
        /// Where the group's first frame goes in the log.
        let start: UInt64
        /// The log's size before the group, for its growth.
        let capacity: UInt64
        /// The last sequence assigned so far.
        fileprivate(set) var sequence: UInt64
        fileprivate var writer = ByteWriter()
        fileprivate var frame: LogFormat.OpenFrame?
        fileprivate var frameEnds: [Int] = []
        fileprivate var overlay = PendingOverlay()
        fileprivate var commits: [PlannedCommit] = []
        fileprivate var results: [Result<UInt64, StoreError>] = []

        fileprivate init(start: UInt64, lastSequence: UInt64, capacity: UInt64) {
            self.start = start
            self.sequence = lastSequence
            self.capacity = capacity
        }

        /// How many batches were appended.
        var batchCount: Int { results.count }
    }

    fileprivate struct PlannedCommit: Sendable {
        var sequence: UInt64
        var frameOffset: UInt64
        var writes: [(key: RecordKey, record: StoredRecord<ValueLocation>?)]
    }

    enum GroupStep: Sendable {
        /// Nothing to write (every batch failed, or the store cannot commit): the results.
        case finished([Result<UInt64, StoreError>])
        /// Frames to flush, with the exclusive `flock` held and ``flushInFlight`` set.
        case flush(PreparedGroup)
    }

    /// Step 1: checks and encodes a group. Each batch succeeds or fails on its own, seeing the
    /// batches before it. The caller took the exclusive `flock` before the mutex (``lockFile``);
    /// it is released here unless frames are to be flushed.
    func prepareGroup(_ batches: [[Mutation]]) -> GroupStep {
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
        var group = OpenGroup(start: appliedEnd, lastSequence: table.lastSequence, capacity: logCapacity)
        append(batches, to: &group)
        return seal(group, following: false)
    }

    /// Opens the group that follows `previous`, whose flush is in flight (pipelined group commit,
    /// issue 15): its batches are checked against the durable state plus `previous`'s writes, and its
    /// frames go right after `previous`'s. The exclusive `flock` and the change begun under it stay
    /// held from `previous` on; nothing is read from the files.
    func openGroup(after previous: PreparedGroup) -> OpenGroup {
        var group = OpenGroup(
            start: previous.start + UInt64(previous.bytes.count), lastSequence: previous.lastSequence,
            capacity: max(logCapacity, previous.growth?.upperBound ?? 0))
        for commit in previous.commits {
            for write in commit.writes {
                if let record = write.record {
                    group.overlay.put(write.key, record)
                } else {
                    group.overlay.remove(write.key)
                }
            }
        }
        return group
    }

    /// Checks and encodes more batches into an open group, each seeing the durable state and every
    /// batch planned before it (in this group and, for a group opened behind another, in that one).
    func append(_ batches: [[Mutation]], to group: inout OpenGroup) {
        var pending = PendingWrites(base: table, overlay: group.overlay)
        group.overlay = PendingOverlay()
        defer { group.overlay = pending.overlay }
        for batch in batches {
            if let failure {
                group.results.append(.failure(failure))
                continue
            }
            do throws(StoreError) {
                let writes = try pending.plan(batch)
                // A version 1 log holds one commit per frame; a version 2 frame takes the whole group
                // unless it would outgrow the largest frame (every commit alone fits, StoreLimits).
                if let open = group.frame,
                    logVersion < 2
                        || LogFormat.payloadLength(of: open, group.writer) + LogFormat.maximumCommitEncoding
                            > LogFormat.maximumPayload
                {
                    LogFormat.endFrame(open, &group.writer)
                    group.frameEnds.append(group.writer.count)
                    group.frame = nil
                }
                if group.frame == nil {
                    group.frame = LogFormat.beginFrame(
                        firstSequence: group.sequence + 1, version: logVersion, to: &group.writer)
                }
                let spans = LogFormat.appendCommit(writes, to: &group.frame!, &group.writer)
                group.sequence += 1
                var planned = PlannedCommit(
                    sequence: group.sequence, frameOffset: group.start + UInt64(group.frame!.start), writes: [])
                for (write, span) in zip(writes, spans) {
                    if let span, let version = write.version, case .put(_, let indexes) = write.mutation.kind {
                        let location = ValueLocation(
                            inSnapshot: false, offset: group.start + UInt64(span.offset),
                            length: UInt32(span.length), checksum: span.checksum)
                        let record = StoredRecord(
                            version: version, sequence: group.sequence, indexes: indexes, payload: location)
                        pending.put(write.key, record)
                        planned.writes.append((write.key, record))
                    } else {
                        pending.remove(write.key)
                        planned.writes.append((write.key, nil))
                    }
                }
                group.commits.append(planned)
                group.results.append(.success(group.sequence))
            } catch {
                group.results.append(.failure(error))
            }
        }
    }

    /// Closes an open group: its frames to flush, or its results when it has nothing to write.
    /// - Parameter following: Whether the group follows one still in flight (``openGroup(after:)``):
    ///   then the `flock` stays held even when there is nothing to write (``finishGroup(_:flushError:continuing:)``
    ///   of the group before releases it).
    func seal(_ group: OpenGroup, following: Bool) -> GroupStep {
        guard let open = group.frame else {
            if !following { unlock() }
            return .finished(group.results)
        }
        var writer = group.writer
        LogFormat.endFrame(open, &writer)
        var frameEnds = group.frameEnds
        frameEnds.append(writer.count)
        flushInFlight = true
        let end = group.start + UInt64(writer.count)
        return .flush(
            PreparedGroup(
                fd: logFD, path: logPath, start: group.start, bytes: writer.bytes, frameEnds: frameEnds,
                lastSequence: group.sequence, preallocated: isPreallocated,
                growth: isPreallocated ? Self.growth(of: group.capacity, toHold: end) : nil,
                commits: group.commits, results: group.results))
    }

    /// The zeros that grow a preallocated log to hold `end` bytes, or `nil` when it does. It grows by
    /// its own size (at least 64 KiB, at most 4 MiB at a time, in whole 4 KiB pages), so a small
    /// store stays small and a busy one grows rarely: each growth costs one write of zeros, and
    /// its first `fdatasync` also writes the new size.
    /// - Parameter capacity: The log's size before the group (``logCapacity``, or the size a group
    ///   still in flight grows it to).
    static func growth(of capacity: UInt64, toHold end: UInt64) -> Range<UInt64>? {
        guard end > capacity else { return nil }
        let step = min(max(capacity, minimumGrowth), maximumGrowth)
        let target = max(end, capacity + step)
        return capacity..<(target + 4095) / 4096 * 4096
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
    /// - Parameter continuing: Whether a group prepared behind this one (``openGroup(after:)``) is
    ///   flushed next: then the `flock` stays held and ``flushInFlight`` stays set.
    /// - Returns: Each batch's result, in order.
    func finishGroup(_ group: PreparedGroup, flushError: StoreError?, continuing: Bool = false)
        -> [Result<UInt64, StoreError>]
    {
        defer { if !continuing || flushError != nil { endFlush() } }
        if let flushError {
            // The file's state is unknown (a failed fsync may have dropped dirty pages): never retry,
            // never acknowledge. Cutting the frames off keeps other processes from applying them; a
            // reopen reads what is really there. A group prepared behind this one was never written.
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
                    table.put(write.key, record)
                } else {
                    table.remove(write.key)
                }
            }
            table.lastSequence = commit.sequence
            logSequences.append(commit.sequence)
            logOffsets.append(commit.frameOffset)
        }
        appliedEnd = group.start + UInt64(group.bytes.count)
        if let growth = group.growth { logCapacity = max(logCapacity, growth.upperBound) }
        return group.results
    }

    /// The results of a group prepared behind one whose flush failed (its checks assumed that
    /// group's writes): none of its frames was written, every batch fails with `flushError`.
    /// ``finishGroup(_:flushError:continuing:)`` of the failed group already released the `flock`.
    static func abandoned(_ step: GroupStep, flushError: StoreError) -> [Result<UInt64, StoreError>] {
        let results: [Result<UInt64, StoreError>]
        switch step {
        case .finished(let finished): results = finished
        case .flush(let group): results = group.results
        }
        return results.map { $0.flatMap { _ in .failure(flushError) } }
    }

    /// Ends the flushes in flight: releases the `flock`, and closes the files if ``close()`` came
    /// meanwhile.
    private func endFlush() {
        flushInFlight = false
        unlock()
        if closeRequested { closeAll() }
    }
}
