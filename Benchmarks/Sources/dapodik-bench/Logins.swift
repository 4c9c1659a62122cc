import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikStorage
import DapodikVerification
import Foundation

/// Scenario 8: PTK log in at the same time (`VerificationService.login` with the default 600,000
/// PBKDF2 iterations): the library as it is, where a login that overlaps another is derived beside it
/// on one core (`PBKDF2PasswordHasher.verifyEqualizingCostTogether`), beside the same hasher checking
/// every login alone on its caller's thread. Each of `clients` tasks logs in as its own PTK,
/// `loginsPerClient` times one after the other; the throughput and the mean time per login (clients ÷
/// throughput) are what people wait for, the CPU time per login what a server pays.
enum LoginsBenchmark {
    static func run(clients: Int, loginsPerClient: Int, round: Int) async throws {
        let variants: [(String, any PasswordHasher)] = [
            ("PBKDF2PasswordHasher (overlapping logins two at once)", PBKDF2PasswordHasher()),
            ("the same, every login alone", OneAtATimeHasher()),
        ]
        for (subject, hasher) in round % 2 == 1 ? variants : variants.reversed() {
            let setup = try await VerifiedOperator.make(store: InMemoryRecordStore(), passwordHasher: hasher)
            let registrations = try (0..<clients).map { try VerifiedOperator.ptk($0, password: password($0)) }
            let ids = try await setup.service.registerStaff(registrations, by: setup.id).map(\.id)
            let service = setup.service
            let cpuBefore = ProcessCPU.seconds()
            let statistics = try await Measure.concurrent(
                clients: clients, warmUp: 0, operationsPerClient: loginsPerClient
            ) { client, _ in
                let session = try await service.login(identifier: "ptk\(client)", password: password(client))
                guard session.account == ids[client] else {
                    throw ClientFailure(description: "client \(client) logged in as someone else")
                }
            }
            let cpu = ProcessCPU.seconds() - cpuBefore
            BenchmarkResult(
                scenario: "login.concurrent",
                variant:
                    "\(BenchmarkResult.variant(clients: clients)), \(PBKDF2PasswordHasher.defaultIterations.formatted()) iterations",
                subject: subject, round: round, statistics: statistics,
                figures: [
                    "cpuMillisecondsPerLogin": cpu * 1000 / Double(clients * loginsPerClient),
                    // Little's law for a closed loop: a login's mean time from its call to its answer,
                    // queueing for a thread included (the latencies above start only once a task runs).
                    "meanMillisecondsPerLogin": Double(clients) / statistics.operationsPerSecond * 1000,
                ]
            ).emit()
        }
    }

    /// The password of PTK number `n`.
    private static func password(_ n: Int) -> String { "Guru-Teladan-Jaya-\(n)" }
}
