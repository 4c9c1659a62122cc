import DapodikLocking

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A ``RecordStore`` in memory: the reference model of the contract, for tests, previews and
/// short-lived processes. Safe to share between tasks; nothing survives the process.
///
/// It keeps the full change history until ``compact()`` summarizes it exactly as
/// ``FileRecordStore`` compaction does.
public final class InMemoryRecordStore: RecordStore {
    private struct State {
        var table = RecordTable<Data>()
        /// Commit history in sequence order.
        var history: [ChangeBatch] = []
    }

    /// Its waiters yield their core before sleeping: reads take a fraction of a commit's time, and a
    /// read that slept behind a commit left its core idle (`LockedValue/yieldsBeforeSleeping`).
    private let state = LockedValue(State(), yieldsBeforeSleeping: 200)
    private let signals = ChangeSignals()

    /// Creates an empty store.
    public init() {}

    /// The record stored under a key.
    /// - Parameter key: The key.
    /// - Returns: The record, or `nil` when the key does not exist (not an error).
    /// - Throws: Nothing in practice; the signature follows ``RecordStore``.
    public func record(for key: RecordKey) async throws -> Record? {
        let hashed = HashedKey(key)
        // Only the lookup under the lock; the `Record` is built after it.
        return state.withLock { $0.table[hashed] }.map { Self.record(key, $0) }
    }

    /// The record holding a unique index value.
    /// - Parameters:
    ///   - index: The name of a unique index.
    ///   - value: The value to find.
    /// - Returns: The record, or `nil` when none holds the value (not an error).
    /// - Throws: Nothing in practice.
    public func record(whereUnique index: String, equals value: String) async throws -> Record? {
        let exact = ExactString(value)
        return state.withLock { $0.table.record(whereUnique: index, equals: exact) }.map { Self.record($0.0.key, $0.1) }
    }

    /// The records holding a non-unique index value, in key order.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - value: The value to find.
    /// - Returns: The records; empty when none match (not an error).
    /// - Throws: Nothing in practice.
    public func records(where index: String, equals value: String) async throws -> [Record] {
        let exact = ExactString(value)
        // Only the lookups under the lock; ordering (a school's thousands of accounts) after it.
        let found = state.withLock { $0.table.unorderedRecords(where: index, equals: exact) }
        return found.sorted { $0.key < $1.key }.map { Self.record($0.key, $0.record) }
    }

