import DapodikVerification
import Foundation
import Testing

/// `loginReadingOnly(identifier:password:)`: the login of a program that only reads, over a file
/// store opened read-only, where any commit fails: it writes nothing and still honours the throttle.
@Suite(.timeLimit(.minutes(10)))
struct ReadOnlyLoginTests {
    /// The harness's service over the same directory opened read-only (as it is now).
    static func readingOnly(_ harness: Harness) throws -> (VerificationService, FileRecordStore) {
        var options = FileRecordStore.Options()
        options.readOnly = true
        let store = try FileRecordStore(directory: try #require(harness.directory), options: options)
        return (harness.sibling { $0.store = store }, store)
    }

    @Test("on a read-only store a right password gives the session and a wrong one is refused, writing nothing")
    func rightAndWrongPassword() async throws {
        let harness = try Harness.make(.file)
        let account = try await harness.createSchool()
        let (service, store) = try Self.readingOnly(harness)
        defer { store.close() }
        let session = try await service.loginReadingOnly(identifier: " Operator1 ", password: Harness.password)
        #expect(session.account == account.id)
        #expect(session.role == .operator)
        let wrong = await #expect(throws: VerificationError.self) {
            try await service.loginReadingOnly(identifier: "operator1", password: "salah-salah-salah")
        }
        #expect(wrong?.code == .invalidCredentials)
        let unknown = await #expect(throws: VerificationError.self) {
            try await service.loginReadingOnly(identifier: "nobody", password: Harness.password)
        }
        #expect(unknown?.code == .invalidCredentials)
        // The ordinary login commits its claim first: refused by the read-only store, as a storage failure.
        let ordinary = await #expect(throws: VerificationError.self) {
            try await service.login(identifier: "operator1", password: Harness.password)
        }
        #expect(ordinary?.code == .storage)
    }

    @Test("on a read-only store an identifier throttled in the store is refused before the password is checked")
    func throttledIdentifierRefused() async throws {
        let harness = try Harness.make(.file)
        try await harness.createSchool()
        for _ in 0..<4 { await harness.failLogin("operator1") }
        let (service, store) = try Self.readingOnly(harness)
        defer { store.close() }
        let throttled = await #expect(throws: VerificationError.self) {
            try await service.loginReadingOnly(identifier: "operator1", password: Harness.password)
        }
        #expect(throttled?.code == .loginThrottled)
        #expect(throttled?.retryAt != nil)
        // Blocked under its username, the account answers to its address as to an unknown one.
        let other = await #expect(throws: VerificationError.self) {
            try await service.loginReadingOnly(identifier: "operator@sdn1.sch.id", password: Harness.password)
        }
        #expect(other?.code == .invalidCredentials)
    }
}
