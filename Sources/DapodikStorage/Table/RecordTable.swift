/// One record's state in a ``RecordTable``: everything but the value, which each store keeps its
/// own way (in memory, or as a location in a file).
struct StoredRecord<Payload> {
    var version: UInt64
    var sequence: UInt64
    var indexes: [IndexEntry]
    var payload: Payload
}

extension StoredRecord: Sendable where Payload: Sendable {}

/// What a checked commit does to one key.
enum PlannedChange: Equatable {
    /// The key gets a new version.
    case put(version: UInt64)
    /// The key, which exists, is removed.
    case delete
    /// Nothing (a delete of a missing key).
    case none
}

/// What checking a commit needs to know of a store's current state.
protocol CommitPlanning {
    /// The current version of a key, `nil` when it does not exist.
    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64?
    /// The key holding a unique index value, `nil` when none does.
    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey?
    /// ``currentVersion(of:)-(RecordKey)`` for a key hashed beforehand.
    func currentVersion(of key: HashedKey) throws(StoreError) -> UInt64?
    /// ``uniqueHolder(_:_:)-(String,String)`` for a value hashed beforehand.
    func uniqueHolder(_ index: String, _ value: ExactString) throws(StoreError) -> RecordKey?
}

extension CommitPlanning {
    func currentVersion(of key: HashedKey) throws(StoreError) -> UInt64? { try currentVersion(of: key.key) }

    func uniqueHolder(_ index: String, _ value: ExactString) throws(StoreError) -> RecordKey? {
        try uniqueHolder(index, value.value)
    }

    /// The commit rules: checks a validated, prepared batch against the current state, every
    /// mutation's version in batch order, then every unique claim in batch order, and says what each
    /// mutation writes.
    /// - Returns: One change per mutation, in batch order.
    /// - Throws: A conflict naming the key (and index); a read failure of the state.
    func check(_ batch: PreparedBatch) throws(StoreError) -> [PlannedChange] {
        var changes: [PlannedChange] = []
        changes.reserveCapacity(batch.mutations.count)
        // By position, reading the prepared expectations and kinds: a `Mutation` is copied (its key,
        // payload and index entries retained) only to name it in a conflict.
        for position in batch.keys.indices {
            let current = try currentVersion(of: batch.keys[position])
            switch batch.expectations[position] {
            case .any:
                break
            case .mustNotExist:
                if let current { throw .alreadyExists(batch.keys[position].key, version: current) }
            case .version(let expected):
                if current != expected {
                    throw .versionMismatch(batch.keys[position].key, expected: expected, actual: current)
                }
            }
            if batch.isPut[position] {
                changes.append(.put(version: (current ?? 0) + 1))
            } else {
                // A delete of a missing key writes nothing.
                changes.append(current == nil ? .none : .delete)
            }
        }
        try checkUnique(batch)
        return changes
    }

    private func checkUnique(_ batch: PreparedBatch) throws(StoreError) {
        var touched: Set<HashedKey>?
        for claim in batch.uniqueClaims {
            let key = batch.keys[claim.position].key
            if let other = claim.earlierClaimant {
                throw .uniqueConstraint(index: claim.index, key: key, holder: other)
            }
            if let holder = try uniqueHolder(claim.index, claim.value), holder != key {
                if touched == nil { touched = Set(batch.keys) }
                // A holder written in the same batch releases the value (its own claim, if it
                // keeps it, is caught as a claim made twice).
                if !touched!.contains(HashedKey(holder)) {
                    throw .uniqueConstraint(index: claim.index, key: key, holder: holder)
                }
            }
        }
    }
}

/// The records of a store and their secondary indexes, and the commit rules of
/// ``RecordStore/commit(_:)``: the same model for every store, so their behaviour cannot drift.
struct RecordTable<Payload>: CommitPlanning {
    private var records: [HashedKey: StoredRecord<Payload>] = [:]
    /// The indexes by their names' bytes: names equal only canonically are different indexes, as they
    /// are in the file store's files and in PostgreSQL.
    private var unique: [ExactString: [ExactString: HashedKey]] = [:]
    private var nonUnique: [ExactString: NonUniqueIndex] = [:]
    var lastSequence: UInt64 = 0
    /// Index entries added or removed so far: tests check that an update keeping its indexes
    /// touches none.
    private(set) var indexWrites = 0

    init() {}

    mutating func reserveCapacity(_ capacity: Int) {
        records.reserveCapacity(capacity)
    }

    var count: Int { records.count }

    /// Makes room for `incoming` more records ahead of need, growing four times over (twice over from
    /// a million records on) instead of the dictionary's own doubling: every growth moves every record,
    /// and it happens inside a store's lock, so fewer and larger growths keep the lock's share down.
    mutating func reserveAhead(for incoming: Int) {
        let needed = records.count + incoming
        guard needed > records.capacity else { return }
        records.reserveCapacity(needed < 1 << 20 ? max(needed * 4, 64) : needed * 2)
    }

