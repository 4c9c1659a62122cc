#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension FileRecordStore {
    /// What ``salvage(directory:lockWait:)`` did.
    public struct SalvageReport: Sendable, Hashable {
        /// The damaged log, or `nil` when the log had no damage and held every acknowledged commit
        /// (then nothing changed).
        public var file: String?
        /// The first damaged byte; for a log cut short, where its intact frames end.
        public var offset: UInt64?
        /// The log's bytes from the damage on (all kept in ``damagedCopy``).
        public var removedBytes: UInt64
        /// The untouched copy of the damaged log, kept for inspection (never removed by the store);
        /// `nil` for a log cut short, whose bytes are all intact.
        public var damagedCopy: String?
        /// The last commit kept.
        public var lastSequence: UInt64
        /// The generation the store continues in (salvage writes a new one).
        public var generation: UInt64
        /// The intact commits after the damage that were kept.
        public var recoveredCommits: Int
        /// The sequences of the commits lost: damaged, or inconsistent with what was kept.
        public var lostSequences: [ClosedRange<UInt64>]
        /// How many commits were lost.
        public var lostCommitCount: UInt64
        /// The keys written by lost commits whose frames were intact (commits inconsistent with what
        /// was kept): exact. Re-enter these.
        public var lostKeys: [RecordKey]
        /// The keys read from damaged frames, whose checksum failed: what the lost commits probably
        /// wrote, but the damage may have changed a key.
        public var unverifiedLostKeys: [RecordKey]
        /// How many lost commits could not be read at all (their keys are unknown).
        public var unreadableLostCommits: UInt64

        /// The collections of ``lostKeys`` and ``unverifiedLostKeys``, sorted.
        public var lostCollections: [String] { Set((lostKeys + unverifiedLostKeys).map(\.collection)).sorted() }
    }

    /// Makes a store whose log is damaged openable again, keeping every commit that is provably
    /// intact and consistent, and says exactly what was lost.
    ///
    /// Steps, under the exclusive lock: load the snapshot (a damaged snapshot cannot be salvaged:
    /// the error says so, with recovery ``StoreError/Recovery/restoreBackup``); apply the log's valid
    /// frames up to the first damage; then search the rest of the log, byte by byte, for frames whose
    /// checksum holds and whose sequence follows, and keep each of their commits that is consistent
    /// with what was kept (every put's version one more than the record's, every delete of a record
    /// that exists, no unique value held by another record). Commits in damaged frames, and later
    /// ones that do not fit, are lost; their keys are read from the damaged bytes where possible.
    /// The log is copied byte for byte to `log-<generation>.damaged-<offset>` (`fsync`ed), and the
    /// kept state is written as a new generation exactly as compaction does.
    ///
    /// Commits acknowledged before (the sequence `LOCK` records) that no frame holds any more are
    /// lost too, a log cut short included. Lost commits' sequences stay gaps: the new generation goes
    /// on after the highest sequence acknowledged or found in any frame, never reusing one.
    /// - Parameters:
    ///   - directory: The store's directory. No process may have it open.
    ///   - lockWait: How long to wait for a process that holds the store's lock.
    /// - Returns: What was kept and lost; `file == nil` when the log had no damage and nothing acknowledged
    ///   was missing.
    /// - Throws: ``StoreError``: `corrupted` for a damaged manifest, snapshot or log header (with the
    ///   recovery to use), `lockTimeout` when a process held the lock longer than `lockWait` allows,
    ///   `untrustedDirectory` as ``init(directory:options:)``, `ioFailure`.
    public static func salvage(
        directory: URL, lockWait: LockWaitPolicy = LockWaitPolicy()
    ) throws(StoreError) -> SalvageReport {
        let directoryPath = directory.path
        return try LockFile.withExclusiveChange(directory: directoryPath, waitPolicy: lockWait) {
            (lock) throws(StoreError) in
            try salvageUnderLock(directoryPath, acknowledged: lock.acknowledgedSequence)
        }
    }

    /// The steps of ``salvage(directory:lockWait:)``, under the store's exclusive lock.
    /// - Parameter acknowledged: The last sequence acknowledged (`LOCK`): commits up to it that no
    ///   frame holds any more are lost too.
    private static func salvageUnderLock(_ directoryPath: String, acknowledged: UInt64) throws(StoreError)
        -> SalvageReport
    {

        let generation = try FileEngine.readManifest(at: directoryPath + "/" + FileEngine.manifestName)
        let snapshotPath = directoryPath + "/" + FileEngine.snapshotName(generation)
        let logPath = directoryPath + "/" + FileEngine.logName(generation)
        let snapshotFD = try SystemCalls.open(snapshotPath, O_RDONLY)
        defer { SystemCalls.close(snapshotFD) }
        let snapshot = try SnapshotIndex.load(fd: snapshotFD, path: snapshotPath)
        let logFD = try SystemCalls.open(logPath, O_RDWR)
        defer { SystemCalls.close(logFD) }
        let size = try SystemCalls.status(logFD, path: logPath).size
        let bytes = try SystemCalls.read(logFD, count: Int(clamping: size), at: 0, path: logPath)
        let header: (generation: UInt64, base: UInt64, version: UInt32)
        do throws(StoreError) {
            header = try LogFormat.parseHeader(bytes, path: logPath)
        } catch  where error.code == .corrupted {
            throw .corrupted(
                file: logPath, offset: 0, Damage("kepala log rusak", "damaged log header"), recovery: .restoreBackup)
        }
        guard header.generation == generation, header.base == snapshot.lastSequence else {
            throw .corrupted(
                file: logPath, offset: 16,
                Damage("log tidak melanjutkan snapshot", "log does not continue the snapshot"),
                recovery: .restoreBackup)
        }
        let prefix = LogFormat.validPrefix(of: bytes, base: header.base, version: header.version)
        // A preallocated log is zero after its last frame: only non-zero bytes there are damage.
        let dataEnd =
            header.version >= LogFormat.preallocatedVersion
            ? (bytes.lastIndex(where: { $0 != 0 }).map { max($0 + 1, prefix.end) } ?? prefix.end) : bytes.count
        // Every frame intact, but ending before commits that were acknowledged: the log was cut short.
        let cutShort = prefix.end >= dataEnd
        if cutShort, acknowledged <= prefix.lastSequence {
            return SalvageReport(
                file: nil, offset: nil, removedBytes: 0, damagedCopy: nil, lastSequence: prefix.lastSequence,
                generation: generation, recoveredCommits: 0, lostSequences: [], lostCommitCount: 0, lostKeys: [],
                unverifiedLostKeys: [], unreadableLostCommits: 0)
        }

        var salvager = Salvager(table: GenerationTable(snapshot: snapshot), version: header.version)
        try salvager.replay(bytes, from: LogFormat.headerSize, to: prefix.end)
        var copy: String?
        if !cutShort {
            try salvager.search(bytes, from: prefix.end)
            copy = logPath + ".damaged-\(prefix.end)"
            try FileEngine.writeNewFile(copy!, bytes)
            try SystemCalls.syncDirectory(directoryPath)
        }
        let lastKept = salvager.table.lastSequence
        let lost = salvager.lostSequences(after: prefix.lastSequence, acknowledged: acknowledged)
        // The lost commits' sequences stay gaps: the next generation goes on after the highest one
        // acknowledged or found in any frame, so no sequence a reader or feed consumer may have seen is
        // given to another commit, and the store reaches the acknowledged sequence again (it is never
        // lowered, so a salvage cut short, a power loss or an earlier release cannot bring it back).
        salvager.table.lastSequence = max(lastKept, lost.ranges.last?.upperBound ?? 0)
        let source = CompactionSource(
            directory: directoryPath, hook: nil, table: salvager.table, generation: generation, snapshotFD: snapshotFD,
            snapshotPath: snapshotPath, logFD: logFD, logPath: logPath)
        switch source.writeNextGeneration() {
        case .switched(let next):
            SystemCalls.close(next.snapshotFD)
            SystemCalls.close(next.logFD)
        case .failedBeforeSwitch(let error):
            throw error
        case .switchUnknown(let next, let error), .failedAfterSwitch(let next, let error):
            SystemCalls.close(next.snapshotFD)
            SystemCalls.close(next.logFD)
            throw error
        }
        return SalvageReport(
            file: logPath, offset: UInt64(prefix.end), removedBytes: UInt64(dataEnd - prefix.end), damagedCopy: copy,
            lastSequence: lastKept, generation: generation + 1, recoveredCommits: salvager.recovered,
            lostSequences: lost.ranges, lostCommitCount: lost.count, lostKeys: salvager.lostKeys.sorted(),
            unverifiedLostKeys: salvager.unverifiedLostKeys.sorted(),
            unreadableLostCommits: lost.count - salvager.readableLost)
    }
}

