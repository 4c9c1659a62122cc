import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// How the in-memory store (and the table every store shares) keeps its indexes on update: entries
/// a new version keeps are left alone, entries it drops or adds are maintained, and the result is
/// always what a table rebuilt from the records would hold.
@Suite("In-memory index maintenance")
struct InMemoryIndexMaintenanceTests {
    func account(_ n: Int, school: String, email: String, expecting: DapodikStorage.Expectation = .any) -> Mutation {
        .put(
            RecordKey(collection: "account", id: "a\(n)"), value: Data("account \(n)".utf8),
            indexes: [.unique("account.email", email), .nonUnique("account.school", school)], expecting: expecting)
    }

    @Test("an update that keeps its index entries touches no index (the school's thousands of members)")
    func updateKeepingIndexesTouchesNoIndex() async throws {
        let store = InMemoryRecordStore()
        for n in 0..<1_000 {
            try await store.commit([account(n, school: "20100101", email: "guru\(n)@sekolah.sch.id")])
        }
        let before = store.indexWriteCount()
        #expect(before == 2_000)
        try await store.commit([account(7, school: "20100101", email: "guru7@sekolah.sch.id")])
        #expect(store.indexWriteCount() == before, "the kept school and e-mail entries were rewritten")
        // A changed e-mail: its old entry removed, the new one added; the school stays.
        try await store.commit([account(7, school: "20100101", email: "baru7@sekolah.sch.id")])
        #expect(store.indexWriteCount() == before + 2)
        #expect(try await store.record(whereUnique: "account.email", equals: "guru7@sekolah.sch.id") == nil)
        #expect(try await store.record(whereUnique: "account.email", equals: "baru7@sekolah.sch.id")?.key.id == "a7")
        #expect(try await store.records(where: "account.school", equals: "20100101").count == 1_000)
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("an update to a canonically equivalent spelling re-indexes: entries are kept only when byte-identical")
    func canonicallyEquivalentUpdateReindexes() async throws {
        let store = InMemoryRecordStore()
        let composed = "sekolah \u{E9}"  // é as one scalar
        let decomposed = "sekolah e\u{301}"  // e and a combining acute: == to `composed`, other bytes
        #expect(composed == decomposed)
        try await store.commit([account(1, school: composed, email: "guru1@sekolah.sch.id")])
        let before = store.indexWriteCount()
        // Same entries, same order, but the school's bytes differ: the old entry goes, the new one comes.
        try await store.commit([account(1, school: decomposed, email: "guru1@sekolah.sch.id")])
        #expect(store.indexWriteCount() == before + 2, "a byte-different value was taken for the kept entry")
        #expect(try await store.records(where: "account.school", equals: composed).isEmpty)
        #expect(try await store.records(where: "account.school", equals: decomposed).map(\.key.id) == ["a1"])
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("random puts, updates and deletes leave the indexes a rebuild would produce, ranges in order")
    func randomMaintenanceMatchesRebuild() async throws {
        var generator = SeededGenerator(seed: 0x15_0003)
        let store = InMemoryRecordStore()
        let schools = ["", "20100101", "20100102", "sekolah é", "學校", "😀"]
        for step in 0..<3_000 {
            let n = Int.random(in: 0..<200, using: &generator)
            let key = RecordKey(collection: "challenge", id: "c\(n)")
            if Int.random(in: 0..<5, using: &generator) == 0 {
                try await store.commit([.delete(key, expecting: .any)])
                continue
            }
            var indexes: [IndexEntry] = [.nonUnique("challenge.account", "acct-\(n)")]
            if Bool.random(using: &generator) {
                indexes.append(.nonUnique("challenge.school", schools.randomElement(using: &generator)!))
            }
            if Bool.random(using: &generator) {
                indexes.append(.nonUnique("outbox.due", String(format: "%010d|c%d", step, n)))
            }
            indexes.shuffle(using: &generator)
            try await store.commit([.put(key, value: Data("\(step)".utf8), indexes: indexes, expecting: .any)])
        }
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        let due = try await store.records(in: "outbox.due", from: "", to: "~", limit: .max)
        let dueValues = due.map { record in record.indexes.first { $0.name == "outbox.due" }!.value }
        #expect(dueValues == dueValues.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(Set(due.map(\.key)).count == due.count)
    }

    /// The history shares an update's key and index entries with the version before when they are the
    /// same byte for byte; the change feed must still give back each version as it was written.
    @Test("the change feed gives back every version's key and index entries byte for byte")
    func feedKeepsEveryVersionsBytes() async throws {
        var generator = SeededGenerator(seed: 0x15_0011)
        let store = InMemoryRecordStore()
        // Two spellings of one school, equal as strings, different bytes.
        let schools = ["20100101", "sekolah \u{E9}", "sekolah e\u{301}"]
        var written: [(key: [UInt8], indexes: [[UInt8]])] = []
        for step in 0..<2_000 {
            let n = Int.random(in: 0..<20, using: &generator)
            let key = RecordKey(collection: "challenge", id: "c\(n)")
            var indexes: [IndexEntry] = [.nonUnique("challenge.school", schools.randomElement(using: &generator)!)]
            if Bool.random(using: &generator) { indexes.append(.unique("challenge.open", "open-\(n)")) }
            try await store.commit([.put(key, value: Data("\(step)".utf8), indexes: indexes, expecting: .any)])
            written.append(
                (Array(key.description.utf8), indexes.map { Array("\($0.isUnique) \($0.name)=\($0.value)".utf8) }))
        }
        let feed = try await store.changes(after: 0, limit: .max).flatMap(\.puts)
        #expect(feed.count == written.count)
        for (record, wanted) in zip(feed, written) {
            #expect(Array(record.key.description.utf8) == wanted.key)
            #expect(record.indexes.map { Array("\($0.isUnique) \($0.name)=\($0.value)".utf8) } == wanted.indexes)
        }
    }
}