    /// The records by key.
    var entries: RecordTableEntries<Payload> { RecordTableEntries(records: records) }

    subscript(key: RecordKey) -> StoredRecord<Payload>? { records[HashedKey(key)] }

    subscript(key: HashedKey) -> StoredRecord<Payload>? { records[key] }

    /// Stores a record (replacing any earlier one and its index entries).
    mutating func put(_ key: RecordKey, _ record: StoredRecord<Payload>) {
        put(HashedKey(key), record, indexValues: record.indexes.map { ExactString($0.value) })
    }

    /// Stores a record (replacing any earlier one and its index entries), with its key and index
    /// values hashed beforehand (`indexValues` in the order of `record.indexes`).
    ///
    /// Index entries the earlier version had too are left in place: an update that keeps its indexes
    /// (an account's school, e-mail and username on verification) touches no index at all.
    /// - Returns: The earlier record, for the caller to release (after leaving its lock).
    @discardableResult
    mutating func put(
        _ key: HashedKey, _ record: consuming StoredRecord<Payload>, indexValues: [ExactString]
    ) -> StoredRecord<Payload>? {
        let indexes = record.indexes
        // The record is moved into the table, not copied (its payload and entries are not retained again).
        let replaced = records.updateValue(record, forKey: key)
        let old = replaced?.indexes ?? []
        // The same entries in the same order (an update keeping its indexes): nothing to compare pairwise.
        if old.isExactly(indexes) { return replaced }
        for entry in old where !indexes.containsExactly(entry) {
            removeIndex(entry, of: key)
        }
        for (entry, value) in zip(indexes, indexValues) where !old.containsExactly(entry) {
            indexWrites += 1
            if entry.isUnique {
                unique[ExactString(entry.name), default: [:]][value] = key
            } else {
                nonUnique[ExactString(entry.name), default: NonUniqueIndex()].insert(value, key)
            }
        }
        return replaced
    }

    /// Removes a record and its index entries; nothing happens when it does not exist.
    mutating func remove(_ key: RecordKey) {
        remove(HashedKey(key))
    }

    /// Removes a record and its index entries; nothing happens when it does not exist.
    /// - Returns: The removed record, for the caller to release (after leaving its lock).
    @discardableResult
    mutating func remove(_ key: HashedKey) -> StoredRecord<Payload>? {
        guard let old = records.removeValue(forKey: key) else { return nil }
        for entry in old.indexes { removeIndex(entry, of: key) }
        return old
    }

    /// Replaces the payload of a record (after compaction moved its value).
    mutating func setPayload(_ payload: Payload, for key: RecordKey) {
        records[HashedKey(key)]?.payload = payload
    }

    private mutating func removeIndex(_ entry: IndexEntry, of key: HashedKey) {
        indexWrites += 1
        let value = ExactString(entry.value)
        // One lookup of the index by name (the entry is changed in place through its position).
        if entry.isUnique {
            guard let index = unique.index(forKey: ExactString(entry.name)), unique.values[index][value] == key else {
                return
            }
            unique.values[index][value] = nil
            if unique.values[index].isEmpty { unique.remove(at: index) }
        } else if let index = nonUnique.index(forKey: ExactString(entry.name)) {
            nonUnique.values[index].remove(value, key)
            if nonUnique.values[index].isEmpty { nonUnique.remove(at: index) }
        }
    }

    func key(whereUnique index: String, equals value: String) -> RecordKey? {
        unique[ExactString(index)]?[ExactString(value)]?.key
    }

    /// The record holding a unique index value hashed beforehand.
    func record(whereUnique index: String, equals value: ExactString) -> (HashedKey, StoredRecord<Payload>)? {
        guard let key = unique[ExactString(index)]?[value], let record = records[key] else { return nil }
        return (key, record)
    }

    func currentVersion(of key: RecordKey) -> UInt64? { records[HashedKey(key)]?.version }

    func currentVersion(of key: HashedKey) -> UInt64? { records[key]?.version }

    func uniqueHolder(_ index: String, _ value: String) -> RecordKey? {
        unique[ExactString(index)]?[ExactString(value)]?.key
    }

    func uniqueHolder(_ index: String, _ value: ExactString) -> RecordKey? { unique[ExactString(index)]?[value]?.key }

    /// Every (value, key) of a non-unique index in `lower ..< upper` (no upper bound when `nil`), in
    /// (value, key) order.
    mutating func members(in index: String, from lower: String, to upper: String?, limit: Int) -> [(
        String, RecordKey
    )] {
        let name = ExactString(index)
        guard nonUnique[name] != nil else { return [] }
        return nonUnique[name]!.members(from: lower, to: upper, limit: limit)
    }

