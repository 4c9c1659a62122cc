import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// What the in-memory store does outside its lock (issue 15: validation, hashing, the batch's own
/// unique claims and its change-feed order before; the replaced records' release after) must change
/// none of the commit rules: the same outcome, the same error and the same state as the rules applied
/// in one piece, and the checks that need the store's state still atomic with the writes.
@Suite("In-memory store's critical section")
struct InMemoryCriticalSectionTests {
    @Test(
        "5,000 seeded batches: the same outcome, error, records, indexes and change feed as the commit rules in one piece"
    )
    func seededBatchesMatchTheRulesInOnePiece() async throws {
        var generator = SeededGenerator(seed: 0x15_0015)
        let store = InMemoryRecordStore()
        var model = CommitRulesModel()
        var failures = 0
        for _ in 0..<5_000 {
            let batch = CommitRulesModel.randomBatch(using: &generator, current: model)
            let expected = model.commit(batch)
            let actual: Result<UInt64, StoreError>
            do { actual = .success(try await store.commit(batch)) } catch let error as StoreError {
                actual = .failure(error)
            }
            #expect(actual == expected, "batch \(batch)")
            if case .failure = expected { failures += 1 }
        }
        // Both outcomes must be common for the comparison to mean anything.
        #expect(failures > 1_000 && failures < 4_000, "\(failures) of 5,000 batches failed")
        for id in CommitRulesModel.ids {
            let key = RecordKey(collection: "c", id: id)
            #expect(try await store.record(for: key) == model.record(key))
        }
        for value in CommitRulesModel.values {
            for index in ["u1", "u2"] {
                #expect(try await store.record(whereUnique: index, equals: value) == model.holderRecord(index, value))
            }
            #expect(try await store.records(where: "n", equals: value) == model.records(where: "n", equals: value))
        }
        let feed = try await store.changes(after: 0, limit: .max)
        #expect(feed.count == model.history.count)
        #expect(feed == model.history)
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("a commit that fails validation or a check changes nothing: records, indexes, change feed, sequence")
    func failedCommitChangesNothing() async throws {
        let store = InMemoryRecordStore()
        let a = RecordKey(collection: "account", id: "a")
        let b = RecordKey(collection: "account", id: "b")
        let c = RecordKey(collection: "account", id: "c")
        try await store.commit([
            .put(
                a, value: Data("a".utf8), indexes: [.unique("email", "a@x"), .nonUnique("school", "s")], expecting: .any
            ),
            .put(b, value: Data("b".utf8), indexes: [.unique("email", "b@x")], expecting: .any),
        ])
        let before = try await snapshot(of: store, keys: [a, b, c])
        let failing: [[Mutation]] = [
            // Validation: the same key twice, an index value over the limit.
            [.put(c, value: Data(), expecting: .any), .delete(c, expecting: .any)],
            [
                .put(
                    c, value: Data(), indexes: [.unique("email", String(repeating: "x", count: 1_025))], expecting: .any
                )
            ],
            // A version conflict after a write that alone would succeed.
            [.put(c, value: Data("c".utf8), expecting: .any), .put(a, value: Data(), expecting: .version(7))],
            [.delete(b, expecting: .any), .put(a, value: Data(), expecting: .mustNotExist)],
            // A unique value held by another record, and one claimed twice in the batch.
            [.put(c, value: Data(), indexes: [.unique("email", "a@x")], expecting: .any)],
            [
                .delete(a, expecting: .any),
                .put(c, value: Data(), indexes: [.unique("email", "n@x")], expecting: .any),
                .put(b, value: Data(), indexes: [.unique("email", "n@x")], expecting: .any),
            ],
        ]
        for batch in failing {
            await #expect(throws: StoreError.self) { try await store.commit(batch) }
            #expect(try await snapshot(of: store, keys: [a, b, c]) == before, "after \(batch)")
        }
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("8 tasks taking and releasing one unique value 5,000 times each: never two holders at once")
    func concurrentClaimsKeepUniqueness() async throws {
        let store = InMemoryRecordStore()
        let attempts = 5_000
        // Each task claims the value with a key of its own (so only the unique index keeps them apart),
        // checks that it is the holder, and releases the value by deleting its record. Every attempt
        // collides with the others: a holder check that is not atomic with the write lets a second
        // claimant in while the first still holds the value, and the first then reads another holder.
        let (taken, intruded) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for claimant in 0..<8 {
                group.addTask {
                    let key = RecordKey(collection: "lease", id: "t\(claimant)")
                    var taken = 0
                    var intruded = 0
                    for _ in 0..<attempts {
                        do {
                            try await store.commit([
                                .put(
                                    key, value: Data(), indexes: [.unique("lease.name", "v")], expecting: .mustNotExist)
                            ])
                        } catch let error as StoreError where error.code == .uniqueConstraint {
                            continue
                        }
                        taken += 1
                        if try await store.record(whereUnique: "lease.name", equals: "v")?.key != key { intruded += 1 }
                        try await store.commit([.delete(key, expecting: .any)])
                    }
                    return (taken, intruded)
                }
            }
            return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        #expect(intruded == 0, "\(intruded) of \(taken) holders found another holder")
        #expect(taken > 0)
        #expect(try await store.record(whereUnique: "lease.name", equals: "v") == nil)
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("8 tasks incrementing one record with version checks: no increment lost, no version skipped")
    func concurrentVersionChecksLoseNoUpdate() async throws {
        let store = InMemoryRecordStore()
        let counter = RecordKey(collection: "counter", id: "c")
        try await store.commit([.put(counter, value: Data("0".utf8), expecting: .mustNotExist)])
        let increments = 300
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var done = 0
                    while done < increments {
                        let current = try await store.record(for: counter)!
                        let next = Int(String(decoding: current.value, as: UTF8.self))! + 1
                        do {
                            try await store.commit([
                                .put(counter, value: Data("\(next)".utf8), expecting: .version(current.version))
                            ])
                            done += 1
                        } catch let error as StoreError where error.code == .versionMismatch {}
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await store.record(for: counter)!
        #expect(String(decoding: final.value, as: UTF8.self) == "\(8 * increments)")
        #expect(final.version == UInt64(8 * increments + 1))
        let feed = try await store.changes(after: 0, limit: .max)
        #expect(feed.count == 8 * increments + 1)
        #expect(feed.map { $0.puts[0].version }.elementsEqual(1...UInt64(8 * increments + 1)))
    }

    private struct Snapshot: Equatable {
        var records: [Record?]
        var holders: [Record?]
        var members: [Record]
        var feed: [ChangeBatch]
    }

    private func snapshot(of store: InMemoryRecordStore, keys: [RecordKey]) async throws -> Snapshot {
        var records: [Record?] = []
        for key in keys { records.append(try await store.record(for: key)) }
        var holders: [Record?] = []
        for value in ["a@x", "b@x", "n@x"] {
            holders.append(try await store.record(whereUnique: "email", equals: value))
        }
        return Snapshot(
            records: records, holders: holders, members: try await store.records(where: "school", equals: "s"),
            feed: try await store.changes(after: 0, limit: .max))
    }
}

/// The commit rules of ``RecordStore/commit(_:)`` written out in one piece, as the in-memory store
/// applied them before issue 15 split them around its lock: validate, check every mutation's version
/// in batch order, then every unique claim in batch order (a value claimed twice in the batch, or
/// held by a record the batch does not write), then apply.
struct CommitRulesModel {
    static let ids = ["a", "b", "c", "d", "e", "é", "e\u{301}"]
    static let values = ["x", "y", "z", "é", "e\u{301}", ""]

    private var records: [RecordKey: Record] = [:]
    private var sequence: UInt64 = 0
    private(set) var history: [ChangeBatch] = []

    func record(_ key: RecordKey) -> Record? { records[key] }

    func holderRecord(_ index: String, _ value: String) -> Record? {
        records.values.first { record in
            record.indexes.contains { $0.isUnique && $0.name == index && Array($0.value.utf8) == Array(value.utf8) }
        }
    }

    func records(where index: String, equals value: String) -> [Record] {
        records.values.filter { record in
            record.indexes.contains { !$0.isUnique && $0.name == index && Array($0.value.utf8) == Array(value.utf8) }
        }.sorted { $0.key < $1.key }
    }

    mutating func commit(_ mutations: [Mutation]) -> Result<UInt64, StoreError> {
        do {
            try StoreLimits.validate(mutations)
            var versions: [UInt64?] = []
            for mutation in mutations {
                let current = records[mutation.key]?.version
                switch mutation.expectation {
                case .any: break
                case .mustNotExist:
                    if let current { throw StoreError.alreadyExists(mutation.key, version: current) }
                case .version(let expected):
                    if current != expected {
                        throw StoreError.versionMismatch(mutation.key, expected: expected, actual: current)
                    }
                }
                versions.append(current)
            }
            let written = Set(mutations.map(\.key))
            var claims: [String: [[UInt8]: RecordKey]] = [:]
            for mutation in mutations {
                guard case .put(_, let indexes) = mutation.kind else { continue }
                for entry in indexes where entry.isUnique {
                    if let other = claims[entry.name]?[Array(entry.value.utf8)] {
                        throw StoreError.uniqueConstraint(index: entry.name, key: mutation.key, holder: other)
                    }
                    claims[entry.name, default: [:]][Array(entry.value.utf8)] = mutation.key
                    if let holder = holderRecord(entry.name, entry.value)?.key, holder != mutation.key,
                        !written.contains(holder)
                    {
                        throw StoreError.uniqueConstraint(index: entry.name, key: mutation.key, holder: holder)
                    }
                }
            }
            sequence += 1
            var batch = ChangeBatch(sequence: sequence, puts: [], deletes: [])
            for (mutation, current) in zip(mutations, versions) {
                switch mutation.kind {
                case .put(let value, let indexes):
                    let record = Record(
                        key: mutation.key, version: (current ?? 0) + 1, value: value, indexes: indexes,
                        sequence: sequence)
                    records[mutation.key] = record
                    batch.puts.append(record)
                case .delete:
                    if current != nil {
                        records[mutation.key] = nil
                        batch.deletes.append(mutation.key)
                    }
                }
            }
            batch.puts.sort { $0.key < $1.key }
            batch.deletes.sort()
            history.append(batch)
            return .success(sequence)
        } catch let error as StoreError {
            return .failure(error)
        } catch {
            preconditionFailure("only StoreError is thrown: \(error)")
        }
    }

    /// A batch of one to four mutations over a few keys and index values (canonically equivalent
    /// spellings among them), with expectations that often hold and often do not.
    static func randomBatch(using generator: inout SeededGenerator, current model: CommitRulesModel) -> [Mutation] {
        var batch: [Mutation] = []
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            let key = RecordKey(collection: "c", id: ids.randomElement(using: &generator)!)
            let version = model.records[key]?.version
            let expectation: DapodikStorage.Expectation
            switch Int.random(in: 0..<6, using: &generator) {
            case 0, 1: expectation = .any
            case 2: expectation = .mustNotExist
            case 3: expectation = .version(UInt64.random(in: 1...3, using: &generator))
            default: expectation = version.map { .version($0) } ?? .mustNotExist
            }
            if Int.random(in: 0..<5, using: &generator) == 0 {
                batch.append(.delete(key, expecting: expectation))
                continue
            }
            var indexes: [IndexEntry] = []
            for name in ["u1", "u2"] where Int.random(in: 0..<3, using: &generator) == 0 {
                indexes.append(.unique(name, values.randomElement(using: &generator)!))
            }
            if Bool.random(using: &generator) {
                indexes.append(.nonUnique("n", values.randomElement(using: &generator)!))
            }
            indexes.shuffle(using: &generator)
            let value = Data("v\(UInt8.random(in: 0...255, using: &generator))".utf8)
            batch.append(.put(key, value: value, indexes: indexes, expecting: expectation))
        }
        return batch
    }
}
