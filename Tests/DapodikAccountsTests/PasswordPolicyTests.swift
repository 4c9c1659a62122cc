import DapodikAccounts
import DapodikLanguage
import Testing

struct PasswordPolicyTests {
    static let policy = PasswordPolicy()

    static func validate(_ password: String, username: String? = nil, email: String? = nil) throws {
        try policy.validate(
            password, username: username.map { try! Username($0) }, email: email.map { try! EmailAddress($0) })
    }

    /// The code of the error validating `password` throws (a recorded issue when it throws none).
    static func code(
        of password: String, username: String? = nil, email: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> ValidationError.Code? {
        #expect(throws: ValidationError.self, sourceLocation: sourceLocation) {
            try validate(password, username: username, email: email)
        }?.code
    }

    @Test("8 characters are enough, 7 are not")
    func minimumLength() {
        #expect(throws: Never.self) { try Self.validate("kopi tubruk"[...].prefix(8).description) }
        #expect(Self.code(of: "kopitub") == .passwordTooShort)
    }

    @Test("characters are counted as Unicode code points after NFKC, not as bytes")
    func countsCodePoints() {
        // 8 code points, 20 UTF-8 bytes.
        #expect(throws: Never.self) { try Self.validate("ꦱꦸꦏꦂꦤꦺꦴꦏ") }
        // 7 code points, even though each é typed with a combining accent is two before NFKC.
        #expect(Self.code(of: "e\u{301}e\u{301}e\u{301}abcd") == .passwordTooShort)
    }

    @Test("256 characters are allowed, 257 are not")
    func maximumLength() {
        let long = String(repeating: "kopi susu ", count: 26)
        #expect(throws: Never.self) { try Self.validate(String(long.prefix(256))) }
        #expect(Self.code(of: String(long.prefix(256)) + "x") == .passwordTooLong)
    }

    @Test(
        "no composition rules: lower-case letters alone, spaces and emoji are fine",
        arguments: ["kopi tubruk pagi hari", "sepedaonthel", "🌋🌴🌊🐉🏝️🌺🍚☕", "      spasi di depan"])
    func noCompositionRules(_ password: String) {
        #expect(throws: Never.self) { try Self.validate(password) }
    }

    @Test(
        "refuses the most common passwords, Indonesian favourites included, whatever their case",
        arguments: [
            "12345678", "password", "indonesia", "Bismillah", "sayang123", "DAPODIK123", "dapodik2025", "merdeka45",
            "qwerty123", "alhamdulillah", "p@ssw0rd", "iloveyou",
        ])
    func refusesCommon(_ password: String) {
        #expect(Self.code(of: password) == .passwordCommon)
    }

    @Test("refuses a short common password as too short first", arguments: ["sayang", "123456"])
    func shortCommon(_ password: String) {
        #expect(Self.code(of: password) == .passwordTooShort)
    }

    @Test(
        "refuses runs of one character or of consecutive characters",
        arguments: ["aaaaaaaaa", "abcdefghij", "98765432", "zzzzzzzzzzzz"])
    func refusesRuns(_ password: String) {
        #expect(Self.code(of: password) == .passwordCommon)
    }

    @Test("refuses the username, the e-mail address and its local part, whatever their case")
    func refusesIdentity() {
        #expect(Self.code(of: "Kartini.Wulan", username: "kartini.wulan") == .passwordMatchesIdentity)
        #expect(Self.code(of: "kartini.w85", email: "Kartini.W85@gmail.com") == .passwordMatchesIdentity)
        #expect(Self.code(of: "kartini.w85@gmail.com", email: "kartini.w85@gmail.com") == .passwordMatchesIdentity)
        #expect(throws: Never.self) {
            try Self.validate("kartini.w85!", username: "kartini.w85", email: "kartini.w85@gmail.com")
        }
    }

    @Test("refuses control characters", arguments: ["kopi\ttubruk", "kopi\ntubruk", "kopi\0tubruk"])
    func refusesControl(_ password: String) {
        #expect(Self.code(of: password) == .passwordControlCharacter)
    }

    @Test("the common list holds a couple hundred lower-case entries")
    func listSize() {
        #expect(PasswordPolicy.defaultCommonPasswords.count >= 200)
        #expect(PasswordPolicy.defaultCommonPasswords.allSatisfy { $0 == $0.lowercased() })
    }

    @Test("a custom policy applies its own limits and list")
    func customPolicy() {
        let policy = PasswordPolicy(minimumLength: 12, maximumLength: 64, commonPasswords: ["Kopitubruk123"])
        #expect(throws: ValidationError.self) { try policy.validate("sebelas-kar") }
        let error = #expect(throws: ValidationError.self) { try policy.validate("KOPITUBRUK123") }
        #expect(error?.code == .passwordCommon)
        #expect(error?.field == "password")
        #expect(error?.message(in: .indonesian).contains("terlalu umum") == true)
    }
}