    /// The records holding a non-unique index value hashed beforehand, in no particular order: the
    /// caller orders them after leaving its lock.
    func unorderedRecords(
        where index: String, equals value: ExactString
    ) -> [(key: RecordKey, record: StoredRecord<Payload>)] {
        guard let keys = nonUnique[ExactString(index)]?.members[value] else { return [] }
        return keys.compactMap { key in records[key].map { (key.key, $0) } }
    }

    func keys(where index: String, equals value: String) -> [RecordKey] {
        nonUnique[ExactString(index)]?.keys(equal: value) ?? []
    }

    mutating func keys(in index: String, from lower: String, to upper: String, limit: Int) -> [RecordKey] {
        let name = ExactString(index)
        guard nonUnique[name] != nil else { return [] }
        return nonUnique[name]!.keys(from: lower, to: upper, limit: limit)
    }

    /// Live records ordered by the sequence that last wrote them, then key: the order of a
    /// compacted history.
    func keysBySequence() -> [RecordKey] {
        var pairs: [(sequence: UInt64, key: RecordKey)] = []
        pairs.reserveCapacity(records.count)
        for (key, record) in records { pairs.append((record.sequence, key.key)) }
        pairs.sort { $0.sequence != $1.sequence ? $0.sequence < $1.sequence : $0.key < $1.key }
        return pairs.map(\.key)
    }

    /// A table rebuilt from nothing but its records: what a fresh load would produce. Tests compare
    /// it with a table maintained incrementally.
    func indexSummary() -> IndexSummary {
        var summary = IndexSummary()
        for (name, values) in unique {
            for (value, key) in values { summary.unique.insert(IndexSummary.entry(name.value, value.value, key.key)) }
        }
        for (name, index) in nonUnique {
            for (value, keys) in index.members {
                for key in keys { summary.nonUnique.insert(IndexSummary.entry(name.value, value.value, key.key)) }
            }
        }
        return summary
    }
}

extension [IndexEntry] {
    /// Whether an entry with the same uniqueness and the same name and value, byte for byte, is here
    /// (`==` on strings would also match canonically equivalent spellings).
    fileprivate func containsExactly(_ entry: IndexEntry) -> Bool {
        contains { $0.isExactly(entry) }
    }

    /// Whether `other` has the same entries in the same order, each byte for byte.
    fileprivate func isExactly(_ other: [IndexEntry]) -> Bool {
        count == other.count && zip(self, other).allSatisfy { $0.isExactly($1) }
    }
}

extension IndexEntry {
    /// The same uniqueness, and the same name and value byte for byte.
    fileprivate func isExactly(_ other: IndexEntry) -> Bool {
        isUnique == other.isUnique && utf8Equal(name, other.name) && utf8Equal(value, other.value)
    }
}

/// The secondary index contents of a table, as comparable sets (for consistency tests).
///
/// Each entry is the UTF-8 bytes of "name=value->key", so that entries whose names or values are equal
/// only canonically stay apart, as the indexes keep them (a `Set<String>` would merge them).
package struct IndexSummary: Equatable, Sendable {
    package var unique: Set<[UInt8]> = []
    package var nonUnique: Set<[UInt8]> = []

    /// An entry: index `name` holds `value` for `key`.
    static func entry(_ name: String, _ value: String, _ key: RecordKey) -> [UInt8] {
        Array("\(name)=\(value)->\(key)".utf8)
    }
}

extension RecordTable {
    /// The index contents a table built from scratch out of this table's records would have.
    func rebuiltIndexSummary() -> IndexSummary {
        var fresh = RecordTable<Void>()
        for (key, record) in records {
            fresh.put(
                key.key,
                StoredRecord(version: record.version, sequence: record.sequence, indexes: record.indexes, payload: ()))
        }
        return fresh.indexSummary()
    }
}

/// The records of a ``RecordTable`` by key: a view of its storage (which keys them by ``HashedKey``)
/// that reads like a `[RecordKey: StoredRecord]` dictionary, without copying it.
struct RecordTableEntries<Payload>: Sequence {
    fileprivate let records: [HashedKey: StoredRecord<Payload>]

    var count: Int { records.count }

    /// The keys, in the storage's order.
    var keys: LazyMapSequence<Dictionary<HashedKey, StoredRecord<Payload>>.Keys, RecordKey> {
        records.keys.lazy.map(\.key)
    }

    /// The records, in the order of ``keys``.
    var values: Dictionary<HashedKey, StoredRecord<Payload>>.Values { records.values }

    func makeIterator()
        -> LazyMapSequence<
            [HashedKey: StoredRecord<Payload>], (key: RecordKey, value: StoredRecord<Payload>)
        >.Iterator
    {
        records.lazy.map { (key: $0.key.key, value: $0.value) }.makeIterator()
    }
}
