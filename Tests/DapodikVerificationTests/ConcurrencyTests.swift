import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct ConcurrencyTests {
    @Test("100 concurrent submissions of the same valid code give exactly one success", arguments: StoreKind.allCases)
    func concurrentValidSubmissions(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let service = harness.service
        let outcomes = try await withThrowingTaskGroup(of: CodeSubmissionResult.Outcome.self) { group in
            for _ in 0..<100 {
                group.addTask { try await service.submitCode(code, for: ptk.id, by: ptk.id).outcome }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .verified }.count == 1)
        #expect(outcomes.filter { $0 == .alreadyVerified }.count == 99)
        #expect(try await harness.eventKinds().filter { $0 == .emailVerified }.count == 2)
    }

    @Test("concurrent wrong guesses never exceed the attempt limit", arguments: StoreKind.allCases)
    func concurrentWrongGuesses(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let wrong = wrongCode(code)
        let service = harness.service
        let outcomes = try await withThrowingTaskGroup(of: CodeSubmissionResult.Outcome.self) { group in
            for _ in 0..<60 {
                group.addTask { try await service.submitCode(wrong, for: ptk.id, by: ptk.id).outcome }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let answered = outcomes.compactMap { outcome -> Int? in
            if case .wrong(let left) = outcome { left } else { nil }
        }
        #expect(answered.sorted() == [0, 1, 2, 3, 4])
        #expect(outcomes.filter { $0 == .attemptsExhausted }.count == 55)
        #expect(try await harness.eventKinds().filter { $0 == .codeRejected }.count == 5)
        // Even the right code is refused now: the challenge is exhausted.
        #expect(try await service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .attemptsExhausted)
    }

    @Test("the service is usable from detached tasks (Sendable)")
    func sendableSmoke() async throws {
        let harness = try Harness.make(.memory)
        let service = harness.service
        let account = try await harness.createSchool()
        let status = try await Task.detached {
            try await service.requestCode(for: account.id, by: account.id)
        }.value
        #expect(status.codeOrdinal == 1)
        let events = try await Task.detached { try await service.events() }.value
        #expect(events.count == 3)
    }
}