    /// The records whose non-unique index value lies in `lower ..< upper`, by value then key.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - lower: The smallest value included.
    ///   - upper: The first value excluded.
    ///   - limit: The most records returned.
    /// - Returns: At most `limit` records.
    /// - Throws: ``StoreError`` `invalidInput` for a negative limit.
    public func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try validateLimit(limit)
        return state.withLock { state in
            state.table.keys(in: index, from: lower, to: upper, limit: limit).compactMap {
                Self.record($0, in: state.table)
            }
        }
    }

    /// Applies a batch atomically and conditionally.
    /// - Parameter mutations: The batch.
    /// - Returns: The commit's sequence number.
    /// - Throws: ``StoreError``: a conflict naming the key, or `invalidInput`; nothing is changed.
    ///
    /// Under the store's lock runs only what needs its state: the version and uniqueness checks, the
    /// writes and the history entry. Validation, hashing the keys and index values, the batch's own
    /// unique claims and the order of its change-feed entry are done before; the records it replaces
    /// are released after.
    @discardableResult
    public func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        try StoreLimits.validate(mutations)
        let prepared = PreparedBatch(mutations)
        // The records to store and the change-feed entry, made here with their version and sequence
        // left to fill in under the lock (where they are moved in, not copied). Every array is made at
        // its final size, not grown.
        var records: [StoredRecord<Data>?] = mutations.map { mutation in
            guard case .put(let value, let indexes) = mutation.kind else { return nil }
            return StoredRecord(version: 0, sequence: 0, indexes: indexes, payload: value)
        }
        let inKeyOrder = mutations.indices.sorted { mutations[$0].key < mutations[$1].key }
        var putPositions: [Int] = []
        var puts: [Record] = []
        var deletePositions: [Int] = []
        putPositions.reserveCapacity(mutations.count)
        puts.reserveCapacity(mutations.count)
        for position in inKeyOrder {
            guard let record = records[position] else {
                deletePositions.append(position)
                continue
            }
            putPositions.append(position)
            puts.append(
                Record(
                    key: mutations[position].key, version: 0, value: record.payload, indexes: record.indexes,
                    sequence: 0))
        }
        var released: [StoredRecord<Data>] = []
        released.reserveCapacity(mutations.count)
        // The records replaced are kept in `released`, and so released after the lock, not under it.
        let sequence = try state.withLock { state throws(StoreError) in
            let changes = try state.table.check(prepared)
            let sequence = state.table.lastSequence + 1
            state.table.reserveAhead(for: putPositions.count)
            for (position, change) in changes.enumerated() {
                switch change {
                case .put(let version):
                    var record = records[position].take()!
                    record.version = version
                    record.sequence = sequence
                    let replaced = state.table.put(
                        prepared.keys[position], consume record, indexValues: prepared.indexValues[position])
                    if let replaced { released.append(replaced) }
                case .delete:
                    if let removed = state.table.remove(prepared.keys[position]) { released.append(removed) }
                case .none:
                    break
                }
            }
            for (index, position) in putPositions.enumerated() {
                guard case .put(let version) = changes[position] else { continue }
                puts[index].version = version
                puts[index].sequence = sequence
            }
            let deletes = deletePositions.filter { changes[$0] == .delete }.map { mutations[$0].key }
            state.table.lastSequence = sequence
            state.history.append(ChangeBatch(sequence: sequence, puts: puts, deletes: deletes))
            return sequence
        }
        signals.signal(collectionsOf: mutations)
        return sequence
    }

    /// The point in the signals of this store's commits for `collection` now.
    /// - Parameter collection: The collection whose changes the reader waits for.
    /// - Returns: The mark.
    public func changeSignalMark(for collection: String) -> ChangeSignalMark {
        signals.mark(for: collection)
    }

    /// Waits until a commit has written to `collection` since `mark` was taken, at most `limit`, or
    /// until the task is cancelled.
    /// - Parameters:
    ///   - collection: The collection whose changes the caller waits for.
    ///   - mark: What ``changeSignalMark(for:)`` returned before the caller last read.
    ///   - limit: The longest wait.
    public func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        await signals.wait(for: collection, since: mark, atMost: limit)
    }

    /// The committed changes after a sequence number, in commit order.
    /// - Parameters:
    ///   - sequence: The last sequence the caller has seen.
    ///   - limit: The most batches returned.
    /// - Returns: The batches.
    /// - Throws: ``StoreError`` `invalidInput` for a negative limit.
    public func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try validateLimit(limit)
        return state.withLock { state in
            var low = 0
            var high = state.history.count
            while low < high {
                let middle = (low + high) / 2
                if state.history[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
            }
            // `limit` comes from the caller and may be near Int.max: no sum with it.
            return Array(state.history[low..<low + min(limit, state.history.count - low)])
        }
    }

    /// Summarizes history as ``FileRecordStore/compact()`` does: each live record once, at the
    /// sequence of its last write; overwritten versions and deletes leave the change feed.
    /// - Throws: Nothing in practice; the signature matches ``FileRecordStore/compact()``.
    public func compact() async throws {
        // The summarized history is returned and so released after the lock, not under it.
        _ = state.withLock { state in
            var batches: [ChangeBatch] = []
            for key in state.table.keysBySequence() {
                let record = Self.record(key, in: state.table)!
                if batches.last?.sequence == record.sequence {
                    batches[batches.count - 1].puts.append(record)
                } else {
                    batches.append(ChangeBatch(sequence: record.sequence, puts: [record], deletes: []))
                }
            }
            let summarized = state.history
            state.history = batches
            return summarized
        }
    }

    /// How many index entries commits have added or removed so far.
    package func indexWriteCount() -> Int {
        state.withLock { $0.table.indexWrites }
    }

    package func indexSummaries() -> (maintained: IndexSummary, rebuilt: IndexSummary) {
        state.withLock { ($0.table.indexSummary(), $0.table.rebuiltIndexSummary()) }
    }

    private static func record(_ key: RecordKey, in table: RecordTable<Data>) -> Record? {
        table[key].map { record(key, $0) }
    }

    private static func record(_ key: RecordKey, _ stored: StoredRecord<Data>) -> Record {
        Record(
            key: key, version: stored.version, value: stored.payload, indexes: stored.indexes, sequence: stored.sequence
        )
    }
}

extension RecordStore where Self == InMemoryRecordStore {
    /// A new, empty in-memory store.
    public static var inMemory: InMemoryRecordStore { InMemoryRecordStore() }
}
