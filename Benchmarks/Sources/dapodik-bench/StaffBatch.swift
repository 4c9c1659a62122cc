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
            ("the same, one password at a time", OneAtATimeHasher()),
        ]
        for (subject, hasher) in round % 2 == 1 ? variants : variants.reversed() {
            let setup = try await VerifiedOperator.make(store: InMemoryRecordStore(), passwordHasher: hasher)
            let registrations = try (0..<rows).map { try VerifiedOperator.ptk($0, password: "Guru-Teladan-Jaya-\($0)") }
            let cpuBefore = ProcessCPU.seconds()
            let start = ContinuousClock.now
            let accounts = try await setup.service.registerStaff(registrations, by: setup.id)
            let elapsed = (ContinuousClock.now - start).seconds
            let cpu = ProcessCPU.seconds() - cpuBefore
            guard accounts.count == rows else { throw ClientFailure(description: "\(accounts.count) of \(rows) rows") }
            BenchmarkResult(
                scenario: "staff.batch",
                variant: "\(rows) rows, \(PBKDF2PasswordHasher.defaultIterations.formatted()) iterations",
                subject: subject, round: round,
                figures: [
                    "seconds": elapsed, "rowsPerSecond": Double(rows) / elapsed,
                    "cpuMillisecondsPerRow": cpu * 1000 / Double(rows),
                ]
            ).emit()
        }
    }
}
