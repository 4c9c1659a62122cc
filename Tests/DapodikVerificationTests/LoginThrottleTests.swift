import DapodikVerification
import Foundation
import Testing

extension Harness {
    /// A harness whose service counts password evaluations, over a store that lets other tasks
    /// run before every call.
    static func counting(_ kind: StoreKind) throws -> (Harness, CountingPasswordHasher) {
        let harness = try Harness.make(kind)
        let hasher = CountingPasswordHasher()
        let service = harness.sibling {
            $0.passwordHasher = hasher
            $0.store = YieldingRecordStore(base: harness.store)
        }
        return (
            Harness(
                service: service, clock: harness.clock, transport: harness.transport, store: harness.store,
                scratch: harness.scratch),
            hasher
        )
    }

    /// One failed login: asserts the answer is "wrong password" (not a throttle).
    func failLogin(_ identifier: String, _ comment: Comment? = nil) async {
        let error = await #expect(throws: VerificationError.self, comment) {
            try await service.login(identifier: identifier, password: "salah-salah-salah")
        }
        #expect(error?.code == .invalidCredentials, comment)
    }

    /// Waits out any delay or temporary lock (none lasts longer than the lock).
    func waitOutThrottle() {
        clock.advance(by: service.configuration.loginThrottle.lockDuration.timeInterval)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct LoginThrottleTests {
    @Test(
        "concurrent wrong passwords for one account evaluate no more guesses than the throttle allows",
        arguments: StoreKind.allCases)
    func concurrentGuesses(_ kind: StoreKind) async throws {
        let (harness, hasher) = try Harness.counting(kind)
        try await harness.createSchool()
        hasher.reset()
        let service = harness.service
        let answers = await withTaskGroup(of: VerificationError.Code?.self) { group in
            for attempt in 0..<32 {
                group.addTask {
                    do {
                        _ = try await service.login(identifier: "operator1", password: "salah-\(attempt)-salah")
                        return nil
                    } catch {
                        return (error as? VerificationError)?.code
                    }
                }
            }
            return await group.reduce(into: [VerificationError.Code?]()) { $0.append($1) }
        }
        // Three free failures, and the fourth sets the first delay: at most 4 guesses checked.
        let policy = service.configuration.loginThrottle
        let evaluated = hasher.count
        #expect(evaluated <= policy.freeFailures + 1)
        let wrong: [VerificationError.Code?] = answers.filter { $0 == VerificationError.Code.invalidCredentials }
        #expect(wrong.count == evaluated)
        let allowed: Set<VerificationError.Code?> = [.invalidCredentials, .loginThrottled, .busy]
        #expect(answers.allSatisfy { allowed.contains($0) })
    }

    @Test(
        "right passwords at the same moment: past the free attempts they are refused as simultaneous, then pass at once",
        arguments: StoreKind.allCases)
    func simultaneousRightPasswords(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let policy = harness.service.configuration.loginThrottle
        // Every check waits until all eight logins are inside, or (as the throttle refuses the rest
        // before their check) three seconds: so all eight have claimed their attempt before any clears it.
        let hasher = GatedPasswordHasher(threshold: 8, patience: .seconds(3))
        let service = harness.sibling { $0.passwordHasher = hasher }
        try await harness.createSchool()
        // Each answer: nil for a login that passed, else what refused it.
        let answers = await withTaskGroup(of: (any Error)?.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    do {
                        _ = try await service.login(identifier: "operator1", password: Harness.password)
                        return nil
                    } catch {
                        return error
                    }
                }
            }
            return await group.reduce(into: [(any Error)?]()) { $0.append($1) }
        }
        let refusals = answers.compactMap { $0 }.map { $0 as? VerificationError }
        #expect(hasher.arrived == policy.freeFailures + 1, "every login inside at once was checked")
        #expect(answers.count - refusals.count == policy.freeFailures + 1)
        #expect(refusals.count == 8 - (policy.freeFailures + 1))
        for refusal in refusals {
            #expect(refusal?.code == .loginThrottled)
            // Not "too many failed attempts": none failed. The message says they came at once.
            let words = refusal?.message
            #expect(words?.indonesian.contains("(gagal, atau bersamaan)") == true, "\(String(describing: words))")
            #expect(words?.english.contains("(failed, or at the same moment)") == true)
        }
        // The right passwords cleared what they counted: the next login passes with no wait.
        #expect(try await service.login(identifier: "operator1", password: Harness.password).role == .operator)
    }

    @Test(
        "an account blocked under its username refuses its e-mail address too, answering as for an unknown one",
        arguments: StoreKind.allCases)
    func perAccount(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        try await harness.createSchool()
        for _ in 0..<4 { await harness.failLogin("operator1") }
        let throttled = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "operator1", password: Harness.password)
        }
        #expect(throttled?.code == .loginThrottled)
        // Every attempt counts as it starts, so attempts at the same moment count too (right passwords
        // or not): the message says so rather than that they all failed.
        #expect(throttled?.message.indonesian.contains("(gagal, atau bersamaan)") == true)
        #expect(throttled?.message.english.contains("(failed, or at the same moment)") == true)
        // Under the address, even the right password is refused (no guess is checked while the
        // account is blocked), with the answer an unknown identifier gets: "throttled" there would
        // tell anyone that this address belongs to the throttled username.
        var answers: [VerificationError?] = []
        for (identifier, password) in [
            ("operator@sdn1.sch.id", Harness.password), ("operator@sdn1.sch.id", "salah-salah-salah"),
            ("tidak.ada@sdn1.sch.id", "salah-salah-salah"),
        ] {
            answers.append(
                await #expect(throws: VerificationError.self) {
                    try await harness.service.login(identifier: identifier, password: password)
                })
        }
        #expect(answers.map(\.?.code) == [.invalidCredentials, .invalidCredentials, .invalidCredentials])
        #expect(Set(answers.map { $0?.message.indonesian }).count == 1, "one message for all three")
        #expect(answers.allSatisfy { $0?.retryAt == nil })
        harness.waitOutThrottle()
        #expect(
            try await harness.service.login(identifier: "operator@sdn1.sch.id", password: Harness.password)
                .role == .operator)
    }

    @Test("an empty password is refused as missing: nothing is tried, counted or written, however often")
    func emptyPasswordNotCounted() async throws {
        let (harness, hasher) = try Harness.counting(.memory)
        let manager = try await harness.verifiedOperator()
        let commits = try await harness.commitCount()
        let evaluations = hasher.count
        for _ in 0..<(harness.service.configuration.loginThrottle.maximumConsecutiveFailures + 5) {
            let error = await #expect(throws: VerificationError.self) {
                try await harness.service.login(identifier: "operator1", password: "")
            }
            #expect(error?.code == .invalidInput)
            #expect(error?.message.english == "The password is required.")
        }
        #expect(try await harness.commitCount() == commits)
        #expect(hasher.count == evaluations)
        #expect(
            try await harness.service.login(identifier: "operator1", password: Harness.password).account == manager.id)
    }

    @Test("100 consecutive failures lock an account until its operator unlocks it")
    func lifetimeCap() async throws {
        let (harness, hasher) = try Harness.counting(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let policy = harness.service.configuration.loginThrottle
        #expect(policy.maximumConsecutiveFailures == 100)
        hasher.reset()
        // Alternate the two identifiers and wait out every delay and lock: still 100 guesses at most.
        for failure in 0..<policy.maximumConsecutiveFailures {
            let identifier = failure.isMultiple(of: 2) ? "budi.santoso" : "budi.santoso@gmail.com"
            harness.waitOutThrottle()
            await harness.failLogin(identifier, "failure \(failure + 1)")
        }
        #expect(hasher.count == policy.maximumConsecutiveFailures)
        harness.clock.advance(by: 30 * 24 * 3600)
        // Neither identifier alone failed 100 times: each answers as an unknown one would, and the
        // right password is not checked (the answer's message says the account may be held).
        for identifier in ["budi.santoso", "budi.santoso@gmail.com"] {
            let locked = await #expect(throws: VerificationError.self) {
                try await harness.service.login(identifier: identifier, password: Harness.ptkPassword)
            }
            #expect(locked?.code == .invalidCredentials)
            #expect(locked?.retryAt == nil)
        }
        // A lock under the identifier itself says so: it has 51 failures (the refused right password
        // counted as one), so 49 more lock it.
        for failure in 0..<policy.maximumConsecutiveFailures / 2 - 1 {
            harness.waitOutThrottle()
            await harness.failLogin("budi.santoso", "failure \(failure + 1) under the username alone")
        }
        let locked = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        }
        #expect(locked?.code == .accountLocked)
        #expect(locked?.retryAt == nil)
        // The PTK cannot unlock themself; their operator can.
        let refused = await #expect(throws: VerificationError.self) {
            try await harness.service.unlockAccount(ptk.id, by: ptk.id)
        }
        #expect(refused?.code == .authorization)
        try await harness.service.unlockAccount(ptk.id, by: manager.id)
        #expect(try await harness.eventKinds().last == .accountUnlocked)
        #expect(
            try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword).account == ptk.id
        )
    }

    @Test("an operator locked by 100 failures is unlocked by the administrator path; unknown names lock alike")
    func operatorUnlock() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.createSchool()
        let limit = harness.service.configuration.loginThrottle.maximumConsecutiveFailures
        for identifier in ["operator1", "tidak.ada"] {
            for _ in 0..<limit {
                harness.waitOutThrottle()
                await harness.failLogin(identifier)
            }
            harness.clock.advance(by: 30 * 24 * 3600)
            let locked = await #expect(throws: VerificationError.self) {
                try await harness.service.login(identifier: identifier, password: Harness.password)
            }
            #expect(locked?.code == .accountLocked)
        }
        try await harness.service.unlockAccountAsAdministrator(manager.id)
        #expect(try await harness.service.login(identifier: "operator1", password: Harness.password).role == .operator)
    }

    @Test("an administrator who knows only the school unlocks its operator; a school without one is refused")
    func administratorUnlocksBySchool() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.createSchool()
        for _ in 0..<harness.service.configuration.loginThrottle.maximumConsecutiveFailures {
            harness.waitOutThrottle()
            await harness.failLogin("operator1")
        }
        harness.clock.advance(by: 30 * 24 * 3600)
        let locked = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "operator1", password: Harness.password)
        }
        #expect(locked?.code == .accountLocked)
        let unlocked = try await harness.service.unlockOperatorAsAdministrator(of: manager.schoolNPSN)
        #expect(unlocked.id == manager.id)
        #expect(try await harness.service.login(identifier: "operator1", password: Harness.password).role == .operator)
        let unknown = await #expect(throws: VerificationError.self) {
            try await harness.service.unlockOperatorAsAdministrator(of: try NPSN("20999999"))
        }
        #expect(unknown?.code == .notFound)
    }

    @Test("a wrong current password claims its attempt before hashing, like a login")
    func reauthenticationConcurrency() async throws {
        let (harness, hasher) = try Harness.counting(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        hasher.reset()
        let service = harness.service
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    _ = try? await service.changePassword(from: "bukan-sandinya", to: "Sandi-Baru-Sekali-9", by: ptk.id)
                }
            }
        }
        #expect(hasher.count <= service.configuration.loginThrottle.freeFailures + 1)
    }
}
