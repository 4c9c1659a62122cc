/// The records holding each value of one non-unique index, with the distinct values kept in UTF-8
/// order for range queries.
struct NonUniqueIndex {
    private(set) var members: [String: Set<RecordKey>] = [:]
    /// The distinct values; sorted by UTF-8 bytes unless `needsSort` (after a bulk load).
    private var values: [String] = []
    /// New distinct values are appended while this is set, and sorted once on first ordered use,
    /// so that loading millions of records costs one sort, not millions of insertions.
    private var needsSort = true

    var isEmpty: Bool { members.isEmpty }

    mutating func insert(_ value: String, _ key: RecordKey) {
        if members[value, default: []].insert(key).inserted, members[value]!.count == 1 {
            if needsSort {
                values.append(value)
            } else {
                values.insert(value, at: lowerBound(value))
            }
        }
    }

    mutating func remove(_ value: String, _ key: RecordKey) {
        // In place: a copy of the set taken out of the dictionary would be copied again on removal
        // (the dictionary still references it), which costs the whole set for every update of a
        // record under a common value (all accounts of one school).
        guard let index = members.index(forKey: value), members.values[index].remove(key) != nil else { return }
        if members.values[index].isEmpty {
            members.remove(at: index)
            sortIfNeeded()
            let position = lowerBound(value)
            if position < values.count, values[position] == value {
                values.remove(at: position)
            }
        }
    }

    func keys(equal value: String) -> [RecordKey] {
        (members[value] ?? []).sorted()
    }

    mutating func keys(from lower: String, to upper: String, limit: Int) -> [RecordKey] {
        members(from: lower, to: upper, limit: limit).map(\.1)
    }

    /// The (value, key) pairs with values in `lower ..< upper`, in (value, key) order.
    mutating func members(from lower: String, to upper: String?, limit: Int) -> [(String, RecordKey)] {
        guard limit > 0, upper.map({ utf8Precedes(lower, $0) }) ?? true else { return [] }
        sortIfNeeded()
        var result: [(String, RecordKey)] = []
        var position = lowerBound(lower)
        while position < values.count, result.count < limit, upper.map({ utf8Precedes(values[position], $0) }) ?? true {
            for key in members[values[position]]!.sorted() {
                result.append((values[position], key))
                if result.count == limit { break }
            }
            position += 1
        }
        return result
    }

    private mutating func sortIfNeeded() {
        if needsSort {
            values.sort(by: utf8Precedes)
            needsSort = false
        }
    }

    private func lowerBound(_ value: String) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if utf8Precedes(values[middle], value) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
