/// The writes of a commit group that are planned but not yet durable, seen through the durable
/// state they will be applied to: what the next batch of the same group is checked against.
///
/// The durable ``GenerationTable`` stays untouched until the group's `fsync` succeeds, so readers
/// never see a commit before it is durable; a later batch still sees every earlier batch of its
/// group (its version conditions and unique claims), as if they were applied one after the other.
struct PendingWrites: CommitPlanning {
    /// The durable state. Held only while batches are planned (a copy shares its storage, so the
    /// table must not be mutated while this value lives): a group prepared behind one in flight keeps
    /// only its ``overlay`` between plannings.
    let base: GenerationTable
    /// The planned writes seen over `base`.
    private(set) var overlay: PendingOverlay

    init(base: GenerationTable, overlay: PendingOverlay = PendingOverlay()) {
        self.base = base
        self.overlay = overlay
    }

    mutating func put(_ key: RecordKey, _ record: StoredRecord<ValueLocation>) {
        overlay.put(key, record)
    }

    mutating func remove(_ key: RecordKey) {
        overlay.remove(key)
    }

    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64? {
        if let pending = overlay.records[key] { return pending?.version }
        return try base.currentVersion(of: key)
    }

    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey? {
        if let key = overlay.claims[index]?[value], Self.holds(overlay.records[key] ?? nil, index, value) {
            return key
        }
        guard let holder = try base.uniqueHolder(index, value) else { return nil }
        if let pending = overlay.records[holder] {
            return Self.holds(pending, index, value) ? holder : nil
        }
        return holder
    }

    private static func holds(_ record: StoredRecord<ValueLocation>?, _ index: String, _ value: String) -> Bool {
        record?.indexes.contains { $0.isUnique && $0.name == index && $0.value == value } ?? false
    }
}

/// The writes planned but not yet durable, without the durable state under them: what a group
/// prepared behind the group in flight keeps between plannings (``PendingWrites``), starting from
/// that group's own writes.
struct PendingOverlay: Sendable {
    /// The pending state of each key a planned batch wrote: a record, or `nil` once deleted.
    private(set) var records: [RecordKey: StoredRecord<ValueLocation>?] = [:]
    /// The key each pending put claims a unique index value for (checked against `records` on use,
    /// since a later pending write of the same key may drop the claim).
    private(set) var claims: [String: [String: RecordKey]] = [:]

    mutating func put(_ key: RecordKey, _ record: StoredRecord<ValueLocation>) {
        records[key] = .some(record)
        for entry in record.indexes where entry.isUnique {
            claims[entry.name, default: [:]][entry.value] = key
        }
    }

    mutating func remove(_ key: RecordKey) {
        records[key] = .some(nil)
    }
}
