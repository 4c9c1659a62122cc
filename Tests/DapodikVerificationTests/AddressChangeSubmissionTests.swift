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
            ptk.id, email: try EmailAddress("santoso.baru@gmail.com"), by: manager.id)
        #expect(try await harness.service.accountOverview(by: ptk.id).isVerified == false)

        for typed in [code, "123456"] {
            let result = try await harness.service.submitCode(typed, for: ptk.id, by: ptk.id)
            #expect(result.outcome == .noCodeIssued, "\(typed): \(result.outcome)")
            // The person holds a code that was sent: told the address changed, not that none was sent.
            #expect(
                result.message.english
                    == "The account's e-mail address was changed since codes were sent to \(ptk.email!.masked): "
                    + "those codes no longer work. Ask for a new code with the LANJUT (continue) button; it goes to "
                    + "\(moved.email!.masked).",
                "\(result.message.english)")
            #expect(result.message.indonesian.contains("sudah diganti sejak kode dikirim"))
        }
        // The new address verifies as usual, once the account's last code is a minute old (the
        // cooldown spans challenges).
        harness.clock.advance(by: 60)
        let newCode = try await harness.requestedCode(for: moved)
        #expect(try await harness.service.submitCode(newCode, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("a code of an unverified account's old address, typed after the operator changed it, says so")
    func codeOfTheOldAddress() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        _ = try await harness.service.updateStaff(
            ptk.id, email: try EmailAddress("budi.ketiga@gmail.com"), by: manager.id)
        let result = try await harness.service.submitCode(code, for: ptk.id, by: ptk.id)
        #expect(result.outcome == .noCodeIssued)
        #expect(result.message.english.contains("was changed since codes were sent"), "\(result.message.english)")
        // Changed back to the first address: the codes sent to it ended with the change all the same.
        _ = try await harness.service.updateStaff(ptk.id, email: ptk.email!, by: manager.id)
        let back = try await harness.service.submitCode(code, for: ptk.id, by: ptk.id)
        #expect(back.outcome == .noCodeIssued)
        #expect(back.message.english.contains("was changed since codes were sent"), "\(back.message.english)")
        #expect(back.message.indonesian.contains("kode baru akan dikirim ke \(ptk.email!.masked)"))
        // The same address masks alike: "the earlier address", not the same mask twice.
        #expect(back.message.english.contains("codes were sent to the earlier address"), "\(back.message.english)")
        // A school that never sent this account a code says so, as before.
        let fresh = try await harness.registerPTK(
            "Ani Lestari", username: "ani.lestari", email: "ani.lestari@gmail.com", by: manager)
        let none = try await harness.service.submitCode("123456", for: fresh.id, by: fresh.id)
        #expect(none.message.english.hasPrefix("No verification code has been sent yet"), "\(none.message.english)")
    }
}
