import BenchmarkHarness
import DapodikAccounts
import DapodikStorage
import DapodikVerification
import Foundation

/// The setup of the service scenarios: a `VerificationService` on `store` with a null transport and one
/// school, SD Negeri 1 Contoh, whose operator has verified their e-mail (requested a code, typed it back).
struct VerifiedOperator {
    let service: VerificationService
    let transport: NullMailTransport
    let id: AccountID

    static func make(
        store: any RecordStore, passwordHasher: any PasswordHasher, policy: VerificationPolicy? = nil,
        now: (@Sendable () -> Date)? = nil
    ) async throws -> VerifiedOperator {
        let transport = NullMailTransport()
        var configuration = VerificationService.Configuration(
            store: store, transport: transport,
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.passwordHasher = passwordHasher
        if let policy { configuration.policy = policy }
        if let now { configuration.now = now }
        let service = VerificationService(configuration: configuration)
        let manager = try await service.createSchool(
            School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib),
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                email: try EmailAddress("operator@sdn1.sch.id"), password: "Operator-Sekolah-Jaya-1",
                confirmingUnusualDomain: true))
        _ = try await service.requestCode(for: manager.id, by: manager.id)
        guard let code = transport.code(to: "operator@sdn1.sch.id"),
            try await service.submitCode(code, for: manager.id, by: manager.id).outcome == .verified
        else { throw ClientFailure(description: "the operator could not verify") }
        return VerifiedOperator(service: service, transport: transport, id: manager.id)
    }

    /// The registration of PTK number `n` of the school: "Guru Nomor n", `ptkn`, `ptk.n@sekolah.sch.id`.
    static func ptk(_ n: Int, password: String) throws -> AccountRegistration {
        AccountRegistration(
            displayName: try DisplayName("Guru Nomor \(n)"), username: try Username("ptk\(n)"),
            email: try EmailAddress("ptk.\(n)@sekolah.sch.id"), password: password, confirmingUnusualDomain: true)
    }
}
