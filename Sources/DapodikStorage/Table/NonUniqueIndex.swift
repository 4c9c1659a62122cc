/// The records holding each value of one non-unique index, with the distinct values kept in UTF-8
/// order for range queries.
struct NonUniqueIndex {
    private(set) var members: [ExactString: IndexMembers] = [:]
    /// The distinct values in UTF-8 order, once `unsorted` has been folded in.
    private var values = SortedStrings()
    /// New distinct values appended while `needsSort` is set (a bulk load), folded into `values` with
    /// one sort on first ordered use, so that loading millions of records costs one sort, not millions
    /// of insertions.
    private var unsorted: [String] = []
    private var needsSort = true

    var isEmpty: Bool { members.isEmpty }

    mutating func insert(_ exact: ExactString, _ key: HashedKey) {
        // One lookup of the value: the set is changed in place, and a new value is one whose set was empty.
        let isNewValue = members[exact, default: .empty].insert(key)
        if isNewValue {
            if needsSort {
                unsorted.append(exact.value)
            } else {
                values.insert(exact.value)
            }
        }
    }

    mutating func remove(_ exact: ExactString, _ key: HashedKey) {
        // In place: a copy of the set taken out of the dictionary would be copied again on removal
        // (the dictionary still references it), which costs the whole set for every update of a
        // record under a common value (all accounts of one school).
        guard let index = members.index(forKey: exact), members.values[index].remove(key) else {
            return
        }
        if members.values[index].isEmpty {
            members.remove(at: index)
            sortIfNeeded()
            values.remove(exact.value)
        }
    }

    func keys(equal value: String) -> [RecordKey] {
        (members[ExactString(value)] ?? .empty).map(\.key).sorted()
    }

    mutating func keys(from lower: String, to upper: String, limit: Int) -> [RecordKey] {
        members(from: lower, to: upper, limit: limit).map(\.1)
    }

    /// The (value, key) pairs with values in `lower ..< upper`, in (value, key) order.
    mutating func members(from lower: String, to upper: String?, limit: Int) -> [(String, RecordKey)] {
        guard limit > 0, upper.map({ utf8Precedes(lower, $0) }) ?? true else { return [] }
        sortIfNeeded()
        var result: [(String, RecordKey)] = []
        values.forEach(from: lower) { value in
            guard upper.map({ utf8Precedes(value, $0) }) ?? true else { return false }
            for key in members[ExactString(value)]!.map(\.key).sorted() {
                result.append((value, key))
                if result.count == limit { return false }
            }
            return true
        }
        return result
    }

    private mutating func sortIfNeeded() {
        if needsSort {
            unsorted.sort(by: utf8Precedes)
            values = SortedStrings(sorted: unsorted)
            unsorted = []
            needsSort = false
        }
    }
}
