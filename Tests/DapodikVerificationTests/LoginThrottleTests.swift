import DapodikCrypto
import DapodikVerification
import Foundation
import Synchronization
import Testing

/// A ``PasswordHasher`` that counts every password evaluation (a verify or a hash), to prove how many
/// guesses the service actually checked.
final class CountingPasswordHasher: PasswordHasher {
    let base: PBKDF2PasswordHasher
    private let evaluations = Mutex(0)

    init(iterations: Int = 1_000) { base = PBKDF2PasswordHasher(iterations: iterations) }

    var count: Int { evaluations.withLock { $0 } }

    func reset() { evaluations.withLock { $0 = 0 } }

    func hash(_ password: String) -> PasswordCredential {
        evaluations.withLock { $0 += 1 }
        return base.hash(password)
    }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        evaluations.withLock { $0 += 1 }
        return try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }
}

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
                directory: harness.directory),
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
        clock.advance(by: service.configuration.loginThrottle.lockDuration)
    }
}

@Suite(.timeLimit(.minutes(2)))
struct LoginThrottleTests {
    @Test(
        "concurrent wrong passwords for one account evaluate no more guesses than the throttle allows",
        arguments: StoreKind.allCases)
    func concurrentGuesses(_ kind: StoreKind) async throws {
        let (harness, hasher) = try Harness.counting(kind)
        defer { harness.tearDown() }
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

    @Test("a blocked account is blocked under its e-mail address too", arguments: StoreKind.allCases)
    func perAccount(_ kind: StoreKind) async throws {
        let (harness, hasher) = try Harness.counting(kind)
        defer { harness.tearDown() }
        try await harness.createSchool()
        for _ in 0..<4 { await harness.failLogin("operator1") }
        hasher.reset()
        let blocked = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "operator@sdn1.sch.id", password: "salah-salah-salah")
        }
        #expect(blocked?.code == .loginThrottled)
        #expect(blocked?.retryAt == harness.clock.now.addingTimeInterval(2))
        #expect(hasher.count == 0)
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
        for identifier in ["budi.santoso", "budi.santoso@gmail.com"] {
            let locked = await #expect(throws: VerificationError.self) {
                try await harness.service.login(identifier: identifier, password: Harness.ptkPassword)
            }
            #expect(locked?.code == .accountLocked)
            #expect(locked?.retryAt == nil)
        }
        #expect(hasher.count == policy.maximumConsecutiveFailures)
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

@Suite(.timeLimit(.minutes(1)))
struct LoginIdentifierTests {
    @Test(
        "a username cannot take another account's e-mail address, nor an address a username",
        arguments: StoreKind.allCases)
    func oneNamespace(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        defer { harness.tearDown() }
        let schoolA = try await harness.verifiedOperator()
        try await harness.createSchool(npsn: "20100102", email: "opb@sdn2.sch.id", username: "operator2")
        let taken = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(username: "opb@sdn2.sch.id", email: "guru.a@gmail.com", by: schoolA)
        }
        #expect(taken?.code == .usernameInUse)
        // The batch path and the dry run say the same.
        let registration = AccountRegistration(
            displayName: try DisplayName("Guru A"), username: try Username("OPB@sdn2.sch.id"),
            email: try EmailAddress("guru.a@gmail.com"), password: Harness.ptkPassword)
        #expect(
            try await harness.service.checkStaff([registration], by: schoolA.id).map(\.error.code) == [.usernameInUse])
        // A username that looks like an address blocks that address for others.
        let ptk = try await harness.registerPTK(username: "guru.b@gmail.com", email: "guru.b2@gmail.com", by: schoolA)
        let addressTaken = await #expect(throws: VerificationError.self) {
            try await harness.createSchool(npsn: "20100103", email: "guru.b@gmail.com", username: "operator3")
        }
        #expect(addressTaken?.code == .emailInUse)
        let corrected = await #expect(throws: VerificationError.self) {
            try await harness.service.updateStaff(
                ptk.id, email: try EmailAddress("operator@sdn1.sch.id"), by: schoolA.id)
        }
        #expect(corrected?.code == .emailInUse)
        // Rows of one batch cannot share an identifier across the two columns either.
        let rows = [
            AccountRegistration(
                displayName: try DisplayName("Guru C"), username: try Username("guru.c"),
                email: try EmailAddress("guru.c@gmail.com"), password: Harness.ptkPassword),
            AccountRegistration(
                displayName: try DisplayName("Guru D"), username: try Username("guru.c@gmail.com"),
                email: try EmailAddress("guru.d@gmail.com"), password: Harness.ptkPassword),
        ]
        #expect(try await harness.service.checkStaff(rows, by: schoolA.id).map(\.row) == [1])
        // School B still logs in by e-mail, and it opens school B's operator.
        let session = try await harness.service.login(identifier: "opb@sdn2.sch.id", password: Harness.password)
        #expect(session.role == .operator)
        #expect(session.npsn.description == "20100102")
    }
}

