import DapodikVerification
import Foundation
import Testing

/// Bad input through the public API: each gets a typed error and changes nothing.
@Suite(.timeLimit(.minutes(10)))
struct BadInputTests {
    static let huge = String(repeating: "a", count: 10_000)

    @Test(
        "odd login identifiers get the one answer for wrong credentials, and touch no account",
        arguments: ["", "   ", huge, "operator1\r\nBcc: x@contoh.id", "opérateur@sekolah.id", "operator1\u{0}", "運営者"])
    func oddIdentifiers(_ identifier: String) async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()
        let before = try await harness.service.events()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: identifier, password: Harness.password)
        }
        #expect(error?.code == .invalidCredentials)
        #expect(try await harness.service.events() == before)
    }

    @Test("a megabyte-long password is wrong, not hashed, and not a crash")
    func hugePassword() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "operator1", password: String(repeating: "x", count: 1 << 20))
        }
        #expect(error?.code == .invalidCredentials)
    }

    @Test(
        "text that is not a code is refused as input, not counted as an attempt",
        arguments: [
            "", "   ", "12345", "1234567", "abcdef", String(repeating: "1", count: 10_000), "12345²", "12-34-5",
        ])
    func notACode(_ typed: String) async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: account.id, by: account.id)
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.submitCode(typed, for: account.id, by: account.id)
        }
        #expect(error?.code == .invalidInput)
        #expect(try await harness.commitCount() == before)
        #expect(try await harness.service.deliveryStatus(for: account.id, by: account.id).attemptsLeft == 5)
    }

    @Test(
        "values with line breaks, NUL or 10,000 characters cannot even be built",
        arguments: [huge, "a\r\nb", "a\u{0}b"])
    func typedValuesRefuse(_ text: String) {
        #expect(throws: ValidationError.self) { try EmailAddress(text + "@gmail.com") }
        #expect(throws: ValidationError.self) { try Username(text) }
        if text == Self.huge {
            let error = #expect(throws: ValidationError.self) { try DisplayName(text) }
            #expect(error?.code == .nameTooLong)
        }
    }

    @Test("a line break in a name is refused, naming it; a name cannot forge a header of the e-mail")
    func lineBreakInName() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let error = #expect(throws: ValidationError.self) { try DisplayName("Budi\r\nBcc: semua@contoh.id") }
        #expect(error?.code == .nameControlCharacter)
        #expect(error?.message.english.contains("U+000D") == true)
        let ptk = try await harness.registerPTK("Budi Bcc: semua@contoh.id", by: manager)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let text = try #require(harness.transport.deliveries(to: ptk.email!).first?.message.text)
        let headerLines = text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(!headerLines.contains { $0.lowercased().hasPrefix("bcc:") })
        #expect(harness.transport.deliveries(to: ptk.email!).first?.envelope.recipients.count == 1)
    }

    @Test("a non-ASCII name goes through registration and the e-mail")
    func nonASCIIName() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(
            "Ni Luh Putu Ayu Dewi Ñandú 王", username: "niluh", email: "niluh@gmail.com", by: manager)
        let status = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        #expect(status.state == .handedOver(at: harness.clock.now, maskedAddress: "n•••@gmail.com"))
        #expect(
            try await harness.service.listStaff(by: manager.id).map(\.displayName.value) == [
                "Ni Luh Putu Ayu Dewi Ñandú 王"
            ])
    }

    @Test(
        "passwords the policy refuses are typed errors at registration and update, nothing stored",
        arguments: ["", "pendek", String(repeating: "Ab1-", count: 2_500)])
    func refusedPasswords(_ password: String) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let before = try await harness.commitCount()
        let registration = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(
                AccountRegistration(
                    displayName: try DisplayName("Eka"), username: try Username("eka"),
                    email: try EmailAddress("eka@gmail.com"), password: password),
                by: manager.id)
        }
        #expect(registration?.code == .invalidInput)
        let update = await #expect(throws: VerificationError.self) {
            try await harness.service.updateStaff(ptk.id, password: password, by: manager.id)
        }
        #expect(update?.code == .invalidInput)
        #expect(try await harness.commitCount() == before)
    }

    @Test("correcting the address with a wrong or absurd password changes nothing about the account")
    func correctEmailWrongPassword() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        for password in ["", "salah-sandi", Self.huge] {
            let error = await #expect(throws: VerificationError.self) {
                try await harness.service.correctEmail(
                    to: try EmailAddress("budi.baru@gmail.com"), password: password, by: ptk.id)
            }
            #expect(error?.code == .invalidCredentials)
        }
        #expect(try await harness.service.accountOverview(by: ptk.id).email == ptk.email)
        #expect(try await harness.eventKinds().filter { $0 == .emailChanged }.isEmpty)
    }

    @Test("odd feed limits are not errors")
    func feedLimits() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()
        #expect(try await harness.service.events(limit: 0).count == 1)
        #expect(try await harness.service.events(limit: -5).count == 1)
        #expect(try await harness.service.events(limit: Int.max).count == 1)
    }
}
