import DapodikAccounts
import DapodikStorage
import Foundation
import Testing

/// The contract every ``RecordStore`` keeps, run against each implementation.
@Suite("RecordStore contract", .timeLimit(.minutes(1)))
struct RecordStoreContractTests {
    let account = key("account", "a1")

    @Test("a put creates version 1, each later put adds one, and sequences grow by one", arguments: StoreFactory.all)
    func versionsAndSequences(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        #expect(try await store.record(for: account) == nil)
        let first = try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        let second = try await store.commit(.put(account, value: bytes("v2"), expecting: .version(1)))
        #expect(first == 1)
        #expect(second == 2)
        let record = try #require(try await store.record(for: account))
        #expect(record.version == 2)
        #expect(record.sequence == 2)
        #expect(text(record) == "v2")
    }

    @Test("a failed expectation names the key and changes nothing", arguments: StoreFactory.all)
    func conflictsChangeNothing(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        let other = key("account", "a2")

        let exists = await storeError {
            try await store.commit([
                .put(other, value: bytes("x"), expecting: .mustNotExist),
                .put(account, value: bytes("again"), expecting: .mustNotExist),
            ])
        }
        #expect(exists?.code == .alreadyExists)
        #expect(exists?.key == account)
        #expect(exists?.isConflict == true)

        let stale = await storeError {
            try await store.commit([
                .put(other, value: bytes("x"), expecting: .any),
                .put(account, value: bytes("v2"), expecting: .version(7)),
            ])
        }
        #expect(stale?.code == .versionMismatch)
        #expect(stale?.key == account)
        #expect(stale?.expectedVersion == 7)
        #expect(stale?.actualVersion == 1)

        let missing = await storeError {
            try await store.commit(.put(other, value: bytes("x"), expecting: .version(1)))
        }
        #expect(missing?.code == .versionMismatch)
        #expect(missing?.actualVersion == nil)

        #expect(try await store.record(for: other) == nil)
        #expect(text(try await store.record(for: account)) == "v1")
        #expect(try await store.changes(after: 0).map(\.sequence) == [1])
        #expect(try await store.commit(.put(other, value: bytes("x"), expecting: .mustNotExist)) == 2)
    }

    @Test("a unique index value belongs to one record; a batch may move or swap it", arguments: StoreFactory.all)
    func uniqueIndexes(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let other = key("account", "a2")
        func email(_ value: String) -> [IndexEntry] { [.unique("account.email", value)] }
        try await store.commit(.put(account, value: bytes("1"), indexes: email("a@x.id"), expecting: .mustNotExist))

        let taken = await storeError {
            try await store.commit(.put(other, value: bytes("2"), indexes: email("a@x.id"), expecting: .mustNotExist))
        }
        #expect(taken?.code == .uniqueConstraint)
        #expect(taken?.key == other)
        #expect(taken?.holder == account)
        #expect(taken?.index == "account.email")
        #expect(try await store.record(for: other) == nil)

        let twice = await storeError {
            try await store.commit([
                .put(other, value: bytes("2"), indexes: email("b@x.id"), expecting: .mustNotExist),
                .put(key("account", "a3"), value: bytes("3"), indexes: email("b@x.id"), expecting: .mustNotExist),
            ])
        }
        #expect(twice?.code == .uniqueConstraint)

        try await store.commit(.put(other, value: bytes("2"), indexes: email("b@x.id"), expecting: .mustNotExist))
        try await store.commit([
            .put(account, value: bytes("1"), indexes: email("b@x.id"), expecting: .version(1)),
            .put(other, value: bytes("2"), indexes: email("a@x.id"), expecting: .version(1)),
        ])
        #expect(try await store.record(whereUnique: "account.email", equals: "a@x.id")?.key == other)
        #expect(try await store.record(whereUnique: "account.email", equals: "b@x.id")?.key == account)

        try await store.commit(.put(account, value: bytes("1"), indexes: email("c@x.id"), expecting: .version(2)))
        #expect(try await store.record(whereUnique: "account.email", equals: "b@x.id") == nil)
        try await store.commit(.delete(other, expecting: .version(2)))
        #expect(try await store.record(whereUnique: "account.email", equals: "a@x.id") == nil)
        try await store.commit(
            .put(key("account", "a4"), value: bytes("4"), indexes: email("a@x.id"), expecting: .mustNotExist))
        #expect(try await store.record(whereUnique: "account.email", equals: "a@x.id")?.key == key("account", "a4"))
        #expect(try await store.records(where: "account.email", equals: "a@x.id").isEmpty)
    }