@Suite(.timeLimit(.minutes(1)))
struct SelfManagementTests {
    @Test("updateStaff refuses to change the caller's own password or address", arguments: StoreKind.allCases)
    func ownAccount(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        defer { harness.tearDown() }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let before = try await harness.commitCount()
        for account in [ptk, manager] {
            let password = await #expect(throws: VerificationError.self) {
                try await harness.service.updateStaff(account.id, password: "Sandi-Pengambil-Alih-1", by: account.id)
            }
            #expect(password?.code == .authorization)
            let email = await #expect(throws: VerificationError.self) {
                try await harness.service.updateStaff(
                    account.id, email: try EmailAddress("pencuri@gmail.com"), by: account.id)
            }
            #expect(email?.code == .authorization)
        }
        #expect(try await harness.commitCount() == before)
    }
}

/// A hasher that adds up the PBKDF2 work of every password check the service makes.
final class WorkCountingHasher: PasswordHasher {
    let base: PBKDF2PasswordHasher
    private let total = Mutex(0)

    init(iterations: Int) { base = PBKDF2PasswordHasher(iterations: iterations) }

    var work: Int { total.withLock { $0 } }

    func reset() { total.withLock { $0 = 0 } }

    func hash(_ password: String) -> PasswordCredential { base.hash(password) }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }

    func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool {
        let (matches, work) = base.verifyCountingWork(password, against: credential)
        total.withLock { $0 += work }
        return matches
    }
}

@Suite(.timeLimit(.minutes(1)))
struct LoginCostTests {
    @Test("after a parameter change an unknown name costs the same work as a dormant account's wrong password")
    func equalCostAfterParameterChange() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()  // hashed with 1,000 iterations
        let hasher = WorkCountingHasher(iterations: 1_500)
        let upgraded = harness.sibling { $0.passwordHasher = hasher }
        var work: [Int] = []
        for identifier in ["operator1", "tidak.ada", "operator@sdn1.sch.id"] {
            hasher.reset()
            _ = try? await upgraded.login(identifier: identifier, password: "salah-salah-salah")
            work.append(hasher.work)
        }
        #expect(work == [1_500, 1_500, 1_500])
    }

    @Test("throttle records are keyed by an HMAC under a key-ring subkey, not by a plain hash of what was typed")
    func keyedThrottleRecords() async throws {
        let material = Array(repeating: UInt8(7), count: 32)
        let harness = try Harness.make(.memory)
        let service = try harness.sibling {
            $0.keyRing = try CodeKeyRing(current: CodeKey(id: CodeKeyID("k9"), material: material))
        }
        let typed = "Rahasia-Sekolah-2026"
        _ = try? await service.login(identifier: typed, password: "salah-salah-salah")
        let keys = try await harness.store.changes(after: 0, limit: 100).flatMap(\.puts).map(\.key)
            .filter { $0.collection == "throttle" }
        // HKDF-Expand's one block, then the HMAC of the lower-cased identifier.
        let subkey = Crypto.hmacSHA256(
            key: material, message: Array("dapodik-verification-login-throttle-v1".utf8) + [1])
        let expected = Crypto.hmacSHA256(key: subkey, message: Array(typed.lowercased().utf8))
            .map { String(format: "%02x", $0) }.joined()
        let plain = Crypto.sha256(Array(typed.lowercased().utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(keys.map(\.id) == [expected])
        #expect(!keys.contains { $0.id == plain })
    }
}
