import DapodikVerification
import Foundation
import Testing

/// The account's own bound on wrong codes (15 a day, AccountCodeLimits) can stop submissions while
/// the open challenge still has attempts left (its challenges cancelled part-way by address
/// changes): the status says so and until when, and no code is mailed that nobody may submit.
@Suite("the account's wrong-code bound shows in the status of an open challenge", .timeLimit(.minutes(10)))
struct AccountWrongCodeBlockStatusTests {
    @Test(
        "status says codes are refused and until when; a resend is refused; the right code too",
        arguments: StoreKind.allCases)
    func blockShown(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        var ptk = try await harness.registerPTK(by: manager)
        // Three challenges of 4 wrong codes each, each cancelled by an address change: 12 wrong codes.
        for round in 0..<3 {
            let code = try await harness.requestedCode(for: ptk)
            for _ in 0..<4 {
                let result = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
                guard case .wrong = result.outcome else {
                    Issue.record("\(result.outcome)")
                    return
                }
            }
            ptk = try await harness.service.updateStaff(
                ptk.id, email: try EmailAddress("budi.alamat\(round)@gmail.com"), by: manager.id)
            harness.clock.advance(by: 60)  // The cooldown spans challenges.
        }
        // A fourth challenge: 3 wrong codes make 15 in 24 hours, with 2 attempts left in the challenge.
        let right = try await harness.requestedCode(for: ptk)
        for _ in 0..<3 { _ = try await harness.service.submitCode(wrongCode(right), for: ptk.id, by: ptk.id) }

        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.state == .attemptsExhausted, "\(status.state)")
        #expect(status.attemptsLeft == 0)
        #expect(!status.mayRequestNewCode)
        let retryAt = try #require(status.newCodeAllowedAt)
        #expect(retryAt > harness.clock.now)
        let english = status.explanation.text(in: .english)
        #expect(english.contains("Too many wrong codes for this account"), "\(english)")
        #expect(!english.contains("valid until"), "\(english)")
        #expect(status.explanation.text(in: .indonesian).contains("Terlalu banyak kode salah untuk akun ini"))

        let refused = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.submitCode(right, for: ptk.id, by: ptk.id)
        }
        #expect(refused?.code == .tooManyWrongCodes)
        #expect(refused?.retryAt == retryAt)
        harness.clock.advance(by: 61)
        let before = harness.transport.deliveries(to: ptk.email!).count
        let resend = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(resend?.code == .tooManyWrongCodes)
        #expect(harness.transport.deliveries(to: ptk.email!).count == before, "a code nobody may submit was mailed")
    }
}
