import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// The in-memory store's change signals (`RecordStore.waitForChanges`), which the outbox dispatcher
/// waits on. No test here depends on timing: a wait that should end is awaited under the suite's time
/// limit, one that should not is checked through the marks.
@Suite("Change signals of the in-memory store", .timeLimit(.minutes(10)))
struct ChangeSignalTests {
    static func put(_ collection: String, _ id: String) -> Mutation {
        .put(RecordKey(collection: collection, id: id), value: Data("x".utf8), expecting: .mustNotExist)
    }

    @Test("a commit after the mark ends an hour's wait, even when it came before the wait began")
    func commitBeforeWait() async throws {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        try await store.commit(Self.put("outbox", "a"))
        await store.waitForChanges(in: "outbox", since: mark, atMost: .seconds(3600))
        #expect(store.changeSignalMark(for: "outbox") != mark)
    }

    @Test("a reader waiting for an hour is woken by a later commit to its collection")
    func commitWakesWaiter() async throws {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        let waiter = Task { await store.waitForChanges(in: "outbox", since: mark, atMost: .seconds(3600)) }
        try await store.commit(Self.put("outbox", "a"))
        await waiter.value
    }

    @Test("a commit to another collection leaves the mark where it was")
    func otherCollection() async throws {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        try await store.commit(Self.put("account", "a"))
        #expect(store.changeSignalMark(for: "outbox") == mark)
        #expect(store.changeSignalMark(for: "account") != store.changeSignalMark(for: "outbox"))
    }

    @Test("a commit to a collection whose name is equal to another's only canonically leaves the other's mark")
    func canonicallyEqualCollection() async throws {
        let store = InMemoryRecordStore()
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let mark = store.changeSignalMark(for: composed)
        try await store.commit(Self.put(decomposed, "a"))
        #expect(store.changeSignalMark(for: composed) == mark)
        let waiter = Task { await store.waitForChanges(in: composed, since: mark, atMost: .seconds(3600)) }
        try await store.commit([Self.put(decomposed, "b"), Self.put(composed, "a")])
        await waiter.value
        #expect(store.changeSignalMark(for: composed) != mark)
    }

    @Test("a commit to three collections, interleaved, wakes a reader of each and leaves a fourth's mark")
    func severalCollections() async throws {
        let store = InMemoryRecordStore()
        let collections = ["outbox", "event", "account"]
        let marks = collections.map { store.changeSignalMark(for: $0) }
        let untouched = store.changeSignalMark(for: "challenge")
        let readers = zip(collections, marks).map { collection, mark in
            Task { await store.waitForChanges(in: collection, since: mark, atMost: .seconds(3600)) }
        }
        try await store.commit([
            Self.put("outbox", "a"), Self.put("event", "a"), Self.put("outbox", "b"), Self.put("account", "a"),
            Self.put("event", "b"),
        ])
        for reader in readers { await reader.value }
        for (collection, mark) in zip(collections, marks) { #expect(store.changeSignalMark(for: collection) != mark) }
        #expect(store.changeSignalMark(for: "challenge") == untouched)
    }

    @Test("a failed commit signals nothing")
    func failedCommit() async throws {
        let store = InMemoryRecordStore()
        try await store.commit(Self.put("outbox", "a"))
        let mark = store.changeSignalMark(for: "outbox")
        await #expect(throws: StoreError.self) { try await store.commit(Self.put("outbox", "a")) }
        #expect(store.changeSignalMark(for: "outbox") == mark)
    }

    @Test("with no commit, the wait ends at its bound")
    func boundEndsWait() async {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        await store.waitForChanges(in: "outbox", since: mark, atMost: .milliseconds(20))
        #expect(store.changeSignalMark(for: "outbox") == mark)
    }

    @Test("cancelling the task ends an hour's wait")
    func cancellationEndsWait() async {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        let waiter = Task { await store.waitForChanges(in: "outbox", since: mark, atMost: .seconds(3600)) }
        waiter.cancel()
        await waiter.value
    }

    @Test("many readers waiting at once are all woken by one commit")
    func manyWaiters() async throws {
        let store = InMemoryRecordStore()
        let mark = store.changeSignalMark(for: "outbox")
        let waiters = (0..<8).map { _ in
            Task { await store.waitForChanges(in: "outbox", since: mark, atMost: .seconds(3600)) }
        }
        try await store.commit(Self.put("outbox", "a"))
        for waiter in waiters { await waiter.value }
    }

    @Test("a store that cannot hear about changes waits its bound: the default is a plain poll")
    func defaultIsPoll() async throws {
        let scratch = try TemporaryDirectory("signals")
        let store = try FileRecordStore(directory: scratch.url)
        let mark = store.changeSignalMark(for: "outbox")
        try await store.commit(Self.put("outbox", "a"))
        #expect(store.changeSignalMark(for: "outbox") == mark)
        await store.waitForChanges(in: "outbox", since: mark, atMost: .milliseconds(20))
    }
}
