import DapodikAccounts
import DapodikLanguage
import Testing

@testable import DapodikCodes

@Suite("The policy's settings")
struct VerificationPolicyTests {
    @Test("defaults to design.md's table")
    func defaults() throws {
        let policy = VerificationPolicy.default
        #expect(policy.codeLength == 6)
        #expect(policy.codeLifetimeAfterHandOver == .seconds(30 * 60))
        #expect(policy.maximumCodeLifetime == .seconds(24 * 60 * 60))
        #expect(policy.maximumFailedAttempts == 5)
        #expect(policy.resendCooldown == .seconds(60))
        #expect(policy.maximumCodesPerChallenge == 5)
        #expect(policy.maximumMailsPerAddressPerDay == 10)
        #expect(try VerificationPolicy() == policy)
    }

    @Test("refuses settings out of range, naming the setting")
    func invalidSettings() {
        let cases: [(String, () throws -> VerificationPolicy)] = [
            ("codeLength", { try VerificationPolicy(codeLength: 4) }),
            ("codeLength", { try VerificationPolicy(codeLength: 13) }),
            ("codeLifetimeAfterHandOver", { try VerificationPolicy(codeLifetimeAfterHandOver: .zero) }),
            ("maximumCodeLifetime", { try VerificationPolicy(maximumCodeLifetime: .seconds(60)) }),
            ("maximumFailedAttempts", { try VerificationPolicy(maximumFailedAttempts: 0) }),
            ("resendCooldown", { try VerificationPolicy(resendCooldown: .seconds(-1)) }),
            ("maximumCodesPerChallenge", { try VerificationPolicy(maximumCodesPerChallenge: 0) }),
            ("maximumMailsPerAddressPerDay", { try VerificationPolicy(maximumMailsPerAddressPerDay: 0) }),
        ]
        for (setting, make) in cases {
            let error = #expect(throws: CodeError.self, performing: make)
            #expect(error?.code == .invalidPolicy)
            #expect(error?.message.english.hasPrefix(setting) == true)
            #expect(error?.message.indonesian.hasPrefix(setting) == true)
        }
    }
}
