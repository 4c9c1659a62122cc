import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct PasswordChangeTests {
    static let newPassword = "Sawah-Hijau-Berseri-42"

    @Test(
        "a PTK changes their own password; the event names who and when, and no record holds it",
        arguments: StoreKind.allCases)
    func changesOwnPassword(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        try await harness.service.changePassword(from: Harness.ptkPassword, to: Self.newPassword, by: ptk.id)

        #expect(
            try await harness.service.login(identifier: "budi.santoso", password: Self.newPassword).account == ptk.id)
        let old = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        }
        #expect(old?.code == .invalidCredentials)
        let event = try #require(try await harness.service.events().last { $0.kind == .passwordChanged })
        #expect(event.actor == ptk.id)
        #expect(event.account == ptk.id)
        #expect(event.time == harness.clock.now)
        let everything = try await harness.store.changes(after: 0, limit: Int.max)
            .flatMap(\.puts).map { String(decoding: $0.value, as: UTF8.self) }.joined()
        #expect(!everything.contains(Self.newPassword))
        #expect(!everything.contains(Harness.ptkPassword))
    }

    @Test("a wrong current password is refused, changes no password, and is throttled like a login")
    func wrongCurrentPassword() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        // Three free failures, then a 2-second wait even for the right password.
        for _ in 0..<4 {
            let error = await #expect(throws: VerificationError.self) {
                try await harness.service.changePassword(from: "bukan-sandinya", to: Self.newPassword, by: ptk.id)
            }
            #expect(error?.code == .invalidCredentials)
        }
        let blocked = await #expect(throws: VerificationError.self) {
            try await harness.service.changePassword(from: Harness.ptkPassword, to: Self.newPassword, by: ptk.id)
        }
        #expect(blocked?.code == .loginThrottled)
        #expect(blocked?.retryAt == harness.clock.now.addingTimeInterval(2))
        #expect(try await harness.eventKinds().filter { $0 == .passwordChanged }.isEmpty)
        harness.clock.advance(by: 2)
        #expect(
            try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword).account == ptk.id
        )
    }

    @Test(
        "a new password the policy refuses is a typed error and changes nothing",
        arguments: [
            "", "pendek", "budi.santoso", "budi.santoso@gmail.com", "password123",
            String(repeating: "x", count: 10_000),
        ])
    func policyRefusal(_ newPassword: String) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.changePassword(from: Harness.ptkPassword, to: newPassword, by: ptk.id)
        }
        #expect(error?.code == .invalidInput)
        #expect(error?.validation != nil)
        #expect(try await harness.commitCount() == before)
    }

    @Test("an operator setting a PTK password that equals the PTK's username is refused, nothing changed")
    func operatorSetsPasswordEqualToUsername() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.updateStaff(ptk.id, password: "Budi.Santoso", by: manager.id)
        }
        #expect(error?.code == .invalidInput)
        #expect(try await harness.commitCount() == before)
    }

    @Test("an unknown caller cannot change a password")
    func unknownCaller() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.changePassword(from: Harness.password, to: Self.newPassword, by: .random())
        }
        #expect(error?.code == .authorization)
        #expect(try await harness.commitCount() == before)
    }
}
