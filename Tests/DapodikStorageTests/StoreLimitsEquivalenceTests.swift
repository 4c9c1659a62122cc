import DapodikLanguage
import DapodikTestSupport
import Testing

@testable import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `StoreLimits.validate` compares keys and index names without building sets; it must accept and
/// refuse exactly the batches the set-based version (`LegacyStoreLimits`) did, with the same error.
@Suite("StoreLimits.validate against the set-based version")
struct StoreLimitsEquivalenceTests {
    @Test("20,000 seeded batches: the same acceptance and the same StoreError, with every error reached")
    func seededBatches() {
        var random = SeededGenerator(seed: 0x15_5701_e11)
        var reached: Set<String> = []
        var accepted = 0
        for _ in 0..<20_000 {
            let batch = Self.batch(using: &random)
            let expected = Self.outcome { () throws(StoreError) in try LegacyStoreLimits.validate(batch) }
            let actual = Self.outcome { () throws(StoreError) in try StoreLimits.validate(batch) }
            #expect(actual == expected, "\(batch.map(\.key))")
            if let expected { reached.insert(expected.message.english.prefix(12).description) } else { accepted += 1 }
        }
        #expect(accepted > 2_000)
        // Empty, repeated key, collection and id length, index count, index name length, index value
        // length, index twice (its English messages' first words differ).
        #expect(reached.count >= 7, "\(reached.sorted())")
    }

    @Test("batches over the limits: too many mutations, a value too large, a commit too large")
    func largeBatches() {
        let key = { (id: Int) in RecordKey(collection: "c", id: String(id)) }
        let many = (0...StoreLimits.maximumMutationsPerCommit).map {
            Mutation.put(key($0), value: Data(), expecting: .any)
        }
        let manyLastRepeated = Array(many.dropLast(2)) + [many[5]]
        let large = Data(count: StoreLimits.maximumValueBytes + 1)
        let full = Data(count: StoreLimits.maximumValueBytes)
        let batches: [[Mutation]] = [
            many, Array(many.dropLast()), manyLastRepeated,
            [.put(key(1), value: large, expecting: .any)],
            (0..<5).map { .put(key($0), value: full, expecting: .any) },
            (0..<4).map { .put(key($0), value: full, expecting: .any) },
        ]
        for batch in batches {
            let expected = Self.outcome { () throws(StoreError) in try LegacyStoreLimits.validate(batch) }
            let actual = Self.outcome { () throws(StoreError) in try StoreLimits.validate(batch) }
            #expect(actual == expected)
        }
        #expect(Self.outcome { () throws(StoreError) in try StoreLimits.validate(batches[3]) } != nil)
        #expect(Self.outcome { () throws(StoreError) in try StoreLimits.validate(batches[5]) } == nil)
    }

    private static func outcome(_ validate: () throws(StoreError) -> Void) -> StoreError? {
        do {
            try validate()
            return nil
        } catch {
            return error
        }
    }

    // Names that are equal as `String`s but not as bytes ("é" composed and decomposed), empty,
    // at and over the limits.
    private static let collections = [
        "accounts", "challenges", "", "\u{E9}", "e\u{301}", String(repeating: "c", count: 255),
        String(repeating: "c", count: 256),
    ]
    private static let ids = [
        "1", "2", "3", "a", "b", "", "\u{E9}", "e\u{301}", String(repeating: "i", count: 1024),
        String(repeating: "i", count: 1025),
    ]
    private static let indexNames = [
        "email", "open", "due", "account", "", "\u{E9}", "e\u{301}", "\u{212B}", "\u{C5}",
        String(repeating: "n", count: 255), String(repeating: "n", count: 256),
    ]
    private static let indexValues = [
        "x", "", "ptk.1@sekolah.sch.id", String(repeating: "v", count: 1024), String(repeating: "v", count: 1025),
    ]

    private static func batch(using random: inout SeededGenerator) -> [Mutation] {
        let count: Int
        switch Int.random(in: 0..<20, using: &random) {
        case 0: count = 0
        case 1...3: count = Int.random(in: 14...40, using: &random)
        default: count = Int.random(in: 1...6, using: &random)
        }
        // Mostly valid pieces, now and then one that is not.
        let rare = { (random: inout SeededGenerator) in Int.random(in: 0..<40, using: &random) == 0 }
        return (0..<count).map { _ in
            let collection = rare(&random) ? collections.randomElement(using: &random)! : "accounts"
            let id =
                rare(&random) ? ids.randomElement(using: &random)! : String(Int.random(in: 0..<200, using: &random))
            let key = RecordKey(collection: collection, id: id)
            let expectations: [DapodikStorage.Expectation] = [.any, .mustNotExist, .version(3)]
            let expectation = expectations.randomElement(using: &random)!
            if Bool.random(using: &random), Bool.random(using: &random) {
                return .delete(key, expecting: expectation)
            }
            let indexCount =
                rare(&random)
                ? Int.random(in: 30...34, using: &random) : Int.random(in: 0...4, using: &random)
            let indexes = (0..<indexCount).map { position in
                let name =
                    indexCount > 4 && !rare(&random)
                    ? "index\(position)" : indexNames.randomElement(using: &random)!
                let value = rare(&random) ? indexValues.randomElement(using: &random)! : "value"
                return IndexEntry(name: name, value: value, isUnique: Bool.random(using: &random))
            }
            let value = Data(random.bytes(Int.random(in: 0...8, using: &random)))
            return .put(key, value: value, indexes: indexes, expecting: expectation)
        }
    }
}
