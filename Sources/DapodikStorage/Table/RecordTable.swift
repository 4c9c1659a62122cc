/// One record's state in a ``RecordTable``: everything but the value, which each store keeps its
/// own way (in memory, or as a location in a file).
struct StoredRecord<Payload> {
    var version: UInt64
    var sequence: UInt64
    var indexes: [IndexEntry]
    var payload: Payload
}

extension StoredRecord: Sendable where Payload: Sendable {}

/// One write of a planned commit: the new state of a key, or its removal.
struct PlannedWrite {
    var key: RecordKey
    /// The new version; `nil` for a delete.
    var version: UInt64?
    var mutation: Mutation
}

/// What checking a commit needs to know of a store's current state.
protocol CommitPlanning {
    /// The current version of a key, `nil` when it does not exist.
    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64?
    /// The key holding a unique index value, `nil` when none does.
    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey?
}

extension CommitPlanning {
    /// Checks a validated batch against the current state and plans its writes.
    /// - Returns: The writes, in batch order; deletes of missing keys are left out.
    /// - Throws: A conflict naming the key (and index); a read failure of the state.
    func plan(_ mutations: [Mutation]) throws(StoreError) -> [PlannedWrite] {
        var writes: [PlannedWrite] = []
        writes.reserveCapacity(mutations.count)
        for mutation in mutations {
            let current = try currentVersion(of: mutation.key)
            switch mutation.expectation {
            case .any:
                break
            case .mustNotExist:
                if let current { throw .alreadyExists(mutation.key, version: current) }
            case .version(let expected):
                if current != expected {
                    throw .versionMismatch(mutation.key, expected: expected, actual: current)
                }
            }
            switch mutation.kind {
            case .put:
                writes.append(PlannedWrite(key: mutation.key, version: (current ?? 0) + 1, mutation: mutation))
            case .delete:
                if current != nil { writes.append(PlannedWrite(key: mutation.key, version: nil, mutation: mutation)) }
            }
        }
        try checkUnique(mutations)
        return writes
    }

    private func checkUnique(_ mutations: [Mutation]) throws(StoreError) {
        var touched: Set<RecordKey>?
        var claims: [String: [ExactString: RecordKey]] = [:]
        for mutation in mutations {
            guard case .put(_, let indexes) = mutation.kind else { continue }
            for entry in indexes where entry.isUnique {
                if let other = claims[entry.name]?[ExactString(entry.value)] {
                    throw .uniqueConstraint(index: entry.name, key: mutation.key, holder: other)
                }
                claims[entry.name, default: [:]][ExactString(entry.value)] = mutation.key
                if let holder = try uniqueHolder(entry.name, entry.value), holder != mutation.key {
                    if touched == nil { touched = Set(mutations.map(\.key)) }
                    // A holder written in the same batch releases the value (its own claim, if it
                    // keeps it, is caught above as a claim made twice).
                    if !touched!.contains(holder) {
                        throw .uniqueConstraint(index: entry.name, key: mutation.key, holder: holder)
                    }
                }
            }
        }
    }
}

/// The records of a store and their secondary indexes, and the commit rules of
/// ``RecordStore/commit(_:)``: the same model for every store, so their behaviour cannot drift.
struct RecordTable<Payload>: CommitPlanning {
    private(set) var entries: [RecordKey: StoredRecord<Payload>] = [:]
    private var unique: [String: [ExactString: RecordKey]] = [:]
    private var nonUnique: [String: NonUniqueIndex] = [:]
    var lastSequence: UInt64 = 0
    /// Index entries added or removed so far: tests check that an update keeping its indexes
    /// touches none.
    private(set) var indexWrites = 0

    init() {}

    mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
    }

    var count: Int { entries.count }

    subscript(key: RecordKey) -> StoredRecord<Payload>? { entries[key] }

    /// Stores a record (replacing any earlier one and its index entries).
    ///
    /// Index entries the earlier version had too are left in place: an update that keeps its indexes
    /// (an account's school, e-mail and username on verification) touches no index at all.
    mutating func put(_ key: RecordKey, _ record: StoredRecord<Payload>) {
        let old = entries.updateValue(record, forKey: key)?.indexes ?? []
        for entry in old where !record.indexes.containsExactly(entry) {
            removeIndex(entry, of: key)
        }
        for entry in record.indexes where !old.containsExactly(entry) {
            indexWrites += 1
            if entry.isUnique {
                unique[entry.name, default: [:]][ExactString(entry.value)] = key
            } else {
                nonUnique[entry.name, default: NonUniqueIndex()].insert(entry.value, key)
            }
        }
    }

    /// Removes a record and its index entries; nothing happens when it does not exist.
    mutating func remove(_ key: RecordKey) {
        if let old = entries.removeValue(forKey: key) {
            for entry in old.indexes { removeIndex(entry, of: key) }
        }
    }

    /// Replaces the payload of a record (after compaction moved its value).
    mutating func setPayload(_ payload: Payload, for key: RecordKey) {
        entries[key]?.payload = payload
    }

    private mutating func removeIndex(_ entry: IndexEntry, of key: RecordKey) {
        indexWrites += 1
        if entry.isUnique {
            if unique[entry.name]?[ExactString(entry.value)] == key {
                unique[entry.name]![ExactString(entry.value)] = nil
                if unique[entry.name]!.isEmpty { unique[entry.name] = nil }
            }
        } else if nonUnique[entry.name] != nil {
            nonUnique[entry.name]!.remove(entry.value, key)
            if nonUnique[entry.name]!.isEmpty { nonUnique[entry.name] = nil }
        }
    }

    func key(whereUnique index: String, equals value: String) -> RecordKey? {
        unique[index]?[ExactString(value)]
    }

    func currentVersion(of key: RecordKey) -> UInt64? { entries[key]?.version }

    func uniqueHolder(_ index: String, _ value: String) -> RecordKey? { unique[index]?[ExactString(value)] }

    /// Every (value, key) of a non-unique index in `lower ..< upper` (no upper bound when `nil`), in
    /// (value, key) order.
    mutating func members(in index: String, from lower: String, to upper: String?, limit: Int) -> [(
        String, RecordKey
    )] {
        guard nonUnique[index] != nil else { return [] }
        return nonUnique[index]!.members(from: lower, to: upper, limit: limit)
    }

    /// The names of the non-unique indexes in use.
    var nonUniqueNames: Dictionary<String, NonUniqueIndex>.Keys { nonUnique.keys }

    func keys(where index: String, equals value: String) -> [RecordKey] {
        nonUnique[index]?.keys(equal: value) ?? []
    }

    mutating func keys(in index: String, from lower: String, to upper: String, limit: Int) -> [RecordKey] {
        guard nonUnique[index] != nil else { return [] }
        return nonUnique[index]!.keys(from: lower, to: upper, limit: limit)
    }

    /// Live records ordered by the sequence that last wrote them, then key: the order of a
    /// compacted history.
    func keysBySequence() -> [RecordKey] {
        var pairs: [(sequence: UInt64, key: RecordKey)] = []
        pairs.reserveCapacity(entries.count)
        for (key, record) in entries { pairs.append((record.sequence, key)) }
        pairs.sort { $0.sequence != $1.sequence ? $0.sequence < $1.sequence : $0.key < $1.key }
        return pairs.map(\.key)
    }

    /// A table rebuilt from nothing but its records: what a fresh load would produce. Tests compare
    /// it with a table maintained incrementally.
    func indexSummary() -> IndexSummary {
        var summary = IndexSummary()
        for (name, values) in unique {
            for (value, key) in values { summary.unique.insert("\(name)=\(value.value)->\(key)") }
        }
        for (name, index) in nonUnique {
            for (value, keys) in index.members {
                for key in keys { summary.nonUnique.insert("\(name)=\(value.value)->\(key)") }
            }
        }
        return summary
    }
}

extension [IndexEntry] {
    /// Whether an entry with the same uniqueness and the same name and value, byte for byte, is here
    /// (`==` on strings would also match canonically equivalent spellings).
    fileprivate func containsExactly(_ entry: IndexEntry) -> Bool {
        contains {
            $0.isUnique == entry.isUnique && utf8Equal($0.name, entry.name) && utf8Equal($0.value, entry.value)
        }
    }
}

/// The secondary index contents of a table, as comparable sets (for consistency tests).
package struct IndexSummary: Equatable, Sendable {
    package var unique: Set<String> = []
    package var nonUnique: Set<String> = []
}

extension RecordTable {
    /// The index contents a table built from scratch out of this table's records would have.
    func rebuiltIndexSummary() -> IndexSummary {
        var fresh = RecordTable<Void>()
        for (key, record) in entries {
            fresh.put(
                key,
                StoredRecord(version: record.version, sequence: record.sequence, indexes: record.indexes, payload: ()))
        }
        return fresh.indexSummary()
    }
}
