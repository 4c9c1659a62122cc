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
    private(set) var records: [HashedKey: StoredRecord<ValueLocation>?] = [:]
    /// The key each pending put claims a unique index value for (checked against `records` on use,
    /// since a later pending write of the same key may drop the claim). One table for every index,
    /// not one per index name: a group allocates it once.
    private var claims: [Claim: HashedKey] = [:]

    /// A unique index value, by index name.
    private struct Claim: Hashable {
        let index: String
        let value: ExactString
    }

    /// - Parameter writes: How many writes the group may plan at most (room is made for them at once).
    init(base: GenerationTable, writes: Int = 0) {
        self.base = base
        records.reserveCapacity(writes)
    }

    /// Plans a put, with its key and index values hashed beforehand (`indexValues` in the order of
    /// `record.indexes`).
    mutating func put(_ key: HashedKey, _ record: StoredRecord<ValueLocation>, indexValues: [ExactString]) {
        records[key] = .some(record)
        for (entry, value) in zip(record.indexes, indexValues) where entry.isUnique {
            claims[Claim(index: entry.name, value: value)] = key
        }
    }

    mutating func remove(_ key: HashedKey) {
        records[key] = .some(nil)
    }

    func currentVersion(of key: RecordKey) throws(StoreError) -> UInt64? {
        try currentVersion(of: HashedKey(key))
    }

    func currentVersion(of key: HashedKey) throws(StoreError) -> UInt64? {
        if !records.isEmpty, let pending = records[key] { return pending?.version }
        return try base.currentVersion(of: key)
    }

    func uniqueHolder(_ index: String, _ value: String) throws(StoreError) -> RecordKey? {
        try uniqueHolder(index, ExactString(value))
    }

    func uniqueHolder(_ index: String, _ value: ExactString) throws(StoreError) -> RecordKey? {
        if !claims.isEmpty, let key = claims[Claim(index: index, value: value)],
            Self.holds(records[key] ?? nil, index, value)
        {
            return key.key
        }
        guard let holder = try base.uniqueHolder(index, value) else { return nil }
        if !records.isEmpty, let pending = records[HashedKey(holder)] {
            return Self.holds(pending, index, value) ? holder : nil
        }
        return holder
    }

    private static func holds(_ record: StoredRecord<ValueLocation>?, _ index: String, _ value: ExactString) -> Bool {
        record?.indexes.contains { $0.isUnique && utf8Equal($0.name, index) && utf8Equal($0.value, value.value) }
            ?? false
    }
}
