import DapodikStorage

// Idle quotas, idle identifier throttle records and outbox messages done with are found for removal
// through an index of when they went idle or were done with (VerificationService+IdleRecords.swift,
// VerificationService+ThrottlePruning.swift, VerificationService+OutboxRetention.swift). A record an
// earlier version wrote has no such entry, and would stay for ever: this one-off run gives it its
// entry, reading the store's change feed, where every live record is, once.
extension VerificationService {
    /// Gives every address quota, operator's check quota, identifier throttle record and outbox
    /// message an earlier version wrote the index entry by which it is removed once nothing needs it
    /// (`addressQuota.idleFrom`, `staffCheckQuota.idleFrom`, `throttle.idleFrom`, `outbox.finishedAt`),
    /// so that it is removed like the records written since: the one-off step after upgrading a store
    /// written before those entries existed (2026-12-07). Until it has run, such records stay; nothing
    /// else waits for it.
    ///
    /// It reads the store's change feed up to its own first commit, at most
    /// ``removalIndexChangesPerRound`` commits at a time, and after each such round commits how far it
    /// got, so that a run cut short goes on from there; every record written after its first commit is
    /// written with its entry already. A record is rewritten with its bytes and entries as read plus the
    /// missing entry, expecting the version read, at most ``removalIndexRecordsPerCommit`` in a commit:
    /// a record changed meanwhile is read afresh and rewritten only if it still lacks the entry, so
    /// newer data is never overwritten. A record that does not decode is left as it is.
    ///
    /// Safe to run while the service is in use, and to run again: a finished run is not repeated, and a
    /// record that has its entry is not rewritten. Stop every process of the earlier version first: a
    /// record it writes afterwards has no entry again.
    /// - Parameter progress: Told the report so far, after each round.
    /// - Returns: What this run read and did.
    /// - Throws: ``VerificationError/Code/storage`` (or ``VerificationError/Code-swift.struct/busy``)
    ///   if the store fails; what was committed before stays, and a new run goes on from there.
    @discardableResult
    public func indexRecordsForRemoval(progress: @Sendable (RemovalIndexReport) -> Void = { _ in })
        async throws(VerificationError) -> RemovalIndexReport
    {
        try await perform {
            var report = RemovalIndexReport()
            var position = try await removalIndexStart()
            while position.value.through < position.value.upTo {
                let changes = try await store.changes(
                    after: position.value.through, limit: Self.removalIndexChangesPerRound)
                let read = changes.filter { $0.sequence <= position.value.upTo }
                var keys: [RecordKey] = []
                var seen = Set<RecordKey>()
                for change in read {
                    for record in change.puts
                    where Self.removalIndexName(of: record.key.collection) != nil && seen.insert(record.key).inserted {
                        keys.append(record.key)
                    }
                }
                report.changesRead += read.count
                try await indexForRemoval(keys, into: &report)
                // Past the last commit read; at the end when the feed has nothing more up to the end.
                let reached = read.count == changes.count ? changes.last?.sequence : nil
                position = try await advanceRemovalIndex(position, to: min(reached ?? .max, position.value.upTo))
                progress(report)
            }
            report.isComplete = true
            return report
        }
    }

    /// The most commits of the change feed one round of ``indexRecordsForRemoval(progress:)`` reads.
    public static let removalIndexChangesPerRound = 500

    /// The most records ``indexRecordsForRemoval(progress:)`` rewrites in one commit.
    public static let removalIndexRecordsPerCommit = 200

    /// The index by which the records of `collection` are removed, if they are.
    static func removalIndexName(of collection: String) -> String? {
        switch collection {
        case AddressQuota.collection: AddressQuota.idleIndex.name
        case StaffCheckQuota.collection: StaffCheckQuota.idleIndex.name
        case LoginThrottlePolicy.State.collection: idleThrottleIndex.name
        case OutboxMessage.collection: OutboxMessage.finishedIndex.name
        default: nil
        }
    }

    /// The run's progress as stored: a new one, whose first commit marks where the feed's records
    /// were written with their entries already, when none was stored.
    private func removalIndexStart() async throws -> Loaded<RemovalIndexProgress> {
        try await retryingConflicts {
            let key = RemovalIndexProgress.storedKey
            let stored = try await store.load(key)
            if let stored, stored.value.upTo > 0 { return stored }
            var started = RemovalIndexProgress(through: stored?.value.through ?? 0, upTo: 0)
            var batch = Batch()
            try batch.put(started, at: key, replacing: stored?.version)
            started.upTo = try await commit(batch)
            return Loaded(value: started, version: (stored?.version ?? 0) + 1, sequence: started.upTo)
        }
    }

