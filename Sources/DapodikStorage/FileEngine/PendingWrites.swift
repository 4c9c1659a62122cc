/// The writes of a commit group that are planned but not yet durable, seen through the durable
/// state they will be applied to: what the next batch of the same group is checked against.
///
/// The durable ``GenerationTable`` stays untouched until the group's `fsync` succeeds, so readers
/// never see a commit before it is durable; a later batch still sees every earlier batch of its
/// group (its version conditions and unique claims), as if they were applied one after the other.
struct PendingWrites: CommitPlanning {
    /// The durable state. Held only while the group is planned (a copy shares its storage, so the
    /// table must not be mutated while this value lives).
    let base: GenerationTable
    /// The pending state of each key a planned batch wrote: a record, or `nil` once deleted.
    private(set) var records: [RecordKey: StoredRecord<ValueLocation>?] = [:]
    /// The key each pending put claims a unique index value for (checked against `records` on use,
    /// since a later pending write of the same key may drop the claim).
    private var claims: [String: [String: RecordKey]] = [:]

    init(base: GenerationTable) {
        self.base = base
    }

    mutating func put(_ key: RecordKey, _ record: StoredRecord<ValueLocation>) {
        records[key] = .some(record)
        for entry in record.indexes where entry.isUnique {
            claims[entry.name, default: [:]][entry.value] = key
        }
    }

    mutating func remove(_ key: RecordKey) {
        records[key] = .some(nil)
    }

    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64? {
        if let pending = records[key] { return pending?.version }
        return try base.currentVersion(of: key)
    }

    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey? {
        if let key = claims[index]?[value], Self.holds(records[key] ?? nil, index, value) { return key }
        guard let holder = try base.uniqueHolder(index, value) else { return nil }
        if let pending = records[holder] {
            return Self.holds(pending, index, value) ? holder : nil
        }
        return holder
    }

    private static func holds(_ record: StoredRecord<ValueLocation>?, _ index: String, _ value: String) -> Bool {
        record?.indexes.contains { $0.isUnique && $0.name == index && $0.value == value } ?? false
    }
}
