// Scanning the log: applying its complete, valid frames to the in-memory table.
extension FileEngine {
    /// Where a scan of the log (``scan(to:limit:)``) stopped.
    enum ScanStop {
        case end
        case incomplete(UInt64)
        case damaged(UInt64, Damage)
        /// A frame whose commits lie beyond the limit: not known to be durable.
        case unacknowledged(UInt64)
    }

    /// Applies the complete, valid frames from `appliedEnd` on.
    func scan(to size: UInt64, limit: UInt64?) throws(StoreError) -> ScanStop {
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
}
