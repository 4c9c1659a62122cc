import DapodikTestSupport
import Testing

@testable import DapodikStorage

/// A non-unique index keeps one key inline per value and a set from the second on: the keys of each
/// value, the distinct values in order, and whether a value is new or gone are the same either way.
@Suite("A non-unique index's members")
struct NonUniqueIndexTests {
    @Test("one key, a second, the same again, and back to none")
    func oneToManyAndBack() {
        let first = HashedKey(RecordKey(collection: "c", id: "a"))
        let second = HashedKey(RecordKey(collection: "c", id: "b"))
        let absent = HashedKey(RecordKey(collection: "c", id: "z"))
        var members = IndexMembers.empty
        #expect(members.isEmpty)
        // What `insert` says: whether the value was held by none before.
        let firstTwice = [members.insert(first), members.insert(first)]
        #expect(firstTwice == [true, false])
        #expect(Array(members) == [first])
        let secondIsFirst = members.insert(second)
        #expect(!secondIsFirst)
        #expect(Set(members) == [first, second])
        #expect(members.count == 2)
        // What `remove` says: whether the key was there.
        let removals = [members.remove(absent), members.remove(first)]
        #expect(removals == [false, true])
        #expect(Array(members) == [second])
        let removedLast = members.remove(second)
        #expect(removedLast)
        #expect(members.isEmpty && Array(members).isEmpty)
        // Empty again, the next key is the value's first.
        let again = [members.insert(first), members.remove(second), members.remove(first)]
        #expect(again == [true, false, true])
        #expect(members.isEmpty)
    }

    /// Seeded random inserts and removes over few values and keys (so values go from none to one to
    /// many and back), against a plain model: a set of keys per value.
    @Test("random inserts and removes read back as a set of keys per value", arguments: [1, 2, 3])
    func randomAgainstModel(seed: UInt64) {
        var generator = SeededGenerator(seed: seed)
        var index = NonUniqueIndex()
        var model: [String: Set<RecordKey>] = [:]
        let values = ["v0", "v1", "v2", "v3"]
        let keys = (0..<6).map { RecordKey(collection: "c", id: "k\($0)") }
        for step in 0..<2_000 {
            let value = values.randomElement(using: &generator)!
            let key = keys.randomElement(using: &generator)!
            if Bool.random(using: &generator) {
                index.insert(ExactString(value), HashedKey(key))
                model[value, default: []].insert(key)
            } else {
                index.remove(ExactString(value), HashedKey(key))
                model[value]?.remove(key)
                if model[value]?.isEmpty == true { model[value] = nil }
            }
            for value in values {
                #expect(index.keys(equal: value) == (model[value] ?? []).sorted(), "step \(step), value \(value)")
            }
            let expected = model.keys.sorted().flatMap { value in model[value]!.sorted().map { (value, $0) } }
            let ranged = index.members(from: "", to: nil, limit: .max)
            #expect(ranged.map(\.0) == expected.map(\.0), "step \(step)")
            #expect(ranged.map(\.1) == expected.map(\.1), "step \(step)")
            #expect(index.isEmpty == model.isEmpty)
        }
    }
}