/// Rebuilds a generation's state from a damaged log: the valid prefix, then every later intact
/// commit consistent with it.
private struct Salvager {
    var table: GenerationTable
    let version: UInt32
    /// Kept commits found after the damage.
    var recovered = 0
    /// The sequences of kept commits after the damage.
    private var kept: Set<UInt64> = []
    /// The highest sequence seen in any frame after the damage (intact or not).
    private var highestSeen: UInt64 = 0
    /// Keys of lost commits from intact frames.
    var lostKeys: Set<RecordKey> = []
    /// Keys of lost commits read from damaged frames.
    var unverifiedLostKeys: Set<RecordKey> = []
    /// Lost commits whose keys could be read.
    var readableLost: UInt64 = 0
    private var readableLostSequences: Set<UInt64> = []

    init(table: GenerationTable, version: UInt32) {
        self.table = table
        self.version = version
    }

    /// Applies the valid frames between two offsets (already checked).
    mutating func replay(_ bytes: [UInt8], from start: Int, to end: Int) throws(StoreError) {
        var offset = start
        while offset < end {
            guard
                case .frame(let size, let commits) = bytes.withUnsafeBytes({
                    LogFormat.decodeFrame($0, at: offset, version: version)
                })
            else { return }
            for commit in commits { try apply(commit, bytes, frameOffset: offset) }
            offset += size
        }
    }

