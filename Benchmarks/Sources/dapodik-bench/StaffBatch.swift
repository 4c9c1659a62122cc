import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikStorage
import DapodikVerification
import Foundation

/// Scenario 7: an operator registers a batch of PTK (`VerificationService.registerStaff`, what
/// `ptk import` does), with the default password hashing (600,000 PBKDF2 iterations): the library as
/// it is, two passwords to a task (`PBKDF2PasswordHasher.hashAll`), beside the same hasher made to hash
/// one password at a time. The batch's wall-clock time is what the operator waits for; the CPU time of
/// the process is what a server pays.
enum StaffBatchBenchmark {
    static func run(rows: Int, round: Int) async throws {
        let variants: [(String, any PasswordHasher)] = [
            ("PBKDF2PasswordHasher (two passwords at once)", PBKDF2PasswordHasher()),
            ("the same, one password at a time", OneAtATime()),
        ]
        for (subject, hasher) in round % 2 == 1 ? variants : variants.reversed() {
            let service = try await operatorService(hasher: hasher)
            let registrations = try (0..<rows).map { row in
                AccountRegistration(
                    displayName: try DisplayName("Guru Nomor \(row)"), username: try Username("ptk\(row)"),
                    email: try EmailAddress("ptk.\(row)@sekolah.sch.id"), password: "Guru-Teladan-Jaya-\(row)",
                    confirmingUnusualDomain: true)
            }
            let cpuBefore = processCPUSeconds()
            let start = ContinuousClock.now
            let accounts = try await service.service.registerStaff(registrations, by: service.operatorID)
            let elapsed = (ContinuousClock.now - start).seconds
            let cpu = processCPUSeconds() - cpuBefore
            guard accounts.count == rows else { throw ClientFailure(description: "\(accounts.count) of \(rows) rows") }
            BenchmarkResult(
                scenario: "staff.batch", variant: "\(rows) rows, 600,000 iterations", subject: subject, round: round,
                figures: [
                    "seconds": elapsed, "rowsPerSecond": Double(rows) / elapsed,
                    "cpuMillisecondsPerRow": cpu * 1000 / Double(rows),
                ]
            ).emit()
        }
    }

    /// A service on an in-memory store with one school whose operator has verified their e-mail.
    private static func operatorService(hasher: any PasswordHasher) async throws
        -> (service: VerificationService, operatorID: AccountID)
    {
        let transport = NullMailTransport()
        var configuration = VerificationService.Configuration(
            store: InMemoryRecordStore(), transport: transport,
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.passwordHasher = hasher
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
        return (service, manager.id)
    }

    /// User plus system CPU time of the whole process so far, in seconds.
    private static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

/// `PBKDF2PasswordHasher` with its defaults, hashing a batch one password at a time (the protocol's
/// default `hashAll`): the library before two passwords were hashed at once.
private struct OneAtATime: PasswordHasher {
    let base = PBKDF2PasswordHasher()

    func hash(_ password: String) -> PasswordCredential { base.hash(password) }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }
}
