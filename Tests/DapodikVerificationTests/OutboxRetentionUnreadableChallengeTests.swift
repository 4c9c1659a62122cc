import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// When one of an account's challenges does not decode, which challenge its delivery status reads is
/// unknown: the dispatcher's round removes none of that account's messages on a guess.
@Suite(.timeLimit(.minutes(10)))
struct OutboxRetentionUnreadableChallengeTests {
    @Test(
        "an account with a challenge that does not decode keeps its kept messages, the latest challenge's included",
        arguments: TestedStore.all)
    func keptMessagesStay(_ kind: TestedStore) async throws {
        try await OutboxRetentionTests.withSetUp(kind) { harness, service, _, ptk in
            let first = try await OutboxRetentionTests.requestCode(harness, service, for: ptk)
            let second = try await OutboxRetentionTests.requestCode(harness, service, for: ptk)
            // The first code's message is done with ten days later (a late bounce, say), so a round looks at
            // it ten days after the second's.
            let loaded = try #require(try await harness.store.load(OutboxMessage.storedKey(first.id)))
            var later = loaded.value
            later.state = .handedOver(at: harness.clock.now.addingTimeInterval(10 * 86_400).atStoredPrecision)
            var batch = Batch()
            try batch.put(later, replacing: loaded.version)
            _ = try await harness.store.commit(batch.mutations)

            // Past the second's retention: it is kept under its account, its challenge being the latest.
            try await OutboxRetentionTests.passRetention(harness, service)
            #expect(try await OutboxRetentionTests.ids(harness).isSuperset(of: [first.id, second.id]))

            // One of the PTK's challenges stops decoding; then the first message's retention passes.
            try await harness.store.commit([
                .put(
                    RecordKey(collection: VerificationChallenge.collection, id: UUID().uuidString),
                    value: Data("{}".utf8), indexes: [VerificationChallenge.accountIndex.entry(ptk.id.description)],
                    expecting: .mustNotExist)
            ])
            harness.clock.advance(by: 10 * 86_400)
            try await service.drainOutbox()
            let left = try await OutboxRetentionTests.ids(harness)
            #expect(left.contains(second.id), "the latest challenge's message, which its status reads, is kept")
            #expect(left.contains(first.id))
        }
    }
}