    /// Searches the bytes after the damage for intact frames that continue the history.
    mutating func search(_ bytes: [UInt8], from start: Int) throws(StoreError) {
        var offset = start
        let floor = table.lastSequence
        while offset + LogFormat.frameHeaderSize + LogFormat.minimumPayload <= bytes.count {
            let strict = bytes.withUnsafeBytes { LogFormat.decodeFrame($0, at: offset, version: version) }
            if case .frame(let size, let commits) = strict, plausible(commits[0].sequence, above: floor) {
                for commit in commits {
                    highestSeen = max(highestSeen, commit.sequence)
                    if commit.sequence > table.lastSequence, try isConsistent(commit) {
                        try apply(commit, bytes, frameOffset: offset)
                        kept.insert(commit.sequence)
                        recovered += 1
                    } else {
                        noteLost(commit, verified: true)
                    }
                }
                offset += size
                continue
            }
            // A damaged frame: what it held is lost, but its keys may still be readable.
            let lenient = bytes.withUnsafeBytes {
                LogFormat.decodeFrame($0, at: offset, version: version, verifyingChecksum: false)
            }
            if case .frame(let size, let commits) = lenient, plausible(commits[0].sequence, above: floor),
                commits[commits.count - 1].sequence - floor < 1 << 32
            {
                for commit in commits {
                    highestSeen = max(highestSeen, commit.sequence)
                    noteLost(commit, verified: false)
                }
                offset += size
                continue
            }
            offset += 1
        }
    }

    private func plausible(_ sequence: UInt64, above floor: UInt64) -> Bool {
        sequence > floor && sequence - floor < 1 << 32
    }

    private mutating func noteLost(_ commit: LogFormat.DecodedCommit, verified: Bool) {
        guard readableLostSequences.insert(commit.sequence).inserted else { return }
        readableLost += 1
        for mutation in commit.mutations {
            if verified { lostKeys.insert(mutation.key) } else { unverifiedLostKeys.insert(mutation.key) }
        }
    }

    /// Whether a commit fits the state kept so far: each put's version is one more than the record's
    /// (1 for a record that does not exist), each delete removes a record that exists, no key twice,
    /// and no unique value is held by a record outside the commit.
    private func isConsistent(_ commit: LogFormat.DecodedCommit) throws(StoreError) -> Bool {
        let keys = Set(commit.mutations.map(\.key))
        guard keys.count == commit.mutations.count else { return false }
        for mutation in commit.mutations {
            let current = try table.currentVersion(of: mutation.key)
            if let version = mutation.version {
                guard version == (current ?? 0) + 1 else { return false }
                for entry in mutation.indexes where entry.isUnique {
                    if let holder = try table.uniqueHolder(entry.name, entry.value), !keys.contains(holder) {
                        return false
                    }
                }
            } else if current == nil {
                return false
            }
        }
        return true
    }

    private mutating func apply(_ commit: LogFormat.DecodedCommit, _ bytes: [UInt8], frameOffset: Int)
        throws(StoreError)
    {
        for mutation in commit.mutations {
            if let version = mutation.version {
                let start = frameOffset + mutation.valueOffset
                let location = ValueLocation(
                    inSnapshot: false, offset: UInt64(start), length: UInt32(mutation.valueLength),
                    checksum: CRC32C.checksum(bytes[start..<start + mutation.valueLength]))
                table.put(
                    mutation.key,
                    StoredRecord(
                        version: version, sequence: commit.sequence, indexes: mutation.indexes, payload: location))
            } else if try table[mutation.key] != nil {
                table.remove(mutation.key)
            }
        }
        table.lastSequence = commit.sequence
    }

    /// The sequences after the valid prefix that were not kept, as ranges, and their count: up to
    /// the highest seen in any frame, then on to the last acknowledged when that is higher.
    func lostSequences(after prefixLast: UInt64, acknowledged: UInt64) -> (
        ranges: [ClosedRange<UInt64>], count: UInt64
    ) {
        var ranges: [ClosedRange<UInt64>] = []
        var count: UInt64 = 0
        if highestSeen > prefixLast {
            var start: UInt64?
            for sequence in (prefixLast + 1)...highestSeen {
                if kept.contains(sequence) {
                    if let open = start { ranges.append(open...(sequence - 1)) }
                    start = nil
                } else {
                    count += 1
                    if start == nil { start = sequence }
                }
            }
            if let open = start { ranges.append(open...highestSeen) }
        }
        let seen = max(highestSeen, prefixLast)
        if acknowledged > seen {
            if let last = ranges.last, last.upperBound == seen {
                ranges[ranges.count - 1] = last.lowerBound...acknowledged
            } else {
                ranges.append((seen + 1)...acknowledged)
            }
            count += acknowledged - seen
        }
        return (ranges, count)
    }
}
