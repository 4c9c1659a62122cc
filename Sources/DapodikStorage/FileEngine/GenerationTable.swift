/// The records of a file store's current generation: the snapshot's read-only index, overlaid by
/// what the log changed since (a ``RecordTable`` of the records written, and the keys deleted).
///
/// An overlay entry shadows the snapshot's entry of the same key, with all its index entries: a
/// lookup in the snapshot counts only when its key is not shadowed. Memory therefore grows with the
/// log, not with the store, and compaction folds the overlay into the next snapshot.
struct GenerationTable: CommitPlanning {
    var snapshot: SnapshotIndex
    /// Live records written since the snapshot.
    private(set) var overlay = RecordTable<ValueLocation>()
    /// Keys deleted since the snapshot (a superset: a key created and deleted in the log stays here
    /// until compaction, which is harmless).
    private(set) var deleted: Set<HashedKey> = []

    init(snapshot: SnapshotIndex) {
        self.snapshot = snapshot
        overlay.lastSequence = snapshot.lastSequence
    }

    var lastSequence: UInt64 {
        get { overlay.lastSequence }
        set { overlay.lastSequence = newValue }
    }

    func isShadowed(_ key: RecordKey) -> Bool {
        let hashed = HashedKey(key)
        return overlay[hashed] != nil || deleted.contains(hashed)
    }

    subscript(key: RecordKey) -> StoredRecord<ValueLocation>? {
        get throws(StoreError) { try self[HashedKey(key)] }
    }

    subscript(key: HashedKey) -> StoredRecord<ValueLocation>? {
        get throws(StoreError) {
            if let record = overlay[key] { return record }
            if !deleted.isEmpty, deleted.contains(key) { return nil }
            return try snapshot.find(key.key)?.record
        }
    }

    mutating func put(_ key: RecordKey, _ record: StoredRecord<ValueLocation>) {
        put(HashedKey(key), record, indexValues: record.indexes.map { ExactString($0.value) })
    }

    /// ``put(_:_:)`` with the key and index values hashed beforehand (in the order of `record.indexes`).
    mutating func put(_ key: HashedKey, _ record: StoredRecord<ValueLocation>, indexValues: [ExactString]) {
        if !deleted.isEmpty { deleted.remove(key) }
        overlay.put(key, record, indexValues: indexValues)
    }

    mutating func remove(_ key: RecordKey) {
        remove(HashedKey(key))
    }

    mutating func remove(_ key: HashedKey) {
        overlay.remove(key)
        deleted.insert(key)
    }

    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64? {
        try self[key]?.version
    }

    func currentVersion(of key: HashedKey) throws(StoreError) -> UInt64? {
        try self[key]?.version
    }

    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey? {
        try uniqueHolder(index, ExactString(value))
    }

    func uniqueHolder(_ index: String, _ value: ExactString) throws(StoreError) -> RecordKey? {
        if let key = overlay.uniqueHolder(index, value) { return key }
        guard let key = try snapshot.key(whereUnique: index, equals: value.value), !isShadowed(key) else { return nil }
        return key
    }

    func keys(where index: String, equals value: String) throws(StoreError) -> [RecordKey] {
        var keys: [RecordKey] = []
        try snapshot.forEachMember(of: index, from: value) { (member, key) throws(StoreError) in
            guard member == value else { return false }
            if !isShadowed(key) { keys.append(key) }
            return true
        }
        keys += overlay.keys(where: index, equals: value)
        return keys.sorted()
    }

    /// The (value, key) pairs of a non-unique index in `lower ..< upper` (unbounded when `nil`), by
    /// value then key: the snapshot's unshadowed members merged with the overlay's.
    mutating func members(in index: String, from lower: String, to upper: String?, limit: Int) throws(StoreError)
        -> [(String, RecordKey)]
    {
        guard limit > 0, upper.map({ utf8Precedes(lower, $0) }) ?? true else { return [] }
        var fromSnapshot: [(String, RecordKey)] = []
        try snapshot.forEachMember(of: index, from: lower) { (value, key) throws(StoreError) in
            guard upper.map({ utf8Precedes(value, $0) }) ?? true else { return false }
            if !isShadowed(key) { fromSnapshot.append((value, key)) }
            return fromSnapshot.count < limit
        }
        let fromOverlay = overlay.members(in: index, from: lower, to: upper, limit: limit)
        var merged: [(String, RecordKey)] = []
        merged.reserveCapacity(min(limit, fromSnapshot.count + fromOverlay.count))
        var left = 0
        var right = 0
        while merged.count < limit, left < fromSnapshot.count || right < fromOverlay.count {
            if right == fromOverlay.count
                || (left < fromSnapshot.count && Self.precedes(fromSnapshot[left], fromOverlay[right]))
            {
                merged.append(fromSnapshot[left])
                left += 1
            } else {
                merged.append(fromOverlay[right])
                right += 1
            }
        }
        return merged
    }

    static func precedes(_ a: (String, RecordKey), _ b: (String, RecordKey)) -> Bool {
        a.0 != b.0 ? utf8Precedes(a.0, b.0) : a.1 < b.1
    }
}

extension GenerationTable {
    /// Every live record with its index entries: the snapshot's unshadowed entries in order, then the
    /// overlay's (for consistency checks; reads the whole section).
    func allRecords() throws(StoreError) -> [(RecordKey, StoredRecord<ValueLocation>)] {
        var result: [(RecordKey, StoredRecord<ValueLocation>)] = []
        for word in snapshot.order {
            let entry = try snapshot.entry(at: UInt64(littleEndian: word))
            if !isShadowed(entry.key) { result.append((entry.key, entry.record)) }
        }
        for (key, record) in overlay.entries { result.append((key, record)) }
        return result
    }

    /// The index contents as the lookups answer them: each unique value a live record claims, looked
    /// up; each non-unique index, listed in full.
    mutating func indexSummary() throws(StoreError) -> IndexSummary {
        var summary = IndexSummary()
        // By their bytes: two names equal only canonically are two indexes.
        var names: Set<ExactString> = []
        for (_, record) in try allRecords() {
            for entry in record.indexes {
                if entry.isUnique {
                    if let holder = try uniqueHolder(entry.name, entry.value) {
                        summary.unique.insert(IndexSummary.entry(entry.name, entry.value, holder))
                    }
                } else {
                    names.insert(ExactString(entry.name))
                }
            }
        }
        for name in names {
            for (value, key) in try members(in: name.value, from: "", to: nil, limit: .max) {
                summary.nonUnique.insert(IndexSummary.entry(name.value, value, key))
            }
        }
        return summary
    }

    /// The index contents a table built from scratch out of the live records would have.
    func rebuiltIndexSummary() throws(StoreError) -> IndexSummary {
        var fresh = RecordTable<Void>()
        for (key, record) in try allRecords() {
            fresh.put(
                key,
                StoredRecord(version: record.version, sequence: record.sequence, indexes: record.indexes, payload: ()))
        }
        return fresh.indexSummary()
    }
}