    @Test(
        "non-unique indexes list by equality in key order and by half-open range in value order",
        arguments: StoreFactory.all)
    func nonUniqueIndexes(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let rows: [(String, String, String)] = [
            ("m3", "20100101", "0003"), ("m1", "20100101", "0001"), ("m2", "20100102", "0001"),
            ("m4", "20100101", "0005"), ("m5", "20100103", "0002"),
        ]
        try await store.commit(
            rows.map { id, school, due in
                .put(
                    key("outbox", id), value: bytes(id),
                    indexes: [.nonUnique("account.school", school), .nonUnique("outbox.due", due + "|" + id)],
                    expecting: .mustNotExist)
            })
        #expect(
            try await store.records(where: "account.school", equals: "20100101").map(\.key.id) == ["m1", "m3", "m4"])
        #expect(try await store.records(where: "account.school", equals: "99999999").isEmpty)
        let due = try await store.records(in: "outbox.due", from: "", to: "0004", limit: 10)
        #expect(due.map(\.key.id) == ["m1", "m2", "m5", "m3"])
        #expect(
            try await store.records(in: "outbox.due", from: "0001|m2", to: "0003|m3", limit: 10).map(\.key.id) == [
                "m2", "m5",
            ])
        #expect(try await store.records(in: "outbox.due", from: "", to: "9", limit: 2).map(\.key.id) == ["m1", "m2"])
        #expect(try await store.records(in: "outbox.due", from: "9", to: "0", limit: 10).isEmpty)
        #expect(try await store.records(in: "nothing", from: "", to: "9", limit: 10).isEmpty)

        try await store.commit([
            .delete(key("outbox", "m1"), expecting: .version(1)),
            .put(
                key("outbox", "m2"), value: bytes("m2"), indexes: [.nonUnique("outbox.due", "0009|m2")],
                expecting: .version(1)),
        ])
        #expect(
            try await store.records(in: "outbox.due", from: "", to: "0004", limit: 10).map(\.key.id) == ["m5", "m3"])
        #expect(try await store.records(where: "account.school", equals: "20100102").isEmpty)
        let error = await storeError { _ = try await store.records(in: "outbox.due", from: "", to: "9", limit: -1) }
        #expect(error?.code == .invalidInput)
    }

    @Test("deletes: conditional, and a missing key under .any is not an error", arguments: StoreFactory.all)
    func deletes(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        try await store.commit(.put(account, value: bytes("1"), expecting: .mustNotExist))
        let stale = await storeError { try await store.commit(.delete(account, expecting: .version(2))) }
        #expect(stale?.code == .versionMismatch)
        try await store.commit(.delete(account, expecting: .version(1)))
        #expect(try await store.record(for: account) == nil)
        try await store.commit(.delete(account, expecting: .any))
        let gone = await storeError { try await store.commit(.delete(account, expecting: .version(1))) }
        #expect(gone?.code == .versionMismatch)
        try await store.commit(.put(account, value: bytes("again"), expecting: .mustNotExist))
        #expect(try await store.record(for: account)?.version == 1)
    }

    static let invalidBatches: [(String, [Mutation])] = [
        ("empty batch", []),
        ("key twice", [.delete(key("a", "1"), expecting: .any), .delete(key("a", "1"), expecting: .any)]),
        ("empty collection", [.delete(key("", "1"), expecting: .any)]),
        ("empty id", [.delete(key("a", ""), expecting: .any)]),
        ("id too long", [.delete(key("a", String(repeating: "x", count: 1025)), expecting: .any)]),
        ("collection too long", [.delete(key(String(repeating: "c", count: 256), "1"), expecting: .any)]),
        (
            "index name twice",
            [.put(key("a", "1"), value: Data(), indexes: [.unique("i", "1"), .nonUnique("i", "2")], expecting: .any)]
        ),
        ("empty index name", [.put(key("a", "1"), value: Data(), indexes: [.unique("", "1")], expecting: .any)]),
        (
            "index value too long",
            [
                .put(
                    key("a", "1"), value: Data(), indexes: [.unique("i", String(repeating: "v", count: 1025))],
                    expecting: .any)
            ]
        ),
        (
            "too many indexes",
            [.put(key("a", "1"), value: Data(), indexes: (0..<33).map { .nonUnique("i\($0)", "v") }, expecting: .any)]
        ),
        ("value too large", [.put(key("a", "1"), value: Data(count: (16 << 20) + 1), expecting: .any)]),
    ]

    @Test(
        "bad input is refused with invalidInput and changes nothing", arguments: StoreFactory.all,
        invalidBatches.indices)
    func invalidInput(factory: StoreFactory, index: Int) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let (name, batch) = Self.invalidBatches[index]
        let error = await storeError { try await store.commit(batch) }
        #expect(error?.code == .invalidInput, "\(name)")
        #expect(error?.isConflict == false)
        #expect(error?.message(in: .english).isEmpty == false)
        #expect(try await store.changes(after: 0).isEmpty)
    }

    @Test("the change feed lists commits in order with their puts and deletes", arguments: StoreFactory.all)
    func changeFeed(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        try await store.commit([
            .put(key("b", "2"), value: bytes("b2"), indexes: [.nonUnique("n", "1")], expecting: .mustNotExist),
            .put(key("a", "1"), value: bytes("a1"), expecting: .mustNotExist),
        ])
        try await store.commit([
            .delete(key("b", "2"), expecting: .version(1)),
            .put(key("a", "1"), value: bytes("a1'"), expecting: .version(1)),
        ])
        try await store.commit(.put(key("c", "3"), value: bytes("c3"), expecting: .mustNotExist))

        let all = try await store.changes(after: 0, limit: 10)
        #expect(all.map(\.sequence) == [1, 2, 3])
        #expect(all[0].puts.map(\.key) == [key("a", "1"), key("b", "2")])
        #expect(all[0].puts[1].indexes == [.nonUnique("n", "1")])
        #expect(all[0].deletes.isEmpty)
        #expect(all[1].deletes == [key("b", "2")])
        #expect(all[1].puts.map { text($0) } == ["a1'"])
        #expect(all[1].puts[0].version == 2)
        #expect(try await store.changes(after: 1, limit: 1).map(\.sequence) == [2])
        #expect(try await store.changes(after: 3, limit: 10).isEmpty)
        #expect(try await store.changes(after: 0, limit: 0).isEmpty)
    }

    @Test(
        "after compaction, every live record stays in the feed at the sequence of its last write",
        arguments: StoreFactory.all)
    func changeFeedAcrossCompaction(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let event = key("event", "e1")
        try await store.commit(.put(event, value: bytes("created"), expecting: .mustNotExist))
        try await store.commit(.put(account, value: bytes("v1"), expecting: .mustNotExist))
        try await store.commit(.put(account, value: bytes("v2"), expecting: .version(1)))
        try await store.commit(.put(key("tmp", "t"), value: bytes("t"), expecting: .mustNotExist))
        try await store.commit(.delete(key("tmp", "t"), expecting: .version(1)))
        try await store.compact()
        try await store.commit(.put(key("event", "e2"), value: bytes("later"), expecting: .mustNotExist))

        let feed = try await store.changes(after: 0, limit: 100)
        #expect(feed.map(\.sequence) == [1, 3, 6])
        #expect(feed[0].puts.map(\.key) == [event])
        #expect(text(feed[0].puts[0]) == "created")
        #expect(text(feed[1].puts[0]) == "v2")
        #expect(try await store.changes(after: 1, limit: 1).map(\.sequence) == [3])
        #expect(try await store.changes(after: 3, limit: 10).map(\.sequence) == [6])
        #expect(text(try await store.record(for: account)) == "v2")
        #expect(try await store.commit(.put(account, value: bytes("v3"), expecting: .version(2))) == 7)
        try await store.compact()
        #expect(try await store.changes(after: 0, limit: 100).map(\.sequence) == [1, 6, 7])
    }

    @Test("many concurrent consumers of one single-use record: exactly one wins", arguments: StoreFactory.all)
    func singleUse(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let code = key("challenge", "c1")
        try await store.commit(.put(code, value: bytes("unused"), expecting: .mustNotExist))
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for attempt in 0..<64 {
                group.addTask {
                    do {
                        try await store.commit([
                            .delete(code, expecting: .version(1)),
                            .put(key("event", "used-\(attempt)"), value: bytes("used"), expecting: .mustNotExist),
                        ])
                        return true
                    } catch let error as StoreError where error.code == .versionMismatch {
                        return false
                    }
                }
            }
            var wins = 0
            for try await won in group where won { wins += 1 }
            return wins
        }
        #expect(wins == 1)
        #expect(try await store.changes(after: 0).count == 2)
    }

    @Test("concurrent commits get distinct, gapless sequences", arguments: StoreFactory.all)
    func concurrentSequences(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store = try factory.make(scratch)
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for n in 0..<100 {
                group.addTask {
                    try await store.commit(.put(key("item", "\(n)"), value: bytes("\(n)"), expecting: .mustNotExist))
                }
            }
            var all: [UInt64] = []
            for try await sequence in group { all.append(sequence) }
            return all
        }
        #expect(sequences.sorted() == Array(1...100))
        let feed = try await store.changes(after: 0, limit: 1000)
        #expect(feed.map(\.sequence) == Array(1...100))
    }

    @Test("the store can be used from detached tasks (Sendable)", arguments: StoreFactory.all)
    func sendable(factory: StoreFactory) async throws {
        let scratch = try ScratchDirectory()
        let store: any RecordStore = try factory.make(scratch)
        let account = self.account
        let sequence = try await Task.detached {
            try await store.commit(.put(account, value: bytes("x"), expecting: .mustNotExist))
        }.value
        #expect(sequence == 1)
        #expect(try await Task.detached { try await store.record(for: account)?.version }.value == 1)
    }
}
