import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// The service's limits with two ``FileRecordStore`` handles on one directory, each with a service of
/// its own: what two processes have (two CLI commands, two portal instances on one data directory).
/// Each handle has its own open file descriptions of `LOCK` and the log, so their `flock`s exclude each
/// other as two processes' do, and its own in-memory table, brought up to date through the change
/// counter. What ``ConcurrencyTests`` and ``LoginThrottleTests`` show within one handle holds across two.
@Suite("Verification limits across two file store handles (as two processes)", .timeLimit(.minutes(10)))
struct TwoStoreHandlesTests {
    /// `harness`'s service, and a second one over a second handle of its file store; both stores
    /// yield between calls, so the two services' steps interleave.
    static func twoServices(
        _ harness: Harness, hasher: CountingPasswordHasher? = nil, policy: VerificationPolicy? = nil
    ) throws -> [VerificationService] {
        let directory = try #require(harness.directory)
        let second = try FileRecordStore(directory: directory)
        return [harness.store, second].map { store in
            harness.sibling {
                $0.store = YieldingRecordStore(base: store)
                if let hasher { $0.passwordHasher = hasher }
                if let policy { $0.policy = policy }
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

    @Test(
        "20 code requests to one address at once, 10 through each handle, while idle quotas are removed: the daily limit holds"
    )
    func addressLimitTwoHandles() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let idle = try await AddressQuotaPruningTests.registerPTK(0..<5, in: harness, by: manager)
        for ptk in idle { try await AddressQuotaPruningTests.requestCode(harness.service, for: ptk) }
        let budi = try await harness.registerPTK(by: manager)
        let address = try #require(budi.email)
        // A day and more than the hour of grace later, the operator's and the five quotas are idle: each
        // of the three requests that send below also removes two, in its own commit.
        harness.clock.advance(by: 26 * 3600)
        let policy = try VerificationPolicy(resendCooldown: .zero, maximumMailsPerAddressPerDay: 3)
        let services = try Self.twoServices(harness, policy: policy)
        let answers = await Self.atOnce(services, perService: 10) { service -> VerificationError.Code? in
            do {
                _ = try await service.requestCode(for: budi.id, by: budi.id)
                return nil
            } catch {
                return (error as? VerificationError)?.code ?? .storage
            }
        }
        #expect(answers.filter { $0 == nil }.count == 3, "\(answers)")
        let refused: Set<VerificationError.Code?> = [.resendNotAllowed, .busy]
        #expect(answers.allSatisfy { $0 == nil || refused.contains($0) }, "\(answers)")
        #expect(harness.codes(to: address).count == 3)
        #expect(try await harness.store.load(AddressQuota.storedKey(address))?.value.sends.count == 3)
        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: AddressQuota.collection)
        #expect(live == [address.mailbox], "every idle quota removed, budi's kept: \(live.sorted())")
    }
}
