import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// The distinct values of a non-unique index, kept in sorted runs: the same order and contents as
/// one sorted array (the structure they replace, kept here as the oracle), with no run ever longer
/// than its limit, so an insert or a removal never moves more than a run.
@Suite("Sorted runs of index values")
struct SortedStringsTests {
    /// Strings of every kind the index takes: empty, ASCII, non-ASCII (two-, three- and four-byte
    /// UTF-8), long, and prefixes of one another.
    static func randomValue(using generator: inout SeededGenerator) -> String {
        let alphabet: [Character] = ["a", "b", "z", "0", "9", "|", "é", "ß", "日", "本", "😀", "\u{7F}", " "]
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return ""
        case 1: return String(repeating: "x", count: Int.random(in: 100...2_000, using: &generator))
        default:
            let length = Int.random(in: 1...12, using: &generator)
            return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }

    /// The oracle: one array sorted by UTF-8 bytes.
    static func sortedByBytes(_ values: Set<String>) -> [String] {
        values.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    @Test("random inserts and removals keep the order of one sorted array, runs within their limit")
    func randomOperations() {
        var generator = SeededGenerator(seed: 0x15_0001)
        var list = SortedStrings()
        var oracle = Set<String>()
        for step in 0..<20_000 {
            let value = Self.randomValue(using: &generator)
            // Values are distinct byte strings: the index never hands over a canonical twin.
            if Bool.random(using: &generator) || oracle.count < 50 {
                if !oracle.contains(where: { $0.utf8.elementsEqual(value.utf8) }) {
                    list.insert(value)
                    oracle.insert(value)
                }
            } else if let victim = oracle.randomElement(using: &generator) {
                list.remove(victim)
                oracle.remove(victim)
            }
            if step % 2_000 == 0 {
                #expect(list.all == Self.sortedByBytes(oracle), "step \(step)")
            }
        }
        #expect(list.all == Self.sortedByBytes(oracle))
        #expect(list.count == oracle.count)
        #expect(list.longestRun <= SortedStrings.runLimit)
    }

    @Test("ascending distinct values (time-ordered keys) split runs instead of growing one")
    func ascendingValues() {
        var list = SortedStrings()
        let values = (0..<10_000).map { String(format: "%08d|m%d", $0, $0) }
        for value in values { list.insert(value) }
        #expect(list.all == values)
        #expect(list.longestRun <= SortedStrings.runLimit)
        for value in values where value.hasSuffix("7") { list.remove(value) }
        #expect(list.all == values.filter { !$0.hasSuffix("7") })
    }

    @Test("walking from a lower bound visits the oracle's suffix, and stops when told")
    func walkFromLowerBound() {
        var generator = SeededGenerator(seed: 0x15_0002)
        var oracleSet = Set<String>()
        while oracleSet.count < 3_000 { oracleSet.insert(Self.randomValue(using: &generator)) }
        let oracle = Self.sortedByBytes(oracleSet)
        let list = SortedStrings(sorted: oracle)
        #expect(list.longestRun <= SortedStrings.runLimit)
        for _ in 0..<300 {
            let lower = Self.randomValue(using: &generator)
            let expected = oracle.filter { !$0.utf8.lexicographicallyPrecedes(lower.utf8) }
            var seen: [String] = []
            list.forEach(from: lower) {
                seen.append($0)
                return true
            }
            #expect(seen == expected, "from \(lower.debugDescription)")
            var firstThree: [String] = []
            list.forEach(from: lower) {
                firstThree.append($0)
                return firstThree.count < 3
            }
            #expect(firstThree == Array(expected.prefix(3)))
        }
    }

    @Test("removing a value that is absent changes nothing; an empty list walks nothing")
    func absentValues() {
        var list = SortedStrings()
        list.remove("a")
        var visited = 0
        list.forEach(from: "") { _ in
            visited += 1
            return true
        }
        #expect(visited == 0)
        list.insert("b")
        list.remove("a")
        list.remove("c")
        #expect(list.all == ["b"])
        list.remove("b")
        #expect(list.all.isEmpty && list.count == 0)
    }
}
