import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// A code request that fails says nothing was changed: so it must not fail once its code is
/// committed. A store that stops working at any call of the request (a disk that fills up and stays
/// full) either leaves nothing behind and is an error, or has committed the code and answers with its
/// status.
@Suite(.timeLimit(.minutes(5)))
struct IssuedCodeTruthTests {
    @Test(
        "a store failing from any call on: an error only when nothing was committed, else the code's status",
        arguments: StoreKind.allCases)
    func errorOnlyWhenNothingCommitted(_ kind: StoreKind) async throws {
        var answered = 0
        var refused = 0
        for firstFailing in 1...40 {
            let harness = try Harness.make(kind)
            let failing = FailingAtCallStore(harness.store)
            let service = harness.sibling { $0.store = failing }
            let account = try await harness.createSchool()
            let sequence = try await UnlockFailureTests.newestSequence(harness.store)
            failing.arm(failingCalls: firstFailing...10_000, with: .ioFailure)
            do {
                let status = try await service.requestCode(for: account.id, by: account.id)
                answered += 1
                #expect(
                    try await UnlockFailureTests.newestSequence(harness.store) > sequence,
                    "call \(firstFailing): a status without a commit")
                #expect(status.codeOrdinal == 1, "call \(firstFailing)")
                #expect(harness.transport.deliveries.count <= 1)
            } catch let error as VerificationError {
                refused += 1
                #expect(error.code == .storage, "call \(firstFailing): \(error)")
                #expect(
                    try await UnlockFailureTests.newestSequence(harness.store) == sequence,
                    "call \(firstFailing): '\(error.message.english)' although the code was committed")
                #expect(harness.transport.deliveries.count == 0, "call \(firstFailing): an e-mail for an error")
            }
        }
        #expect(refused >= 3 && answered >= 3, "refused \(refused), answered \(answered)")
    }
}
