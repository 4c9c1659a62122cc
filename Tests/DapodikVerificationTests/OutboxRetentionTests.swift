import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// Outbox messages done with are removed by the dispatcher's rounds once the retention has passed,
/// so the outbox does not grow by every e-mail ever sent; a message that still needs work, one a
/// status reads and one written before the index are kept, and a bounce of a removed message changes
/// nothing.
@Suite(.timeLimit(.minutes(5)))
struct OutboxRetentionTests {
    static let retention: TimeInterval = 30 * 86_400

    /// Every live outbox message that decodes, oldest first.
    static func messages(_ harness: Harness) async throws -> [Loaded<OutboxMessage>] {
        var found: [Loaded<OutboxMessage>] = []
        for id in try await ThrottlePruningTests.liveKeys(harness.store, collection: OutboxMessage.collection) {
            let record = try #require(
                try await harness.store.record(for: RecordKey(collection: OutboxMessage.collection, id: id)))
            if let message = try? Loaded<OutboxMessage>(decoding: record) { found.append(message) }
        }
        return found.sorted { $0.value.createdAt < $1.value.createdAt }
    }

    /// The ids of the live outbox messages.
    static func ids(_ harness: Harness) async throws -> Set<UUID> {
        Set(try await messages(harness).map(\.value.id))
    }

    /// Runs `body` with a verified operator and a PTK, under a service that starts a new challenge for every code
    /// (one code per challenge, no cooldown), so that each code replaces the challenge before it.
    static func withSetUp(
        _ kind: TestedStore,
        _ body: (Harness, VerificationService, _ operator: Account, _ ptk: Account) async throws -> Void
    ) async throws {
        try await Harness.with(kind) { harness in
            let manager = try await harness.verifiedOperator()
            let ptk = try await harness.registerPTK(by: manager)
            let service = try harness.sibling {
                $0.policy = try VerificationPolicy(resendCooldown: .zero, maximumCodesPerChallenge: 1)
            }
            try await body(harness, service, manager, ptk)
        }
    }

    /// Moves the clock one retention and a minute on, and runs a dispatcher round.
    static func passRetention(_ harness: Harness, _ service: VerificationService) async throws {
        harness.clock.advance(by: retention + 60)
        try await service.drainOutbox()
    }

    /// Has `ptk` ask for a code `seconds` from now, and returns its message.
    static func requestCode(
        _ harness: Harness, _ service: VerificationService, for ptk: Account, after seconds: TimeInterval = 120
    ) async throws -> OutboxMessage {
        harness.clock.advance(by: seconds)
        _ = try await service.requestCode(for: ptk.id, by: ptk.id)
        return try #require(try await messages(harness).last { $0.value.account == ptk.id }?.value)
    }

    @Test(
        "a message done with is removed by a round once the retention has passed, not before; the latest challenge's is kept",
        arguments: TestedStore.all)
    func removedAfterRetention(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            let second = try await Self.requestCode(harness, service, for: ptk)
            let before = try await Self.ids(harness)
            #expect(before.isSuperset(of: [first.id, second.id]))

            // An hour before the first message's retention ends: nothing goes.
            harness.clock.advance(by: Self.retention - 3600)
            #expect(try await service.drainOutbox().removed == 0)
            #expect(try await Self.ids(harness) == before)

            // Past it: the first code's message goes, and so does the operator's (their challenge is
            // verified: no status reads it); the second (the PTK's latest challenge) stays, since its
            // status reads it.
            harness.clock.advance(by: 2 * 3600)
            #expect(try await service.drainOutbox().removed == 2)
            #expect(try await Self.ids(harness) == [second.id])
            // Kept messages left the index of messages to look at: the next round finds nothing to do.
            let commits = try await harness.commitCount()
            #expect(try await service.drainOutbox().removed == 0)
            #expect(try await harness.commitCount() == commits)
        }
    }

    @Test(
        "a kept message of a latest challenge is removed once a later challenge replaces it",
        arguments: TestedStore.all)
    func keptUntilReplaced(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            try await Self.passRetention(harness, service)
            #expect(try await Self.ids(harness).contains(first.id))

            // A new campaign: a new challenge, whose message is in turn looked at after the retention.
            let second = try await Self.requestCode(harness, service, for: ptk)
            harness.clock.advance(by: Self.retention + 60)
            #expect(try await service.drainOutbox().removed == 1)
            let left = try await Self.ids(harness)
            #expect(!left.contains(first.id) && left.contains(second.id))
        }
    }

    @Test(
        "the status of an account whose earlier message was removed says what it said before",
        arguments: TestedStore.all)
    func statusUnchanged(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            // The latest code is refused for good: the status keeps saying so, with the reason, for good.
            harness.transport.failNext(1, disposition: .permanent, smtpReplyCode: 550)
            let second = try await Self.requestCode(harness, service, for: ptk)
            guard case .failed = second.state else {
                Issue.record("state \(second.state)")
                return
            }
            harness.clock.advance(by: Self.retention + 60)
            let before = try await service.deliveryStatus(for: ptk.id, by: ptk.id)
            guard case .failed = before.state else {
                Issue.record("state \(before.state)")
                return
            }
            // The first code's message and the operator's verified one.
            #expect(try await service.drainOutbox().removed == 2)
            #expect(try await Self.ids(harness).contains(first.id) == false)
            #expect(try await service.deliveryStatus(for: ptk.id, by: ptk.id) == before)
        }
    }

    @Test(
        "the notice of an address change is removed after the retention, and so is the verified code's message",
        arguments: TestedStore.all)
    func noticeRemoved(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, manager, ptk in
            let code = try await Self.requestCode(harness, service, for: ptk)
            let digits = try #require(harness.latestCode(to: ptk.email!))
            try await #require(service.submitCode(digits, for: ptk.id, by: ptk.id).outcome == .verified)
            _ = try await service.updateStaff(ptk.id, email: try EmailAddress("budi.baru@yahoo.co.id"), by: manager.id)
            let notice = try #require(try await Self.messages(harness).map(\.value).first { $0.codeContent == nil })
            #expect(notice.recipient == ptk.email && notice.state == .handedOver(at: notice.attempts[0].at))

            let status = try await service.deliveryStatus(for: ptk.id, by: ptk.id)

            harness.clock.advance(by: Self.retention + 60)
            // The notice, the PTK's verified code and the operator's verified code.
            #expect(try await service.drainOutbox().removed == 3)
            let left = try await Self.ids(harness)
            #expect(!left.contains(notice.id) && !left.contains(code.id))
            #expect(try await service.deliveryStatus(for: ptk.id, by: ptk.id).explanation == status.explanation)
        }
    }

    @Test(
        "a message still to be retried is never removed, whatever the index says",
        arguments: TestedStore.all)
    func retryingKept(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            harness.transport.failNext(1, disposition: .transient, smtpReplyCode: 451)
            let first = try await Self.requestCode(harness, service, for: ptk)
            guard case .retrying(let next, _) = first.state else {
                Issue.record("state \(first.state)")
                return
            }
            // A later code replaces its challenge; the retry, not yet due, would find it closed.
            _ = try await Self.requestCode(harness, service, for: ptk, after: 1)
            #expect(harness.clock.now < next)
            // An entry that says the message was done with long ago (written by a faulty writer).
            let key = RecordKey(collection: OutboxMessage.collection, id: first.storedKey.id)
            let record = try #require(try await harness.store.record(for: key))
            try await harness.store.commit([
                .put(
                    key, value: record.value,
                    indexes: record.indexes + [OutboxMessage.finishedIndex.entry("000000000000001")],
                    expecting: .version(record.version))
            ])

            #expect(try await service.drainOutbox().removed == 0)
            let kept = try #require(try await harness.store.record(for: key))
            #expect(try Loaded<OutboxMessage>(decoding: kept).value.state == first.state)
            #expect(!kept.indexes.contains { $0.name == OutboxMessage.finishedIndex.name })
        }
    }

    @Test(
        "a damaged message keeps its bytes and leaves the index, so the messages behind it are removed",
        arguments: TestedStore.all)
    func damagedDoesNotBlock(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, _, _, ptk in
            let service = try harness.sibling {
                $0.policy = try VerificationPolicy(resendCooldown: .zero, maximumCodesPerChallenge: 1)
                $0.dispatch.batchSize = 1
            }
            let first = try await Self.requestCode(harness, service, for: ptk)
            _ = try await Self.requestCode(harness, service, for: ptk)
            let damaged = RecordKey(collection: OutboxMessage.collection, id: UUID().uuidString)
            let bytes = Data("{\"not\": \"a message\"}".utf8)
            try await harness.store.commit([
                .put(
                    damaged, value: bytes, indexes: [OutboxMessage.finishedIndex.entry("000000000000001")],
                    expecting: .mustNotExist)
            ])
            harness.clock.advance(by: Self.retention + 60)

            // One message a round: the damaged one (it sorts first), the operator's (verified), the first code's.
            var removed = 0
            for _ in 0..<3 { removed += try await service.drainOutbox().removed }
            #expect(removed == 2)
            #expect(try await Self.ids(harness).contains(first.id) == false)
            let kept = try #require(try await harness.store.record(for: damaged))
            #expect(kept.value == bytes && kept.indexes.isEmpty)
        }
    }

    @Test(
        "a bounce of a removed message is a bounce of an unknown message, and changes nothing",
        arguments: TestedStore.all)
    func bounceOfRemoved(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            let delivery = try #require(
                harness.transport.deliveries(to: ptk.email!).first { $0.message.messageID.value == first.messageID })
            _ = try await Self.requestCode(harness, service, for: ptk)
            harness.clock.advance(by: Self.retention + 60)
            // The first code's message and the operator's verified one.
            #expect(try await service.drainOutbox().removed == 2)

            let commits = try await harness.commitCount()
            let result = try await service.processBounce(BounceTests.bounce("exim-unknown-user", of: delivery))
            #expect(result.outcome == .unknownMessage)
            #expect(try await harness.commitCount() == commits)
        }
    }

    @Test(
        "a message written before the index (no entry) is never removed",
        arguments: TestedStore.all)
    func writtenBeforeKept(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            // As written before the index existed: the same record without its entry.
            let key = RecordKey(collection: OutboxMessage.collection, id: first.storedKey.id)
            let record = try #require(try await harness.store.record(for: key))
            try await harness.store.commit([
                .put(
                    key, value: record.value,
                    indexes: record.indexes.filter { $0.name != OutboxMessage.finishedIndex.name },
                    expecting: .version(record.version))
            ])
            let second = try await Self.requestCode(harness, service, for: ptk)
            harness.clock.advance(by: Self.retention + 60)
            // Only the operator's verified message, which has its entry.
            #expect(try await service.drainOutbox().removed == 1)
            let left = try await Self.ids(harness)
            #expect(left.isSuperset(of: [first.id, second.id]))
        }
    }
    @Test(
        "a verified account's last messages are removed after the retention, and its status says what it said",
        arguments: TestedStore.all)
    func verifiedRemoved(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            let code = try await Self.requestCode(harness, service, for: ptk)
            let digits = try #require(harness.latestCode(to: ptk.email!))
            try await #require(service.submitCode(digits, for: ptk.id, by: ptk.id).outcome == .verified)
            let status = try await service.deliveryStatus(for: ptk.id, by: ptk.id)

            harness.clock.advance(by: Self.retention + 60)
            // The replaced first code's, the verified code's and the operator's.
            #expect(try await service.drainOutbox().removed == 3)
            #expect(try await Self.ids(harness).isDisjoint(with: [first.id, code.id]))
            #expect(try await service.deliveryStatus(for: ptk.id, by: ptk.id) == status)
        }
    }

    @Test(
        "a message kept for a latest challenge is removed after the retention once its account is verified by a later one",
        arguments: TestedStore.all)
    func keptRemovedOnceVerified(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            try await Self.passRetention(harness, service)
            #expect(try await Self.ids(harness).contains(first.id))

            // A new campaign: a new challenge, verified at once; every message of the account goes after the
            // retention, also the one kept until now.
            let second = try await Self.requestCode(harness, service, for: ptk)
            let digits = try #require(harness.latestCode(to: ptk.email!))
            try await #require(service.submitCode(digits, for: ptk.id, by: ptk.id).outcome == .verified)
            harness.clock.advance(by: Self.retention + 60)
            #expect(try await service.drainOutbox().removed == 2)
            #expect(try await Self.ids(harness).isDisjoint(with: [first.id, second.id]))
        }
    }

    @Test(
        "a verified account given another address and then its old one again: its status no longer reads the verified code, which is removed; a new address's code is kept",
        arguments: TestedStore.all)
    func verifiedThenChangedBack(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, manager, ptk in
            let code = try await Self.requestCode(harness, service, for: ptk)
            let digits = try #require(harness.latestCode(to: ptk.email!))
            try await #require(service.submitCode(digits, for: ptk.id, by: ptk.id).outcome == .verified)
            let address = try #require(ptk.email)
            _ = try await service.updateStaff(ptk.id, email: try EmailAddress("budi.baru@yahoo.co.id"), by: manager.id)
            _ = try await service.updateStaff(ptk.id, email: address, by: manager.id)
            // Unverified again, and no code asked for since: the verified code is not this verification's.
            let status = try await service.deliveryStatus(for: ptk.id, by: ptk.id)
            #expect(status.state == .notStarted && status.codeOrdinal == nil)

            harness.clock.advance(by: Self.retention + 60)
            #expect(try await Self.ids(harness).contains(code.id))
            try await service.drainOutbox()
            #expect(try await Self.ids(harness).contains(code.id) == false)
            #expect(try await service.deliveryStatus(for: ptk.id, by: ptk.id).explanation == status.explanation)

            // A code for it now opens a new challenge, whose message its status reads: kept.
            let next = try await Self.requestCode(harness, service, for: ptk)
            try await Self.passRetention(harness, service)
            #expect(try await Self.ids(harness).contains(next.id))
        }
    }

    @Test(
        "a message kept for an account that is gone is removed when looked at again, one retention later",
        arguments: TestedStore.all)
    func keptOfDeletedAccountRemoved(_ kind: TestedStore) async throws {
        try await Self.withSetUp(kind) { harness, service, _, ptk in
            let first = try await Self.requestCode(harness, service, for: ptk)
            try await Self.passRetention(harness, service)
            #expect(try await Self.ids(harness).contains(first.id))

            // The account is removed from the store (by hand: the service never deletes one).
            try await harness.store.commit([
                .delete(RecordKey(collection: Account.collection, id: ptk.id.description), expecting: .any)
            ])
            harness.clock.advance(by: Self.retention - 3600)
            #expect(try await service.drainOutbox().removed == 0)
            harness.clock.advance(by: 2 * 3600)
            #expect(try await service.drainOutbox().removed == 1)
            #expect(try await Self.ids(harness).contains(first.id) == false)
        }
    }
}
