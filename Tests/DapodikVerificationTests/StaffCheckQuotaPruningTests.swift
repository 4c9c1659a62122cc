import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// Every operator who checks rows gets a quota record of the rows checked in the last 24 hours:
/// quotas that count no check any more are removed by later checks, so the store does not keep one
/// record per operator who ever checked a row; a quota that still counts a check is kept, and the
/// daily bound holds at the edge of its window.
@Suite(.timeLimit(.minutes(5)))
struct StaffCheckQuotaPruningTests {
    static let collection = StaffCheckQuota.collection

    /// Rows `range` of distinct addresses and usernames.
    static func rows(_ range: Range<Int>, prefix: String = "cek") throws -> [AccountRegistration] {
        try range.map {
            AccountRegistration(
                displayName: try DisplayName("Penguji"), username: try Username("\(prefix)\($0)"),
                email: try EmailAddress("\(prefix)\($0)@gmail.com"), password: "Kata-Sandi-Panjang-77")
        }
    }

    /// The verified operators of schools 20100101, 20100102, … (`count` of them).
    static func operators(_ count: Int, in harness: Harness) async throws -> [Account] {
        var accounts: [Account] = []
        for index in 1...count {
            accounts.append(
                try await harness.verifiedOperator(
                    npsn: "2010010\(index)", email: "op@sdn\(index).sch.id", username: "operator\(index)"))
        }
        return accounts
    }

    @Test(
        "quotas a day past their last check are removed by later checks; one still counting is kept",
        arguments: StoreKind.allCases)
    func idleQuotasRemoved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let operators = try await Self.operators(4, in: harness)
        for manager in operators.prefix(3) {
            _ = try await harness.service.checkStaff(try Self.rows(0..<3), by: manager.id)
        }
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 3)

        // Within the window every check still counts: a new check removes nothing.
        harness.clock.advance(by: 23 * 3600)
        _ = try await harness.service.checkStaff(try Self.rows(0..<3), by: operators[3].id)
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 4)

        // A day and the hour of grace after their checks, each check removes two idle quotas.
        harness.clock.advance(by: 3 * 3600)
        _ = try await harness.service.checkStaff(try Self.rows(3..<6), by: operators[3].id)
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 2)
        _ = try await harness.service.checkStaff(try Self.rows(6..<9), by: operators[3].id)
        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection)
        #expect(live == [operators[3].id.description])
    }

    @Test("the daily bound holds at the edge of its window while idle quotas are removed")
    func boundHoldsAtTheEdge() async throws {
        let harness = try Harness.make(.memory)
        let operators = try await Self.operators(3, in: harness)
        let attacker = operators[0]
        _ = try await harness.service.checkStaff(try Self.rows(0..<1), by: operators[1].id)
        // The other operator's check two hours before the attacker's first: idle for longer than the
        // grace at the attacker's edge.
        harness.clock.advance(by: 2 * 3600)
        let start = harness.clock.now
        _ = try await harness.service.checkStaff(try Self.rows(0..<1_000), by: attacker.id)
        harness.clock.advance(by: 3600)
        _ = try await harness.service.checkStaff(try Self.rows(1_000..<2_000), by: attacker.id)

        // Just past the first check's window: the second still counts, so the attacker's quota is
        // not idle. Another operator's check removes the idle quota, never the attacker's.
        harness.clock.set(start.addingTimeInterval(24 * 3600 + 1))
        _ = try await harness.service.checkStaff(try Self.rows(0..<1), by: operators[2].id)
        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection)
        #expect(live == Set([attacker, operators[2]].map(\.id.description)), "\(live.sorted())")
        // A thousand new rows fit beside the second check, and no more.
        _ = try await harness.service.checkStaff(try Self.rows(0..<1_000, prefix: "baru"), by: attacker.id)
        let refusal = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.checkStaff(try Self.rows(1_000..<1_001, prefix: "baru"), by: attacker.id)
        }
        #expect(refusal?.code == .tooManyChecks && refusal?.retryAt == start.addingTimeInterval(25 * 3600))
    }
}
