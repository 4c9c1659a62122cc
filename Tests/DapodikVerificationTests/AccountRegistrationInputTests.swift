import DapodikAccounts
import DapodikVerification
import Testing

/// `AccountRegistration.validateInput`: what a program checks before it sets anything up (a new data
/// directory), with the same errors the service gives.
@Suite("AccountRegistration.validateInput: the checks that need no store")
struct AccountRegistrationInputTests {
    private func registration(email: String, password: String, confirming: Bool = false) throws -> AccountRegistration {
        AccountRegistration(
            displayName: try DisplayName("Siti Aminah"), username: try Username("siti"),
            email: try EmailAddress(email), password: password, confirmingUnusualDomain: confirming)
    }

    @Test("a likely typo of the address is refused with its suggestion, unless confirmed")
    func typo() throws {
        let error = #expect(throws: VerificationError.self) {
            try self.registration(email: "siti@gmial.com", password: "Sekolah-Hebat-2026").validateInput()
        }
        #expect(error?.code == .possibleTypo)
        #expect(error?.suggestion == (try EmailAddress("siti@gmail.com")))
        #expect(error?.message.indonesian.contains("siti@gmail.com") == true)
        try registration(email: "siti@gmial.com", password: "Sekolah-Hebat-2026", confirming: true).validateInput()
        try registration(email: "siti@gmail.com", password: "Sekolah-Hebat-2026").validateInput()
    }

    @Test("a password the policy refuses is invalidInput with the policy's reason; the policy given is the one used")
    func password() throws {
        for weak in ["", "pendek", "password"] {
            let error = #expect(throws: VerificationError.self, "\(weak)") {
                try self.registration(email: "siti@gmail.com", password: weak).validateInput()
            }
            #expect(error?.code == .invalidInput, "\(weak)")
            #expect(error?.validation != nil, "\(weak)")
        }
        let relaxed = PasswordPolicy(minimumLength: 4)
        try registration(email: "siti@gmail.com", password: "Kuda-4").validateInput(passwordPolicy: relaxed)
        #expect(throws: VerificationError.self) {
            try self.registration(email: "siti@gmail.com", password: "Kuda-4").validateInput()
        }
    }
}
