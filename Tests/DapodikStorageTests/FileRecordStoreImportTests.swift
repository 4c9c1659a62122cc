import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// `FileRecordStore.importRecords` (issue 15): records written straight into the next generation,
/// with every check of a commit, all or nothing. The fault and crash sweeps (FaultSweepTests, operation
/// "import") fail and kill it at each of its system calls.
@Suite("FileRecordStore bulk import", .timeLimit(.minutes(10)))
struct FileRecordStoreImportTests {
    /// Person n: a unique e-mail, a non-unique school (n % 7) and a non-unique group (n % 3).
    static func person(_ n: Int, email: String? = nil) -> Mutation {
        .put(
            key("person", String(format: "%05d", n)), value: bytes("person \(n)"),
            indexes: [
                .unique("person.email", email ?? "p\(n)@example.id"), .nonUnique("person.school", "s\(n % 7)"),
                .nonUnique("person.group", "g\(n % 3)"),
            ],
            expecting: .mustNotExist)
    }

    /// Batches of people: `range` split into batches of `size`, in descending key order inside each
    /// (the import orders them itself).
    static func batches(_ range: ClosedRange<Int>, size: Int) -> [[Mutation]] {
        stride(from: range.lowerBound, through: range.upperBound, by: size).map { start in
            (start...min(start + size - 1, range.upperBound)).reversed().map { person($0) }
        }
    }

    /// A store with history: people 1...30 committed and compacted into the snapshot, then 31...40
    /// committed, person 5 changed (school moved) and person 6 deleted, in the log.
    static func storeWithHistory(_ scratch: TemporaryDirectory) async throws -> FileRecordStore {
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        let store = try FileRecordStore(directory: scratch.store, options: options)
        for batch in batches(1...30, size: 10) { try await store.commit(batch) }
        try await store.compact()
        for batch in batches(31...40, size: 5) { try await store.commit(batch) }
        try await store.commit(
            .put(
                key("person", "00005"), value: bytes("person 5, moved"),
                indexes: [.unique("person.email", "p5@example.id"), .nonUnique("person.school", "s6")],
                expecting: .version(1)))
        try await store.commit(.delete(key("person", "00006"), expecting: .version(1)))
        return store
    }

    /// Everything the store answers: every record by key, by unique value and by non-unique values,
    /// the range scans and the whole change feed.
    static func contents(_ store: any RecordStore, people: ClosedRange<Int>) async throws -> [String] {
        var lines: [String] = []
        for n in people {
            let record = try await store.record(for: key("person", String(format: "%05d", n)))
            lines.append("\(n): \(text(record) ?? "-") v\(record?.version ?? 0)")
            let byEmail = try await store.record(whereUnique: "person.email", equals: "p\(n)@example.id")
            lines.append("email \(n): \(byEmail?.key.id ?? "-")")
        }
        for school in 0..<7 {
            let members = try await store.records(where: "person.school", equals: "s\(school)").map(\.key.id)
            lines.append("s\(school): \(members)")
        }
        for (name, lower, upper) in [("person.school", "s2", "s5"), ("person.group", "g", "h")] {
            let members = try await store.records(in: name, from: lower, to: upper, limit: 1000)
            lines.append("\(name) \(lower)..<\(upper): \(members.map(\.key.id))")
        }
        for batch in try await store.changes(after: 0, limit: 10_000) {
            lines.append("change \(batch.sequence): \(batch.puts.map(\.key.id)) \(batch.deletes.map(\.id))")
        }
        return lines
    }

