import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikStorage
import DapodikVerification
import Foundation

/// What an operator's charged check costs (`VerificationService.checkStaff` of one row not asked before)
/// on the in-memory store, beside the same checks when other operators' quotas of checked rows are full
/// and idle: each charged check removes up to two of those, and reads them first.
///
/// A full quota is the largest the service writes: 2,000 checks of one row each, 26 hours before the
/// measured checks (a day's window and the hour of grace ago), about 129 KB. The operator's own quota is
/// made so in both variants; in the second, its stored record is copied, bytes and index entries as
/// the service wrote them, under enough other keys for every check to find two idle quotas.
enum StaffCheckCost {
    static func run(checks: Int, round: Int) async throws {
        let warmUp = max(2, checks / 20)
        let variants = [0, 2 * (warmUp + checks) + 4]
        for idle in round % 2 == 1 ? variants : variants.reversed() {
            let statistics = try await measure(checks: checks, warmUp: warmUp, fullIdleQuotas: idle)
            BenchmarkResult(
                scenario: "staff.check", variant: "1 client, 1 new row a check",
                subject: idle == 0
                    ? "checkStaff, no idle quota"
                    : "checkStaff, every check finding full idle quotas of other operators",
                round: round, statistics: statistics
            ).emit()
        }
    }

    private static func measure(checks: Int, warmUp: Int, fullIdleQuotas: Int) async throws -> Statistics {
        let store = InMemoryRecordStore()
        let clock = SetBackClock()
        let setup = try await VerifiedOperator.make(
            store: store, passwordHasher: PBKDF2PasswordHasher(iterations: 1_000), now: clock.now)
        clock.setBack(by: ServiceCycle.idleAge)
        for n in 0..<VerificationService.maximumStaffRowsCheckedPerDay {
            _ = try await setup.service.checkStaff([try row(n)], by: setup.id)
        }
        clock.setBack(by: 0)
        let quotaKey = RecordKey(collection: "staffCheckQuota", id: setup.id.description)
        guard let full = try await store.record(for: quotaKey) else {
            throw ClientFailure(description: "the operator's quota of checked rows is missing")
        }
        for start in stride(from: 0, to: fullIdleQuotas, by: 100) {
            try await store.commit(
                (start..<min(fullIdleQuotas, start + 100)).map {
                    .put(
                        RecordKey(collection: quotaKey.collection, id: "idle-\($0)"), value: full.value,
                        indexes: full.indexes, expecting: .mustNotExist)
                })
        }
        let first = VerificationService.maximumStaffRowsCheckedPerDay
        return try await Measure.concurrent(clients: 1, warmUp: warmUp, operationsPerClient: checks) { _, iteration in
            _ = try await setup.service.checkStaff([try row(first + iteration)], by: setup.id)
        }
    }

    /// Row `n` of the checks: PTK number `n` of a school, not registered.
    private static func row(_ n: Int) throws -> AccountRegistration {
        try VerifiedOperator.ptk(20_000_000 + n, password: "Guru-Teladan-Jaya-7")
    }
}
