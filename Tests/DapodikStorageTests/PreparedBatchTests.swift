import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// How a batch's own unique claims are matched before a store takes its lock: a claim of a value an
/// earlier mutation of the batch claimed names that first claimant, in batches of one claim (nothing
/// to match) to hundreds.
@Suite("A batch's unique claims matched against each other")
struct PreparedBatchTests {
    /// Random batches of puts and deletes, each put with 0 to 3 index entries drawn from few names and
    /// values (so that claims collide), against the rule written out plainly.
    @Test(
        "every claim names the first earlier claimant of its index and value, in batches of 1 to 300 mutations",
        arguments: [1, 2, 5, 16, 17, 40, 300])
    func earlierClaimants(batchSize: Int) {
        var generator = SeededGenerator(seed: UInt64(batchSize))
        for _ in 0..<200 {
            let mutations = (0..<batchSize).map { position in
                Self.randomMutation(position, using: &generator)
            }
            let claims = PreparedBatch(mutations).uniqueClaims
            var expected: [(position: Int, index: String, value: String, earlier: RecordKey?)] = []
            for (position, mutation) in mutations.enumerated() {
                guard case .put(_, let indexes) = mutation.kind else { continue }
                for entry in indexes where entry.isUnique {
                    let earlier = expected.first { $0.index == entry.name && $0.value == entry.value }
                    expected.append((position, entry.name, entry.value, earlier.map { mutations[$0.position].key }))
                }
            }
            #expect(claims.count == expected.count)
            for (claim, wanted) in zip(claims, expected) {
                #expect(claim.position == wanted.position)
                #expect(claim.index == wanted.index)
                #expect(claim.value.value == wanted.value)
                #expect(claim.earlierClaimant == wanted.earlier)
            }
        }
    }

    @Test("values equal only canonically (é as one code point or two) are different claims, in small and large batches")
    func exactBytes() {
        let spellings = ["caf\u{E9}@x.id", "cafe\u{301}@x.id"]
        for size in [2, 40] {
            let mutations = (0..<size).map { position in
                Mutation.put(
                    RecordKey(collection: "account", id: "a\(position)"), value: Data(),
                    indexes: [.unique("account.email", position < 2 ? spellings[position] : "u\(position)@x.id")],
                    expecting: .mustNotExist)
            }
            #expect(PreparedBatch(mutations).uniqueClaims.allSatisfy { $0.earlierClaimant == nil })
        }
    }

    private static func randomMutation(_ position: Int, using generator: inout SeededGenerator) -> Mutation {
        let key = RecordKey(collection: "account", id: "a\(position)")
        if Int.random(in: 0..<5, using: &generator) == 0 { return .delete(key, expecting: .any) }
        let names = ["account.email", "account.username", "account.nik"]
        let indexes = names.shuffled(using: &generator).prefix(Int.random(in: 0...3, using: &generator)).map { name in
            IndexEntry(
                name: name, value: "v\(Int.random(in: 0..<6, using: &generator))",
                isUnique: Int.random(in: 0..<4, using: &generator) != 0)
        }
        return .put(key, value: Data(), indexes: indexes, expecting: .any)
    }
}