    @Test("an import into a store with a snapshot and a log answers every read as commits of the same batches would")
    func importEqualsCommits() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.storeWithHistory(scratch)
        let referenceScratch = try TemporaryDirectory("storage")
        let reference = try await Self.storeWithHistory(referenceScratch)
        let imported = Self.batches(41...300, size: 40)
        let last = try await store.importRecords(imported)
        for batch in imported { try await reference.commit(batch) }
        try await reference.compact()
        #expect(last == 7 + UInt64(imported.count))
        let expected = try await Self.contents(reference, people: 1...301)
        #expect(try await Self.contents(store, people: 1...301) == expected)
        let summaries = try store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        // The imported records are in the new generation's snapshot: a new process's view (a fresh
        // handle) answers the same, and the next commit continues the sequence.
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(try await Self.contents(reopened, people: 1...301) == expected)
        #expect(try await reopened.commit(Self.person(400)) == last + 1)
        // The log holds only that one commit (its file is preallocated with zeros, so its size says
        // nothing; the written end does).
        #expect(reopened.logEnd < 1000, "the imported records are not in the log")
    }

    @Test("an import into a new store is one generation, and the change feed has one batch per imported batch")
    func importIntoNewStore() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.importRecords(Self.batches(1...100, size: 30)) == 4)
        #expect(store.generation == 2)
        let changes = try await store.changes(after: 0, limit: 100)
        #expect(changes.map(\.sequence) == [1, 2, 3, 4])
        #expect(changes.map(\.puts.count) == [30, 30, 30, 10])
        #expect(changes[0].puts.map(\.key.id) == (1...30).map { String(format: "%05d", $0) })
        #expect(changes.allSatisfy { $0.puts.allSatisfy { $0.version == 1 } })
        #expect(try await store.changes(after: 2, limit: 1).map(\.sequence) == [3])
    }

    /// Imports that must be refused, each with the error it must raise.
    static let refusals: [(String, [[Mutation]], StoreError.Code, String?)] = [
        ("a key in the snapshot", [[person(50)], [person(7)]], .alreadyExists, "00007"),
        ("a key in the log", [[person(33)]], .alreadyExists, "00033"),
        ("a key twice in the import", [[person(50)], [person(51), person(50)]], .alreadyExists, "00050"),
        ("an e-mail held in the snapshot", [[person(50, email: "p9@example.id")]], .uniqueConstraint, "00050"),
        ("an e-mail held in the log", [[person(50, email: "p35@example.id")]], .uniqueConstraint, "00050"),
        (
            "an e-mail twice in the import", [[person(50), person(51, email: "p50@example.id")]], .uniqueConstraint,
            "00051"
        ),
        ("a delete", [[.delete(key("person", "00001"), expecting: .any)]], .invalidInput, "00001"),
        (
            "a put that may replace",
            [[.put(key("person", "00060"), value: bytes("x"), expecting: .any)]], .invalidInput, "00060"
        ),
        ("an empty batch", [[person(50)], []], .invalidInput, nil),
    ]

    @Test(
        "a refused import raises the store's typed error and changes nothing, not even files",
        arguments: 0..<refusals.count)
    func refusedImport(_ index: Int) async throws {
        let (_, batches, code, id) = Self.refusals[index]
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.storeWithHistory(scratch)
        let before = try await Self.contents(store, people: 1...60)
        let files = try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted()
        let error = await #expect(throws: StoreError.self) { try await store.importRecords(batches) }
        #expect(error?.code == code)
        #expect(error?.key?.id == id)
        if code == .uniqueConstraint {
            #expect(error?.index == "person.email")
            #expect(error?.holder != nil)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted() == files)
        #expect(try await Self.contents(store, people: 1...60) == before)
        // The store is still usable, and the refused records can be committed one by one.
        #expect(try await store.commit(Self.person(55)) == 8)
    }

    @Test("another handle on the directory sees none of the imported records, then all of them")
    func anotherHandleSeesAllOrNothing() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.storeWithHistory(scratch)
        let other = try FileRecordStore(directory: scratch.store)
        #expect(try await other.record(for: key("person", "00100")) == nil)
        try await store.importRecords(Self.batches(41...120, size: 25))
        #expect(text(try await other.record(for: key("person", "00100"))) == "person 100")
        #expect(try await other.records(where: "person.school", equals: "s0").count == 17)
        // The other handle commits after the import, on the new generation.
        #expect(try await other.commit(Self.person(121)) == 12)
        #expect(text(try await store.record(for: key("person", "00121"))) == "person 121")
    }
}
