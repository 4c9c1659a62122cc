import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SessionResumeTests {
    static let newPassword = "Sawah-Hijau-Berseri-42"

    /// Expects `session` to be ended, with the message in both languages.
    func expectEnded(_ session: Session, on service: VerificationService, _ comment: Comment? = nil) async {
        let error = await #expect(throws: VerificationError.self, comment) { try await service.resume(session) }
        #expect(error?.code == .sessionEnded, comment)
        #expect(error?.message.indonesian.contains("masuk lagi") == true, comment)
        #expect(error?.message.english.contains("sign in again") == true, comment)
    }

    @Test(
        "a session resumes as long as the password is the same, and brings what changed", arguments: StoreKind.allCases)
    func resumesWithUpdates(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        let session = try await harness.service.login(identifier: "operator1", password: Harness.password)
        #expect(!session.isEmailVerified)
        #expect(try await harness.service.resume(session) == session)
        let code = try await harness.requestedCode(for: account)
        _ = try await harness.service.submitCode(code, for: account.id, by: account.id)
        let resumed = try await harness.service.resume(session)
        #expect(resumed.isEmailVerified)
        #expect(resumed.credentialStamp == session.credentialStamp)
        #expect(resumed.account == session.account)
    }

    @Test(
        "a password changed by its holder ends every other session of the account; a new login resumes",
        arguments: StoreKind.allCases)
    func holderChangesPassword(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let phone = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        let laptop = try await harness.service.login(
            identifier: "budi.santoso@gmail.com", password: Harness.ptkPassword)
        #expect(phone.credentialStamp == laptop.credentialStamp)
        try await harness.service.changePassword(from: Harness.ptkPassword, to: Self.newPassword, by: ptk.id)
        await expectEnded(phone, on: harness.service)
        await expectEnded(laptop, on: harness.service)
        let fresh = try await harness.service.login(identifier: "budi.santoso", password: Self.newPassword)
        #expect(fresh.credentialStamp != phone.credentialStamp)
        #expect(try await harness.service.resume(fresh) == fresh)
        // Setting the same password again stores a fresh salt: a new credential, so sessions end too.
        try await harness.service.changePassword(from: Self.newPassword, to: Self.newPassword, by: ptk.id)
        await expectEnded(fresh, on: harness.service)
    }

    @Test("the operator's new password for a PTK ends the PTK's sessions; a new address alone does not")
    func operatorResetsPassword() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        _ = try await harness.service.submitCode(code, for: ptk.id, by: ptk.id)
        let session = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        #expect(session.isEmailVerified)
        let operatorSession = try await harness.service.login(identifier: "operator1", password: Harness.password)

        _ = try await harness.service.updateStaff(
            ptk.id, email: try EmailAddress("budi.baru@gmail.com"), by: manager.id)
        let moved = try await harness.service.resume(session)
        #expect(!moved.isEmailVerified, "the new address is not verified yet")

        _ = try await harness.service.updateStaff(ptk.id, password: Self.newPassword, by: manager.id)
        await expectEnded(session, on: harness.service)
        #expect(try await harness.service.resume(operatorSession) == operatorSession, "only the PTK's sessions end")
    }

    @Test("a password changed through another service over the same file store ends the session")
    func changedByAnotherServer() async throws {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let session = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        let directory = try #require(harness.directory)
        let otherStore = try FileRecordStore(directory: directory)
        let other = harness.sibling { $0.store = otherStore }
        try await other.changePassword(from: Harness.ptkPassword, to: Self.newPassword, by: ptk.id)
        otherStore.close()
        await expectEnded(session, on: harness.service)
    }

    @Test("a rehash with new parameters at a later login ends the sessions opened before it")
    func rehashEndsOlderSessions() async throws {
        let harness = try Harness.make(.memory)
        _ = try await harness.createSchool()
        let before = try await harness.service.login(identifier: "operator1", password: Harness.password)
        let upgraded = harness.sibling { $0.passwordHasher = PBKDF2PasswordHasher(iterations: 1_500) }
        let after = try await upgraded.login(identifier: "operator1", password: Harness.password)
        await expectEnded(before, on: upgraded)
        #expect(try await upgraded.resume(after) == after)
    }

    @Test("failed logins by someone else do not end the holder's session, even once the account is locked")
    func lockDoesNotEndSessions() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        _ = try await harness.registerPTK(by: manager)
        let session = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        let policy = harness.service.configuration.loginThrottle
        for failure in 0..<policy.maximumConsecutiveFailures {
            harness.waitOutThrottle()
            await harness.failLogin("budi.santoso", "failure \(failure + 1)")
        }
        let locked = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        }
        #expect(locked?.code == .accountLocked)
        #expect(try await harness.service.resume(session) == session)
    }

    @Test("a forged or altered session is ended and changes nothing")
    func forgedSessions() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let session = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)
        let before = try await harness.commitCount()
        var forged = session
        for text in ["", "0000", String(repeating: "0", count: 32), session.credentialStamp.text.uppercased()] {
            forged.credentialStamp = CredentialStamp(text: text)
            await expectEnded(forged, on: harness.service, "stamp \(text)")
        }
        var otherAccount = session
        otherAccount.account = manager.id
        await expectEnded(otherAccount, on: harness.service, "another account with this stamp")
        var otherSchool = session
        otherSchool.npsn = try NPSN("20100102")
        await expectEnded(otherSchool, on: harness.service, "another school")
        var gone = session
        gone.account = AccountID.random()
        await expectEnded(gone, on: harness.service, "no such account")
        #expect(try await harness.commitCount() == before)
        #expect(ptk.id == session.account)
    }

    @Test("the stamp is 32 hex digits that hold no part of the stored credential, printed as four")
    func stampRevealsNothing() async throws {
        let harness = try Harness.make(.memory)
        _ = try await harness.createSchool()  // the only account: the one credential in the store
        let session = try await harness.service.login(identifier: "operator1", password: Harness.password)
        let stamp = session.credentialStamp
        #expect(stamp.text.count == 32)
        #expect(stamp.text.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let records = try await harness.store.changes(after: 0, limit: Int.max)
            .flatMap(\.puts).map { String(decoding: $0.value, as: UTF8.self) }
        let stored = try #require(records.first { $0.contains("$pbkdf2") })
        let encoded = try #require(stored.split(separator: "\"").first { $0.hasPrefix("$pbkdf2") })
        let parts = String(encoded).split(separator: "$").map(String.init).filter { $0.count >= 8 }
        #expect(parts.count >= 2, "the salt and the hash")
        for part in parts {
            #expect(!stamp.text.contains(part.lowercased()))
            #expect(!part.lowercased().contains(stamp.text))
        }
        #expect("\(stamp)" == String(stamp.text.prefix(4)) + "…")
        let coded = try JSONDecoder().decode(CredentialStamp.self, from: try JSONEncoder().encode(stamp))
        #expect(coded == stamp)
    }
}
