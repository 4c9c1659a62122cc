import DapodikVerification
import Foundation
import Testing

/// After the operator changes a verified PTK's address, the account is unverified: a code typed
/// then is answered for the new address, never with the old address's "already verified".
@Suite("code submission after an address change", .timeLimit(.minutes(10)))
struct AddressChangeSubmissionTests {
    @Test(
        "a code typed after the address of a verified account changed asks for a code first",
        arguments: StoreKind.allCases)
    func noCodeForTheNewAddress(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
        let moved = try await harness.service.updateStaff(
            ptk.id, email: try EmailAddress("budi.baru@gmail.com"), by: manager.id)
        #expect(try await harness.service.accountOverview(by: ptk.id).isVerified == false)

        for typed in [code, "123456"] {
            let result = try await harness.service.submitCode(typed, for: ptk.id, by: ptk.id)
            #expect(result.outcome == .noCodeIssued, "\(typed): \(result.outcome)")
        }
        // The new address verifies as usual, once the account's last code is a minute old (the
        // cooldown spans challenges).
        harness.clock.advance(by: 60)
        let newCode = try await harness.requestedCode(for: moved)
        #expect(try await harness.service.submitCode(newCode, for: ptk.id, by: ptk.id).outcome == .verified)
    }
}
