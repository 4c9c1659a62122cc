import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikCodes
import DapodikStorage
import DapodikVerification
import Foundation

/// Scenario `decode`: what reading stored records costs (issue 15). Each validating initializer a
/// stored account goes through, timed alone on the strings the service cycle stores, and a school's
/// whole staff list (`listStaff`: every account record of the school read back from the in-memory
/// store, validated and sorted), given per record.
enum RecordDecoding {
    static func run(records: Int, operations: Int, round: Int) async throws {
        let samples = 1000
        let addresses = (0..<samples).map { "ptk.\($0)@sekolah.sch.id" }
        let names = (0..<samples).map { "Guru Nomor \($0)" }
        let usernames = (0..<samples).map { "ptk\($0)" }
        var index = 0
        func validate(_ name: String, _ body: (Int) throws -> Void) throws {
            let statistics = try Measure.serial(warmUp: samples, operations: operations) {
                try body(index % samples)
                index += 1
            }
            BenchmarkResult(
                scenario: "decode.validate", variant: name, subject: "validating initializer", round: round,
                statistics: statistics
            ).emit()
        }
        try validate("EmailAddress") { _ = try EmailAddress(addresses[$0]) }
        try validate("DisplayName") { _ = try DisplayName(names[$0]) }
        try validate("Username") { _ = try Username(usernames[$0]) }
        try validate("NPSN") { _ = try NPSN(["20100101", "P9970001", "123456"][$0 % 3]) }

        let (service, manager) = try await school(of: records)
        let statistics = try await Measure.concurrent(clients: 1, warmUp: 3, operationsPerClient: 20) { _, _ in
            let staff = try await service.listStaff(by: manager)
            guard staff.count == records else { throw ClientFailure(description: "\(staff.count) of \(records)") }
        }
        BenchmarkResult(
            scenario: "decode.records", variant: "\(records) accounts", subject: "listStaff (read, validate, sort)",
            round: round, statistics: statistics,
            figures: ["microsecondsPerRecord": statistics.p50Microseconds / Double(records)]
        ).emit()
    }

    /// A service whose one school has a verified operator and `count` PTK accounts.
    private static func school(of count: Int) async throws -> (VerificationService, AccountID) {
        let transport = NullMailTransport()
        var configuration = VerificationService.Configuration(
            store: InMemoryRecordStore(), transport: transport,
            keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("k1"))),
            sender: try EmailAddress("verifikasi@dapodik.example.id"))
        configuration.passwordHasher = PBKDF2PasswordHasher(iterations: 1_000)
        let service = VerificationService(configuration: configuration)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib)
        let password = "Guru-Teladan-Jaya-7"
        let manager = try await service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                email: try EmailAddress("operator@sdn1.sch.id"), password: password, confirmingUnusualDomain: true))
        _ = try await service.requestCode(for: manager.id, by: manager.id)
        guard let code = transport.code(to: "operator@sdn1.sch.id"),
            try await service.submitCode(code, for: manager.id, by: manager.id).outcome == .verified
        else { throw ClientFailure(description: "the operator could not verify") }
        for n in 0..<count {
            _ = try await service.registerStaff(
                AccountRegistration(
                    displayName: try DisplayName("Guru Nomor \(n)"), username: try Username("ptk\(n)"),
                    email: try EmailAddress("ptk.\(n)@sekolah.sch.id"), password: password,
                    confirmingUnusualDomain: true),
                by: manager.id)
        }
        return (service, manager.id)
    }
}
