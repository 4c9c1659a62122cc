import DapodikAccounts
import Testing

struct SendableTests {
    @Test("the model's values cross into a detached task", .timeLimit(.minutes(10)))
    func detached() async throws {
        let account = Fixtures.account(.operator, verified: true)
        let hasher = PBKDF2PasswordHasher(iterations: 10)
        let policy = PasswordPolicy()
        let suggester = EmailTypoSuggester.standard
        let target = Fixtures.account(.ptk, username: "ani", email: "ani@gmial.com")
        let result = try await Task.detached {
            let credential = hasher.hash("kopi tubruk pagi")
            try policy.validate("kopi tubruk pagi", username: target.username, email: target.email)
            return (
                account.mayManage(target).isAllowed, try hasher.verify("kopi tubruk pagi", against: credential),
                suggester.suggestion(for: target.email!)?.domain
            )
        }.value
        #expect(result.0)
        #expect(result.1)
        #expect(result.2 == "gmail.com")
    }
}
