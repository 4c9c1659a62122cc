/// The keys of the records holding one value of a non-unique index.
///
/// Most values are held by one record (an outbox message's due time, a challenge's account), so one
/// key is kept inline and a set is made only when a second record takes the value: a set of one key
/// was a heap allocation of 144 bytes per value, made and kept on every such write.
enum IndexMembers: Sequence {
    /// One record holds the value.
    case one(HashedKey)
    /// Any number of records hold the value (an empty set stands for none).
    case many(Set<HashedKey>)

    /// No record holds the value.
    static var empty: IndexMembers { .many([]) }

    /// Whether no record holds the value.
    var isEmpty: Bool {
        switch self {
        case .one: false
        case .many(let keys): keys.isEmpty
        }
    }

    /// How many records hold the value.
    var count: Int {
        switch self {
        case .one: 1
        case .many(let keys): keys.count
        }
    }

    /// Adds a key.
    /// - Returns: Whether no record held the value before.
    mutating func insert(_ key: HashedKey) -> Bool {
        switch self {
        case .one(let existing):
            if existing != key { self = .many([existing, key]) }
            return false
        case .many(var keys):
            if keys.isEmpty {
                self = .one(key)
                return true
            }
            // Out of `self` while it changes, so the set is changed in place, not copied.
            self = .empty
            keys.insert(key)
            self = .many(keys)
            return false
        }
    }

    /// Removes a key.
    /// - Returns: Whether it was there.
    mutating func remove(_ key: HashedKey) -> Bool {
        switch self {
        case .one(let existing):
            guard existing == key else { return false }
            self = .empty
            return true
        case .many(var keys):
            self = .empty
            let removed = keys.remove(key) != nil
            self = .many(keys)
            return removed
        }
    }

    /// The keys, in no particular order.
    func makeIterator() -> Iterator {
        switch self {
        case .one(let key): Iterator(single: key, keys: nil)
        case .many(let keys): Iterator(single: nil, keys: keys.makeIterator())
        }
    }

    /// Goes through the keys, the inline one or the set's.
    struct Iterator: IteratorProtocol {
        fileprivate var single: HashedKey?
        fileprivate var keys: Set<HashedKey>.Iterator?

        /// The next key, `nil` after the last.
        mutating func next() -> HashedKey? {
            if let key = single {
                single = nil
                return key
            }
            return keys?.next()
        }
    }

    /// ``count``: every key is counted.
    var underestimatedCount: Int { count }
}
