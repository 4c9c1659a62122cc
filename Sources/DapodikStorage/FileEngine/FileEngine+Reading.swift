#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Reading records and values of the current generation, and the change feed.
extension FileEngine {
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
