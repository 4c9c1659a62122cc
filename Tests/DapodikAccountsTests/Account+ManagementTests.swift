import DapodikAccounts
import DapodikLanguage
import Testing

struct AccountManagementTests {
    static func denial(_ decision: ManagementDecision) -> ManagementDenial.Code? {
        if case .denied(let denial) = decision { return denial.code }
        return nil
    }

    @Test("a verified operator manages the PTK of their own school")
    func operatorManagesPTK() {
        let operatorAccount = Fixtures.account(.operator, verified: true)
        #expect(operatorAccount.mayManage(Fixtures.account(.ptk, username: "ani")) == .allowed)
    }

    @Test("a verified operator manages the principal of their own school")
    func operatorManagesPrincipal() {
        let operatorAccount = Fixtures.account(.operator, verified: true)
        #expect(operatorAccount.mayManage(Fixtures.account(.principal, username: "kepsek")).isAllowed)
    }

    @Test("an operator whose own e-mail is not verified manages nobody else yet")
    func unverifiedOperator() {
        let operatorAccount = Fixtures.account(.operator, verified: false)
        let decision = operatorAccount.mayManage(Fixtures.account(.ptk, username: "ani"))
        #expect(Self.denial(decision) == .actorEmailNotVerified)
        #expect(!decision.isAllowed)
    }

    @Test("an operator whose verification belongs to an earlier address counts as unverified")
    func operatorWithStaleVerification() throws {
        var operatorAccount = Fixtures.account(.operator, verified: true)
        operatorAccount.changeEmail(to: try EmailAddress("baru@gmail.com"), at: Fixtures.start)
        #expect(Self.denial(operatorAccount.mayManage(Fixtures.account(.ptk))) == .actorEmailNotVerified)
    }

    @Test("an unverified operator may still manage their own account, to verify it")
    func unverifiedOperatorManagesSelf() {
        let operatorAccount = Fixtures.account(.operator, verified: false)
        #expect(operatorAccount.mayManage(operatorAccount) == .allowed)
    }

    @Test("no operator manages an account of another school")
    func otherSchool() {
        let operatorAccount = Fixtures.account(.operator, verified: true)
        let decision = operatorAccount.mayManage(Fixtures.account(.ptk, school: Fixtures.schoolB))
        #expect(Self.denial(decision) == .otherSchool)
        guard case .denied(let denial) = decision else { return }
        // The other school's NPSN is not the caller's to learn.
        #expect(!denial.message(in: .english).contains("20100002"))
        #expect(!denial.message(in: .indonesian).contains("20100002"))
    }

    @Test("an operator does not manage another operator")
    func operatorVersusOperator() {
        let operatorAccount = Fixtures.account(.operator, verified: true)
        let decision = operatorAccount.mayManage(Fixtures.account(.operator, username: "ops2", verified: true))
        #expect(Self.denial(decision) == .targetRoleNotManageable)
    }

    @Test("a PTK manages only themself", arguments: [Role.operator, .principal, .ptk])
    func ptkManagesOnlyThemself(_ targetRole: Role) {
        let ptk = Fixtures.account(.ptk, verified: true)
        #expect(ptk.mayManage(ptk) == .allowed)
        #expect(Self.denial(ptk.mayManage(Fixtures.account(targetRole, username: "lain"))) == .roleManagesOnlyItself)
    }

    @Test("a principal manages only themself", arguments: [Role.operator, .principal, .ptk])
    func principalManagesOnlyThemself(_ targetRole: Role) {
        let principal = Fixtures.account(.principal, verified: true)
        #expect(principal.mayManage(principal) == .allowed)
        let decision = principal.mayManage(Fixtures.account(targetRole, username: "lain"))
        #expect(Self.denial(decision) == .roleManagesOnlyItself)
        guard case .denied(let denial) = decision else { return }
        #expect(denial.message(in: .indonesian).contains("Kepala Sekolah"))
    }

    @Test("another school is reported before the role")
    func orderOfRules() {
        let ptk = Fixtures.account(.ptk)
        #expect(Self.denial(ptk.mayManage(Fixtures.account(.ptk, school: Fixtures.schoolB))) == .otherSchool)
    }
}
