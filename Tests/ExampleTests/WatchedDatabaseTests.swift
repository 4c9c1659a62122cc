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

    @Test("quick calls say nothing; a call unanswered past the patience says the wait once, while under way")
    func saysTheWaitOnce() async throws {
        let gated = GatedStore()
        let said = LockedValue(0)
        let watched = WatchedDatabase(gated, patience: .milliseconds(50)) { said.withLock { $0 += 1 } }
        for id in 0..<20 { _ = try await watched.record(for: RecordKey(collection: "accounts", id: "\(id)")) }
        try await Task.sleep(for: .milliseconds(100))
        #expect(said.withLock { $0 } == 0, "no call was slow")

        let slow = Task { try await watched.commit([Self.put("budi")]) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(said.withLock { $0 } == 1, "the commit has waited six times the patience")
        try await gated.open()
        _ = try await slow.value

        let again = Task { try await watched.commit([Self.put("ani")]) }
        try await Task.sleep(for: .milliseconds(300))
        try await gated.open()
        _ = try await again.value
        try await Task.sleep(for: .milliseconds(100))
        #expect(said.withLock { $0 } == 1, "said once per command")
    }

    @Test("a call that returns before the patience is never said, not even later")
    func neverAfterTheCall() async throws {
        let gated = GatedStore()
        let said = LockedValue(0)
        let watched = WatchedDatabase(gated, patience: .milliseconds(200)) { said.withLock { $0 += 1 } }
        let commit = Task { try await watched.commit([Self.put("budi")]) }
        try await gated.open()
        _ = try await commit.value
        try await Task.sleep(for: .milliseconds(400))
        #expect(said.withLock { $0 } == 0)
        #expect(try await watched.record(for: RecordKey(collection: "accounts", id: "budi")) != nil)
    }
}
