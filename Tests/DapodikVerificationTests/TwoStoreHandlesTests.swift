import DapodikStorage
import DapodikVerification
import Foundation
import Testing

/// The service's limits with two ``FileRecordStore`` handles on one directory, each with a service of
/// its own: what two processes have (two CLI commands, two portal instances on one data directory).
/// Each handle has its own open file descriptions of `LOCK` and the log, so their `flock`s exclude each
/// other as two processes' do, and its own in-memory table, brought up to date through the change
/// counter. What ``ConcurrencyTests`` and ``LoginThrottleTests`` show within one handle holds across two.
@Suite("Verification limits across two file store handles (as two processes)", .timeLimit(.minutes(10)))
struct TwoStoreHandlesTests {
    /// `harness`'s service, and a second one over a second handle of its file store; both stores
    /// yield between calls, so the two services' steps interleave.
    static func twoServices(_ harness: Harness, hasher: CountingPasswordHasher? = nil) throws -> [VerificationService] {
        let directory = try #require(harness.directory)
        let second = try FileRecordStore(directory: directory)
        return [harness.store, second].map { store in
            harness.sibling {
                $0.store = YieldingRecordStore(base: store)
                if let hasher { $0.passwordHasher = hasher }
            }
        }
    }

    /// Runs `perService` calls of `body` at once on each of `services`.
    static func atOnce<Answer: Sendable>(
        _ services: [VerificationService], perService: Int,
        _ body: @escaping @Sendable (VerificationService) async -> Answer
    ) async -> [Answer] {
        await withTaskGroup(of: Answer.self) { group in
            for service in services {
                for _ in 0..<perService { group.addTask { await body(service) } }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test("100 submissions of one code at once, 50 through each handle: exactly one verifies")
    func oneCodeTwoHandles() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let outcomes = await Self.atOnce(try Self.twoServices(harness), perService: 50) { service in
            try? await service.submitCode(code, for: ptk.id, by: ptk.id).outcome
        }
        #expect(outcomes.filter { $0 == .verified }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == .alreadyVerified }.count == 99, "\(outcomes)")
        #expect(try await harness.eventKinds().filter { $0 == .emailVerified }.count == 2)
    }

    @Test("60 wrong codes at once, 30 through each handle, stop at the attempt limit")
    func wrongCodesTwoHandles() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let wrong = wrongCode(code)
        let outcomes = await Self.atOnce(try Self.twoServices(harness), perService: 30) { service in
            try? await service.submitCode(wrong, for: ptk.id, by: ptk.id).outcome
        }
        let answered = outcomes.compactMap { outcome -> Int? in
            if case .wrong(let left) = outcome { left } else { nil }
        }
        #expect(answered.sorted() == [0, 1, 2, 3, 4], "\(outcomes)")
        #expect(outcomes.filter { $0 == .attemptsExhausted }.count == 55, "\(outcomes)")
        #expect(try await harness.eventKinds().filter { $0 == .codeRejected }.count == 5)
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .attemptsExhausted)
    }

    @Test("32 wrong passwords at once, 16 through each handle, evaluate no more guesses than the throttle allows")
    func wrongPasswordsTwoHandles() async throws {
        let harness = try Harness.make(.file)
        try await harness.createSchool()
        let hasher = CountingPasswordHasher()
        let services = try Self.twoServices(harness, hasher: hasher)
        let answers = await Self.atOnce(services, perService: 16) { service -> VerificationError.Code? in
            do {
                _ = try await service.login(identifier: "operator1", password: "salah-salah-salah")
                return nil
            } catch {
                return (error as? VerificationError)?.code
            }
        }
        let policy = harness.service.configuration.loginThrottle
        #expect(hasher.count <= policy.freeFailures + 1, "\(answers)")
        #expect(answers.filter { $0 == .invalidCredentials }.count == hasher.count, "\(answers)")
        let allowed: Set<VerificationError.Code?> = [.invalidCredentials, .loginThrottled, .busy]
        #expect(answers.allSatisfy { allowed.contains($0) }, "\(answers)")
    }
}
