import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct SelfManagementTests {
    @Test("updateStaff refuses to change the caller's own password or address", arguments: StoreKind.allCases)
    func ownAccount(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let before = try await harness.commitCount()
        for account in [ptk, manager] {
            let password = await #expect(throws: VerificationError.self) {
                try await harness.service.updateStaff(account.id, password: "Sandi-Pengambil-Alih-1", by: account.id)
            }
            #expect(password?.code == .authorization)
            let email = await #expect(throws: VerificationError.self) {
                try await harness.service.updateStaff(
                    account.id, email: try EmailAddress("pencuri@gmail.com"), by: account.id)
            }
            #expect(email?.code == .authorization)
        }
        #expect(try await harness.commitCount() == before)
    }
}
