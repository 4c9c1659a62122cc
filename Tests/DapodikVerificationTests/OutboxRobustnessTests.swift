import Foundation
import Testing

@testable import DapodikVerification

@Suite(.timeLimit(.minutes(10)))
struct OutboxRobustnessTests {
    /// The ids of the outbox messages stored so far.
    func outboxIDs(_ harness: Harness) async throws -> [UUID] {
        try await harness.store.changes(after: 0, limit: 10_000).flatMap(\.puts)
            .filter { $0.key.collection == "outbox" }.compactMap { UUID(uuidString: $0.key.id) }
    }

    @Test("a wall clock behind the code's issue time still hands the code over, with a consistent expiry")
    func clockSteppedBack() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        let issuedAt = harness.clock.now
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let id = try #require(try await outboxIDs(harness).first)
        harness.clock.advance(by: -120)
        // The path of sendImmediately: a message just queued goes out whatever the clock says.
        let outcome = try await harness.service.dispatch(id, onlyIfQueued: true)
        #expect(outcome == .handedOver)
        let code = try #require(harness.latestCode(to: account.email!))
        harness.clock.set(issuedAt.addingTimeInterval(60))
        #expect(try await harness.service.submitCode(code, for: account.id, by: account.id).outcome == .verified)
    }

    /// Stores an outbox record whose bytes are not a message, due before every other one (so a round
    /// meets it first); returns its id.
    static func putDamagedMessage(in store: any RecordStore) async throws -> UUID {
        let id = UUID()
        try await store.commit([
            .put(
                RecordKey(collection: "outbox", id: id.uuidString), value: Data("{rusak".utf8),
                indexes: [.nonUnique("outbox.due", "000000000000001|" + id.uuidString)], expecting: .mustNotExist)
        ])
        return id
    }

    @Test("a damaged message does not stop the round: the messages behind it go out, and it is reported")
    func damagedMessageIsolated() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let damaged = try await Self.putDamagedMessage(in: harness.store)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.handedOver == 1)
        #expect(summary.unprocessable.map(\.id) == [damaged])
        #expect(harness.latestCode(to: account.email!) != nil)
    }

    @Test(
        "an unprocessable message is reported with its id, no recipient when it does not read, and a reason in both languages"
    )
    func unprocessableReason() async throws {
        let harness = try Harness.make(.memory, sendImmediately: false)
        _ = try await harness.createSchool()
        let damaged = try await Self.putDamagedMessage(in: harness.store)
        let summary = try await harness.service.drainOutbox()
        let entry = try #require(summary.unprocessable.first)
        #expect(summary.unprocessable.count == 1)
        #expect(entry.id == damaged)
        #expect(entry.recipient == nil)
        #expect(entry.code == .storage)
        #expect(
            entry.description(in: .indonesian).contains(
                "Rekaman tersimpan outbox/\(damaged.uuidString) tidak dapat dibaca"),
            "\(entry.reason.indonesian)")
        #expect(
            entry.description(in: .english).contains("The stored record outbox/\(damaged.uuidString) cannot be read"),
            "\(entry.reason.english)")
        #expect(!summary.isEmpty)
        // Not processed means not gone: the next round meets it again.
        let again = try await harness.service.drainOutbox()
        #expect(again.unprocessable.map(\.id) == [damaged])
    }
}

extension OutboxRobustnessTests {
    @Test(
        "a message the store fails on mid-round is reported with its recipient (storage); behind a store out of reach it is not looked up again (busy)"
    )
    func unprocessableRecipientAndBusy() async throws {
        var calls: [StoreError.Code: Int] = [:]
        for code in [StoreError.Code.ioFailure, .unavailable] {
            let harness = try Harness.make(.memory, sendImmediately: false)
            let account = try await harness.createSchool()
            _ = try await harness.service.requestCode(for: account.id, by: account.id)
            let failing = FailingAtCallStore(harness.store)
            let dispatcher = harness.sibling { $0.store = failing }
            // Call 1 lists the due messages; call 2 is the dispatch's first, for the one message.
            failing.arm(failingCall: 2, with: code)
            let summary = try await dispatcher.drainOutbox()
            calls[code] = failing.calls
            let entry = try #require(summary.unprocessable.first, "\(code)")
            #expect(summary.unprocessable.count == 1)
            #expect(summary.handedOver == 0)
            if code == .unavailable {
                #expect(entry.code == .busy)
                #expect(entry.recipient == nil)
            } else {
                #expect(entry.code == .storage)
                #expect(entry.recipient == account.email)
            }
            #expect(!entry.description(in: .indonesian).isEmpty && !entry.description(in: .english).isEmpty)
        }
        // The only difference between the two rounds is the recipient's lookup.
        #expect(calls[.unavailable].map { $0 + 1 } == calls[.ioFailure], "\(calls)")
    }
}
