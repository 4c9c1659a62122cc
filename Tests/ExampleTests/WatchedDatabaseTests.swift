import DapodikLocking
import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// The watch that says a wait for the database (`--store postgres://…`) while a call is unanswered,
/// once per command, and never after the call has returned.
@Suite("dapodik-verify watches its database")
struct WatchedDatabaseTests {
    /// An in-memory store whose commits wait until the test lets them go.
    final class GatedStore: RecordStore {
        let base = InMemoryRecordStore()
        let waiting = LockedValue(false)
        let gate = LockedValue<CheckedContinuation<Void, Never>?>(nil)

        func record(for key: RecordKey) async throws -> Record? { try await base.record(for: key) }
        func record(whereUnique index: String, equals value: String) async throws -> Record? {
            try await base.record(whereUnique: index, equals: value)
        }
        func records(where index: String, equals value: String) async throws -> [Record] {
            try await base.records(where: index, equals: value)
        }
        func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
            try await base.records(in: index, from: lower, to: upper, limit: limit)
        }
        func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
            try await base.changes(after: sequence, limit: limit)
        }
        func commit(_ mutations: [Mutation]) async throws -> UInt64 {
            await withCheckedContinuation { continuation in
                gate.withLock { $0 = continuation }
                waiting.withLock { $0 = true }
            }
            return try await base.commit(mutations)
        }

        /// Lets the waiting commit go on, once it waits.
        func open() async throws {
            while !waiting.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            waiting.withLock { $0 = false }
            gate.withLock { $0?.resume() }
        }
    }

    static func put(_ id: String) -> Mutation {
        .put(RecordKey(collection: "accounts", id: id), value: Data("{}".utf8), expecting: .any)
    }

    @Test("a call still under way when its patience ends is said, once per command, never after it returned")
    func saysTheWaitOnce() async throws {
        let gated = GatedStore()
        let said = LockedValue(0)
        let watched = WatchedDatabase(gated, patience: .seconds(3600)) { said.withLock { $0 += 1 } }
        _ = try await watched.record(for: RecordKey(collection: "accounts", id: "budi"))
        watched.patienceElapsed(forCall: 1)
        #expect(said.withLock { $0 } == 0, "the first call has returned: nothing to say")

        let slow = Task { try await watched.commit([Self.put("budi")]) }
        while !gated.waiting.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        watched.patienceElapsed(forCall: 2)
        #expect(said.withLock { $0 } == 1, "the commit is under way")
        watched.patienceElapsed(forCall: 2)
        #expect(said.withLock { $0 } == 1, "said once")
        try await gated.open()
        _ = try await slow.value

        let again = Task { try await watched.commit([Self.put("ani")]) }
        while !gated.waiting.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        watched.patienceElapsed(forCall: 3)
        #expect(said.withLock { $0 } == 1, "said once per command")
        try await gated.open()
        _ = try await again.value
    }

    @Test("the patience is real time: a commit held past it is said while it waits")
    func realTimer() async throws {
        let gated = GatedStore()
        let said = LockedValue(0)
        let watched = WatchedDatabase(gated, patience: .milliseconds(50)) { said.withLock { $0 += 1 } }
        let slow = Task { try await watched.commit([Self.put("budi")]) }
        // The commit waits for the test, so the timer can be waited for. Counted in turns of this loop,
        // not in wall-clock time: while other tests hold every thread of the pool, neither this loop
        // nor the timer runs, and the loop must not give up when they get a thread again.
        for _ in 0..<6_000 where said.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(said.withLock { $0 } == 1)
        try await gated.open()
        _ = try await slow.value
        #expect(said.withLock { $0 } == 1)
    }
}
