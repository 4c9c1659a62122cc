import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

struct AccountTests {
    @Test("a new account is unverified, at version 0, updated when created")
    func newAccount() {
        let account = Fixtures.account(.ptk)
        #expect(account.emailStatus == .unverified)
        #expect(!account.isEmailVerified)
        #expect(account.version == 0)
        #expect(account.updatedAt == account.createdAt)
    }

    @Test("an account without an e-mail address is never verified")
    func noAddress() {
        #expect(!Fixtures.account(.ptk, email: nil, verified: true).isEmailVerified)
    }

    @Test("a verification counts only for the account's current address")
    func verificationBelongsToAnAddress() throws {
        var account = Fixtures.account(.ptk)
        account.emailStatus = .verified(at: Fixtures.start, address: try EmailAddress("other@gmail.com"))
        #expect(!account.isEmailVerified)
        account.emailStatus = .verified(at: Fixtures.start, address: try EmailAddress("BUDI@gmail.com"))
        #expect(account.isEmailVerified)
    }

    @Test("changing to another mailbox makes the e-mail unverified again")
    func changingMailboxUnverifies() throws {
        var account = Fixtures.account(.ptk, verified: true)
        let later = Fixtures.start.addingTimeInterval(60)
        account.changeEmail(to: try EmailAddress("budi.baru@gmail.com"), at: later)
        #expect(account.email?.value == "budi.baru@gmail.com")
        #expect(account.emailStatus == .unverified)
        #expect(account.updatedAt == later)
    }

    @Test("changing only the letter case keeps the verification")
    func changingCaseKeepsVerification() throws {
        var account = Fixtures.account(.ptk, verified: true)
        account.changeEmail(to: try EmailAddress("Budi@Gmail.com"), at: Fixtures.start.addingTimeInterval(60))
        #expect(account.isEmailVerified)
        #expect(account.email?.value == "Budi@gmail.com")
    }

    @Test("removing the address makes it unverified")
    func removingAddress() {
        var account = Fixtures.account(.ptk, verified: true)
        account.changeEmail(to: nil, at: Fixtures.start)
        #expect(account.email == nil)
        #expect(account.emailStatus == .unverified)
    }

    @Test("a code accepted for the current address verifies it")
    func markVerified() throws {
        var account = Fixtures.account(.ptk)
        let now = Fixtures.start.addingTimeInterval(300)
        try account.markEmailVerified(try EmailAddress("budi@gmail.com"), at: now)
        #expect(account.isEmailVerified)
        #expect(account.emailStatus == .verified(at: now, address: try EmailAddress("budi@gmail.com")))
        #expect(account.updatedAt == now)
    }

    @Test("a code mailed to an address the account no longer has verifies nothing")
    func markVerifiedForOldAddress() throws {
        var account = Fixtures.account(.ptk)
        let before = account
        let error = #expect(throws: ValidationError.self) {
            try account.markEmailVerified(try EmailAddress("lama@gmail.com"), at: Fixtures.start)
        }
        #expect(error?.code == .emailNotCurrent)
        #expect(error?.message(in: .english).contains("l•••@gmail.com") == true)
        #expect(account == before)
    }

    @Test("round-trips through JSON with every field")
    func codable() throws {
        var account = Fixtures.account(.principal, verified: true)
        account.nuptk = try NUPTK("1234567890123456")
        account.nik = try NIK("3201015708850003")
        account.nip = try NIP("198503122010012003")
        account.password = PasswordCredential(encoded: "$pbkdf2-sha256$i=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
        account.version = 7
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(Account.self, from: encoder.encode(account))
        #expect(decoded == account)
    }

    @Test("decoding refuses an account whose stored NIK was tampered with")
    func decodingTampered() throws {
        let json = try JSONEncoder().encode(Fixtures.account(.ptk))
        var object = try #require(JSONSerialization.jsonObject(with: json) as? [String: Any])
        object["nik"] = "3201013208850001"
        let tampered = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Account.self, from: tampered) }
    }
}

struct EmailStatusTests {
    @Test("encodes with a state discriminator and decodes back")
    func codable() throws {
        let verified = EmailStatus.verified(at: Fixtures.start, address: try EmailAddress("budi@gmail.com"))
        for status in [EmailStatus.unverified, verified] {
            #expect(try JSONDecoder().decode(EmailStatus.self, from: JSONEncoder().encode(status)) == status)
        }
        let text = String(decoding: try JSONEncoder().encode(EmailStatus.unverified), as: UTF8.self)
        #expect(text == #"{"state":"unverified"}"#)
    }

    @Test("refuses an unknown state")
    func unknownState() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(EmailStatus.self, from: Data(#"{"state":"maybe"}"#.utf8))
        }
    }
}

struct SchoolAndRoleTests {
    @Test("a school is identified by its NPSN and round-trips through JSON")
    func school() throws {
        let school = School(npsn: Fixtures.schoolA, name: try DisplayName("SD Negeri 1 Wamena"), timeZone: .wit)
        #expect(school.id == Fixtures.schoolA)
        #expect(try JSONDecoder().decode(School.self, from: JSONEncoder().encode(school)) == school)
    }

    @Test("roles have their Dapodik names in both languages")
    func roleNames() {
        #expect(Role.operator.displayName.indonesian == "Operator Sekolah")
        #expect(Role.principal.displayName.text(in: .indonesian) == "Kepala Sekolah")
        #expect(Role.ptk.displayName.text(in: .english).contains("PTK"))
        #expect(Role.allCases.count == 3)
    }
}
