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
        for (subject, hasher) in variants(round: round) {
            let school = try await LoggingInSchool.make(ptk: clients, passwordHasher: hasher)
            let cpuBefore = ProcessCPU.seconds()
            let statistics = try await Measure.concurrent(
                clients: clients, warmUp: 0, operationsPerClient: loginsPerClient
            ) { client, _ in try await school.logIn(client) }
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

    /// The two hashers compared, the library's first in odd rounds.
    static func variants(round: Int) -> [(String, any PasswordHasher)] {
        let variants: [(String, any PasswordHasher)] = [
            ("PBKDF2PasswordHasher (overlapping logins two at once)", PBKDF2PasswordHasher()),
            ("the same, every login alone", OneAtATimeHasher()),
        ]
        return round % 2 == 1 ? variants : variants.reversed()
    }
}

/// A school whose PTK log in: `VerifiedOperator`'s, with PTK 0 to n − 1 registered by `registerStaff`.
struct LoggingInSchool: Sendable {
    let service: VerificationService
    let ids: [AccountID]

    static func make(ptk count: Int, passwordHasher: any PasswordHasher) async throws -> LoggingInSchool {
        let setup = try await VerifiedOperator.make(store: InMemoryRecordStore(), passwordHasher: passwordHasher)
        let registrations = try (0..<count).map { try VerifiedOperator.ptk($0, password: password($0)) }
        let ids = try await setup.service.registerStaff(registrations, by: setup.id).map(\.id)
        return LoggingInSchool(service: setup.service, ids: ids)
    }

    /// Logs PTK number `n` in with their password, and checks the session is theirs.
    func logIn(_ n: Int) async throws {
        let session = try await service.login(identifier: "ptk\(n)", password: Self.password(n))
        guard session.account == ids[n] else { throw ClientFailure(description: "PTK \(n) logged in as someone else") }
    }

    /// The password of PTK number `n`.
    private static func password(_ n: Int) -> String { "Guru-Teladan-Jaya-\(n)" }
}
