import DapodikTestSupport
import Testing

@testable import DapodikStorage

/// How the tables place values whose hash was computed beforehand: equal values land together in every
/// collection, and values crowded into one bucket of one collection are spread again in another (the
/// reason `Dictionary` seeds each instance: copying one table into another must not keep its clusters).
@Suite("Stored hashes mixed with a collection's seed")
struct SeededHashTests {
    /// Buckets of a table of 1,024 slots, the low bits `Dictionary` takes.
    private static let bucketMask = 1_023

    @Test("equal keys and values get the same hash for every seed")
    func equalValuesAgree() {
        var generator = SeededGenerator(seed: 15)
        for _ in 0..<1_000 {
            let id = String(UInt64.random(in: 0...UInt64.max, using: &generator), radix: 36)
            let seed = Int.random(in: Int.min...Int.max, using: &generator)
            let key = RecordKey(collection: "account", id: id)
            #expect(HashedKey(key)._rawHashValue(seed: seed) == HashedKey(key)._rawHashValue(seed: seed))
            #expect(ExactString(id)._rawHashValue(seed: seed) == ExactString(id)._rawHashValue(seed: seed))
        }
    }

    @Test("values sharing a bucket under one seed are spread under another")
    func clustersDoNotCarryOver() {
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<20 {
            let first = Int.random(in: Int.min...Int.max, using: &generator)
            let second = Int.random(in: Int.min...Int.max, using: &generator)
            // Stored hashes that all fall into bucket 0 under the first seed.
            var crowded: [Int] = []
            while crowded.count < 200 {
                let hash = Int.random(in: Int.min...Int.max, using: &generator)
                if seededHash(hash, seed: first) & Self.bucketMask == 0 { crowded.append(hash) }
            }
            let buckets = Set(crowded.map { seededHash($0, seed: second) & Self.bucketMask })
            // 200 values in 1,024 buckets: about 181 distinct ones are expected; a mix that only
            // XORed the seed in would put all 200 into one bucket.
            #expect(buckets.count > 150)
        }
    }

    @Test("consecutive stored hashes fill the buckets evenly")
    func consecutiveHashesSpread() {
        var counts = [Int](repeating: 0, count: Self.bucketMask + 1)
        for hash in 0..<10_240 { counts[seededHash(hash, seed: 0x5EED) & Self.bucketMask] += 1 }
        // 10 per bucket on average; a generous bound for any bucket.
        #expect(counts.max()! <= 40)
        #expect(counts.filter { $0 == 0 }.count < 20)
    }
}