    /// Stores that the feed was read up to `sequence`, unless another run got further meanwhile.
    /// - Returns: The progress as stored now.
    private func advanceRemovalIndex(_ position: Loaded<RemovalIndexProgress>, to sequence: UInt64)
        async throws -> Loaded<RemovalIndexProgress>
    {
        var current = position
        while true {
            guard current.value.through < sequence else { return current }
            var advanced = current.value
            advanced.through = sequence
            var batch = Batch()
            try batch.put(advanced, at: RemovalIndexProgress.storedKey, replacing: current.version)
            do {
                let committed = try await commit(batch)
                return Loaded(value: advanced, version: current.version + 1, sequence: committed)
            } catch let error as StoreError where error.isConflict {
                // Another run advanced it: read afresh, and go on from the further of the two. Another
                // run's start stores no end (`upTo` 0) until its first advance: this run's end stays, so
                // that it does not stop, complete, before reading up to it.
                guard let stored = try await store.load(RemovalIndexProgress.storedKey) else { throw error }
                current = stored
                current.value.upTo = max(stored.value.upTo, position.value.upTo)
            }
        }
    }

    /// Gives the records at `keys` the entries they lack, adding to `report`.
    private func indexForRemoval(_ keys: [RecordKey], into report: inout RemovalIndexReport) async throws {
        var start = keys.startIndex
        while start < keys.endIndex {
            let chunk = keys[start..<min(start + Self.removalIndexRecordsPerCommit, keys.endIndex)]
            start = chunk.endIndex
            var mutations: [Mutation] = []
            for key in chunk {
                guard let record = try await store.record(for: key) else { continue }
                report.recordsRead += 1
                if let mutation = removalIndexMutation(record) { mutations.append(mutation) }
            }
            guard !mutations.isEmpty else { continue }
            var batch = Batch()
            batch.mutations = mutations
            do {
                try await commit(batch)
                report.recordsIndexed += mutations.count
            } catch let error as StoreError where error.isConflict {
                // A record changed meanwhile: each on its own, read afresh.
                for mutation in mutations {
                    if try await indexForRemoval(mutation.key) { report.recordsIndexed += 1 }
                }
            }
        }
    }

    /// Gives the record at `key`, read afresh (again after each conflict), the entry it lacks.
    /// - Returns: Whether it was rewritten.
    private func indexForRemoval(_ key: RecordKey) async throws -> Bool {
        try await retryingConflicts {
            guard let record = try await store.record(for: key), let mutation = removalIndexMutation(record) else {
                return false
            }
            try await store.commit(mutation)
            return true
        }
    }

    /// The rewrite that gives `record` its removal index entry, expecting its version; `nil` when it
    /// has one, needs none (a quota or message not yet idle or done with, an account's throttle record,
    /// one locked until unlocked), or does not decode.
    func removalIndexMutation(_ record: Record) -> Mutation? {
        guard let name = Self.removalIndexName(of: record.key.collection),
            !record.indexes.contains(where: { $0.name == name }),
            let wanted = wantedIndexEntries(record).first(where: { $0.name == name })
        else { return nil }
        return .put(
            record.key, value: record.value, indexes: record.indexes + [wanted], expecting: .version(record.version))
    }

    /// The index entries the service gives `record` when it writes it; empty when it does not decode.
    private func wantedIndexEntries(_ record: Record) -> [IndexEntry] {
        switch record.key.collection {
        case AddressQuota.collection: (try? Loaded<AddressQuota>(decoding: record))?.value.indexEntries ?? []
        case StaffCheckQuota.collection: (try? Loaded<StaffCheckQuota>(decoding: record))?.value.indexEntries ?? []
        case OutboxMessage.collection: (try? Loaded<OutboxMessage>(decoding: record))?.value.indexEntries ?? []
        case LoginThrottlePolicy.State.collection:
            (try? Loaded<LoginThrottlePolicy.State>(decoding: record)).map {
                throttleIndexes($0.value, at: StoredKey(record.key.id))
            } ?? []
        default: []
        }
    }
}

/// How far ``VerificationService/indexRecordsForRemoval(progress:)`` has read the change feed.
struct RemovalIndexProgress: Codable {
    /// The last commit of the feed whose records were looked at.
    var through: UInt64
    /// The run's first commit: every record written after it has its entries already; 0 before it.
    var upTo: UInt64
}
