import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// Collection and index names are compared by their bytes, as keys and index values are: two names
/// equal only canonically (é as one scalar or as e and a combining accent) are two collections or two
/// indexes: in memory, in the file store's log, in a compacted snapshot, after a reopen and in a bulk
/// import. (Before, the tables and the snapshot's name numbers compared names as Swift strings: a batch
/// naming both was refused as a unique conflict, and an import wrote both collections under one name.)
@Suite("Canonically equal names")
struct CanonicallyEqualNamesTests {
    static let composed = "caf\u{E9}"
    static let decomposed = "cafe\u{301}"

    static func batch() -> [Mutation] {
        [composed, decomposed].enumerated().map { number, spelling in
            .put(
                key(spelling, "r"), value: bytes("in \(number)"),
                indexes: [.unique(spelling, "u"), .nonUnique("school." + spelling, "s")], expecting: .mustNotExist)
        }
    }

    /// Each record read back by key, by unique value and by non-unique value, with its own bytes.
    static func expectBoth(in store: any RecordStore, _ comment: Comment) async throws {
        for (number, spelling) in [composed, decomposed].enumerated() {
            let record = try await store.record(for: key(spelling, "r"))
            #expect(text(record) == "in \(number)", comment)
            #expect(record.map { Array($0.key.collection.utf8) } == Array(spelling.utf8), comment)
            let unique = try await store.record(whereUnique: spelling, equals: "u")
            #expect(unique.map { Array($0.key.collection.utf8) } == Array(spelling.utf8), comment)
            let members = try await store.records(where: "school." + spelling, equals: "s")
            #expect(members.map { Array($0.key.collection.utf8) } == [Array(spelling.utf8)], comment)
        }
    }

    @Test("in memory, committed and compacted, both collections and both indexes stay apart")
    func inMemory() async throws {
        let store = InMemoryRecordStore()
        try await store.commit(Self.batch())
        try await Self.expectBoth(in: store, "committed")
        try await store.compact()
        try await Self.expectBoth(in: store, "after compaction")
        // The index summaries keep both spellings apart too (a set of strings merged them).
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        #expect(summaries.maintained.unique.count == 2)
        #expect(summaries.maintained.nonUnique.count == 2)
    }

    @Test("committed, compacted and reopened, both collections and both indexes stay apart")
    func commitCompactReopen() async throws {
        let scratch = try TemporaryDirectory()
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(Self.batch())
        try await Self.expectBoth(in: store, "in the log")
        try await store.compact()
        try await Self.expectBoth(in: store, "after compaction")
        let reopened = try FileRecordStore(directory: scratch.store, options: options)
        try await Self.expectBoth(in: reopened, "reopened")
        let summaries = try reopened.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        #expect(summaries.maintained.unique.count == 2)
        #expect(summaries.maintained.nonUnique.count == 2)
    }

    @Test("imported and reopened, both collections and both indexes stay apart")
    func importReopen() async throws {
        let scratch = try TemporaryDirectory()
        let store = try FileRecordStore(directory: scratch.store)
        try await store.importRecords([Self.batch()])
        try await Self.expectBoth(in: store, "imported")
        let reopened = try FileRecordStore(directory: scratch.store)
        try await Self.expectBoth(in: reopened, "reopened")
    }
}
