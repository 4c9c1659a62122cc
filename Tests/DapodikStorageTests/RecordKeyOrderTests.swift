import DapodikStorage
import DapodikTestSupport
import Testing

/// Keys are equal when their bytes are, and ordered by their bytes: collection first, then id. Two
/// collection names that are equal only as Swift strings (é as one scalar or as e and a combining
/// accent) are different collections, ordered by their bytes, whatever their ids.
@Suite("Record key order")
struct RecordKeyOrderTests {
    @Test("collections equal only canonically are ordered by their bytes, not by the ids")
    func canonicallyEqualCollections() {
        let composed = RecordKey(collection: "sekolah\u{E9}", id: "a")  // bytes C3 A9
        let decomposed = RecordKey(collection: "sekolahe\u{301}", id: "b")  // bytes 65 CC 81: first
        #expect(composed != decomposed)
        #expect(decomposed < composed)
        #expect(!(composed < decomposed))
    }

    @Test("for random keys exactly one of a < b, b < a, a == b holds, and < agrees with UTF-8 byte order")
    func strictTotalOrder() {
        var generator = SeededGenerator(seed: 0x15_0012)
        let parts = ["", "a", "b", "\u{E9}", "e\u{301}", "學", "😀", "A"]
        let keys = (0..<300).map { _ in
            RecordKey(
                collection: parts.randomElement(using: &generator)! + parts.randomElement(using: &generator)!,
                id: parts.randomElement(using: &generator)!)
        }
        for a in keys {
            for b in keys {
                let outcomes = [a < b, b < a, a == b].filter { $0 }
                #expect(outcomes.count == 1, "\(a) and \(b)")
                let bytesA = Array(a.collection.utf8) + [0] + Array(a.id.utf8)
                let bytesB = Array(b.collection.utf8) + [0] + Array(b.id.utf8)
                #expect((a < b) == bytesA.lexicographicallyPrecedes(bytesB), "\(a) and \(b)")
            }
        }
    }
}
