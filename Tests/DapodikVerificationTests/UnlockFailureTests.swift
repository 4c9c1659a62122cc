import DapodikLocking
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikCodes
@testable import DapodikVerification

/// An operator's unlock reads the account's wrong-code history and writes it back with the failed
/// logins cleared: a store failure at any of its calls changes nothing, and unlocks racing wrong
/// codes lose none of them (the daily bound on wrong codes stays true).
@Suite(.timeLimit(.minutes(10)))
struct UnlockFailureTests {
    /// The store's newest committed sequence number: unchanged means nothing was written.
    static func newestSequence(_ store: any RecordStore) async throws -> UInt64 {
        try await store.changes(after: 0, limit: 100_000).last?.sequence ?? 0
    }

    @Test(
        "an I/O error at each store call of an unlock changes nothing; the unlock then succeeds",
        arguments: StoreKind.allCases)
    func ioErrorAtEveryCall(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let failing = FailingAtCallStore(harness.store)
        let service = harness.sibling { $0.store = failing }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        // Something for the unlock to clear: failed logins and wrong codes.
        for _ in 0..<3 {
            _ = try? await harness.service.login(identifier: "budi.santoso", password: "Salah-Sandi-2026")
        }
        let code = try await harness.requestedCode(for: ptk)
        for _ in 0..<3 { _ = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id) }
        let historyKey = AccountCodeLimits.History.storedKey(ptk.id)
        let before = try #require(try await harness.store.load(historyKey)?.value)
        #expect(before.consecutiveWrongCodes == 3)
        let throttle = harness.service.accountThrottleKey(ptk.id)
        #expect(try await harness.store.load(throttle) != nil)
        let sequence = try await Self.newestSequence(harness.store)

        let (_, failedCalls) = try await failing.failingEachCall {
            () async throws(VerificationError) in
            try await service.unlockAccount(ptk.id, by: manager.id)
        } checkNothingChanged: { (call: Int, error: VerificationError) async throws in
            #expect(error.code == .storage, "call \(call): \(error)")
            #expect(try await Self.newestSequence(harness.store) == sequence, "call \(call) wrote something")
            #expect(try await harness.store.load(historyKey)?.value == before, "call \(call)")
            #expect(try await harness.store.load(throttle) != nil, "call \(call)")
        }
        #expect(failedCalls >= 3, "the unlock made only \(failedCalls) store calls")
        let after = try #require(try await harness.store.load(historyKey)?.value)
        #expect(after.consecutiveWrongCodes == 0)
        #expect(after.recentWrongCodes == before.recentWrongCodes)
        #expect(try await harness.store.load(throttle) == nil)
        let unlocks = try await harness.service.events(limit: 1_000).filter { $0.kind == .accountUnlocked }
        #expect(unlocks.count == 1)
    }

    @Test("unlocks racing wrong codes lose none of the wrong codes", arguments: StoreKind.allCases)
    func unlocksRacingWrongCodes(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = harness.sibling { $0.store = YieldingRecordStore(base: harness.store) }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let wrongAnswers = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<harness.service.configuration.policy.maximumFailedAttempts {
                group.addTask {
                    let result = try await service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
                    if case .wrong = result.outcome { return true }
                    return false
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    try await service.unlockAccount(ptk.id, by: manager.id)
                    return false
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wrongAnswers == harness.service.configuration.policy.maximumFailedAttempts)
        let history = try #require(try await harness.store.load(AccountCodeLimits.History.storedKey(ptk.id))?.value)
        // Every wrong code answered is in the day's window, whatever the unlocks did in between.
        #expect(history.recentWrongCodes.count == wrongAnswers)
        #expect(history.consecutiveExhaustions == 1)
        #expect(history.consecutiveWrongCodes <= wrongAnswers)
    }
}
