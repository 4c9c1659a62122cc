import DapodikVerification
import Foundation
import Testing

/// A single registration refused because the address is registered tells what a checked row tells:
/// it is counted against the operator's daily bound and audited, and a taken username is refused
/// before the address is looked at.
@Suite("single registrations cannot probe addresses beyond the daily bound", .timeLimit(.minutes(10)))
struct AddressProbeBoundTests {
    func registration(username: String, email: String) throws -> AccountRegistration {
        AccountRegistration(
            displayName: try DisplayName("Penguji"), username: try Username(username), email: try EmailAddress(email),
            password: "Kata-Sandi-Panjang-77")
    }

    /// Rows `range` of distinct addresses and usernames, to spend the daily bound with.
    func rows(_ range: Range<Int>) throws -> [AccountRegistration] {
        try range.map { try registration(username: "cek\($0)", email: "cek\($0)@gmail.com") }
    }

    /// A store where another school's PTK holds `rahasia.korban@gmail.com`, and the verified
    /// operator of a first school who will probe it.
    static func victimAndAttacker() async throws -> (Harness, Account) {
        let harness = try Harness.make(.memory)
        let other = try await harness.verifiedOperator(
            npsn: "20100202", email: "op@sdn2.sch.id", username: "operator2")
        _ = try await harness.registerPTK("Korban", username: "korban", email: "rahasia.korban@gmail.com", by: other)
        return (harness, try await harness.verifiedOperator())
    }

    @Test("a taken username is refused before the address: the answer says nothing about the address")
    func usernameFirst() async throws {
        let (harness, attacker) = try await Self.victimAndAttacker()
        for email in ["rahasia.korban@gmail.com", "bebas@gmail.com"] {
            let error = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.registerStaff(
                    try registration(username: "operator1", email: email), by: attacker.id)
            }
            #expect(error?.code == .usernameInUse, "\(email): \(String(describing: error))")
        }
    }

    @Test("each emailInUse refusal counts one row and is audited; past 2,000 the answer is tooManyChecks")
    func refusalsCounted() async throws {
        let harness = try Harness.make(.memory)
        let other = try await harness.verifiedOperator(
            npsn: "20100202", email: "op@sdn2.sch.id", username: "operator2")
        let victim = try await harness.registerPTK(
            "Korban", username: "korban", email: "rahasia.korban@gmail.com", by: other)
        let attacker = try await harness.verifiedOperator()
        let own = try await harness.registerPTK("Ani", username: "ani", email: "ani@gmail.com", by: attacker)
        // 1,999 rows checked in bulk leave room for exactly one more.
        _ = try await harness.service.checkStaff(try rows(0..<1_000), by: attacker.id)
        _ = try await harness.service.checkStaff(try rows(1_000..<1_999), by: attacker.id)

        let inUse = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.registerStaff(
                try registration(username: "probe1", email: "rahasia.korban@gmail.com"), by: attacker.id)
        }
        #expect(inUse?.code == .emailInUse, "\(String(describing: inUse))")
        let error = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.registerStaff(
                try registration(username: "probe2", email: "rahasia.korban@gmail.com"), by: attacker.id)
        }
        #expect(error?.code == .tooManyChecks, "\(String(describing: error))")
        // A PTK of the attacker's school moved to the address: refused the same way.
        let moved = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.updateStaff(
                own.id, email: try EmailAddress("rahasia.korban@gmail.com"), by: attacker.id)
        }
        #expect(moved?.code == .tooManyChecks, "\(String(describing: moved))")
        #expect(try await harness.service.accountOverview(by: victim.id).email?.value == "rahasia.korban@gmail.com")
        let audited = try await harness.service.events(limit: 100_000).filter {
            $0.kind == .staffChecked && $0.actor == attacker.id
        }
        #expect(
            audited.map(\.detail).contains(
                "refused registration: 1 rows checked (1 not asked in 24 hours), 1 already registered"))
    }

    @Test("past the bound a free address and a taken one get the same refusal, and nothing changes")
    func sameAnswerPastTheBound() async throws {
        let (harness, attacker) = try await Self.victimAndAttacker()
        let own = try await harness.registerPTK("Ani", username: "ani", email: "ani@gmail.com", by: attacker)
        _ = try await harness.service.checkStaff(try rows(0..<1_000), by: attacker.id)
        _ = try await harness.service.checkStaff(try rows(1_000..<2_000), by: attacker.id)
        let before = try await harness.service.listStaff(by: attacker.id)

        for email in ["rahasia.korban@gmail.com", "bebas.sekali@gmail.com"] {
            let single = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.registerStaff(
                    try registration(username: "probe\(email.count)", email: email), by: attacker.id)
            }
            #expect(single?.code == .tooManyChecks, "\(email): \(String(describing: single))")
            let batch = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.registerStaff(
                    [try registration(username: "batch\(email.count)", email: email)], by: attacker.id)
            }
            #expect(batch?.code == .tooManyChecks, "\(email): \(String(describing: batch))")
            let moved = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.updateStaff(own.id, email: try EmailAddress(email), by: attacker.id)
            }
            #expect(moved?.code == .tooManyChecks, "\(email): \(String(describing: moved))")
            #expect(moved?.retryAt == single?.retryAt)
        }
        #expect(try await harness.service.listStaff(by: attacker.id) == before)
        // A new password for a PTK looks no address up: it is not refused for the bound, nor is the
        // portal's form sent back with the address unchanged.
        _ = try await harness.service.updateStaff(own.id, password: "Sandi-Baru-Ani-2026", by: attacker.id)
        _ = try await harness.service.updateStaff(
            own.id, email: try EmailAddress("ANI@gmail.com"), password: "Sandi-Lain-Ani-2026", by: attacker.id)
        // Another school's account, given its own address: refused like any other address.
        let victim = try #require(
            try await harness.service.events(limit: 100_000).first { $0.email?.value == "rahasia.korban@gmail.com" }?
                .account)
        let probe = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.updateStaff(
                victim, email: try EmailAddress("rahasia.korban@gmail.com"), by: attacker.id)
        }
        #expect(probe?.code == .tooManyChecks, "\(String(describing: probe))")
        // The audit feed shows the operator went on past the bound, once, not once per try.
        let refusals = try await harness.service.events(limit: 100_000).filter {
            $0.kind == .staffChecked && $0.actor == attacker.id && ($0.detail ?? "").contains("refused, ")
        }
        #expect(refusals.map(\.detail) == ["refused registration: refused, 1 rows over the daily bound of 2000"])
    }

    @Test("a username typed as someone's address asks the same question: counted, audited, bounded")
    func usernameProbesCounted() async throws {
        let (harness, attacker) = try await Self.victimAndAttacker()
        _ = try await harness.service.checkStaff(try rows(0..<1_000), by: attacker.id)
        _ = try await harness.service.checkStaff(try rows(1_000..<1_999), by: attacker.id)

        let probe = { (username: String) async -> VerificationError? in
            await #expect(throws: VerificationError.self) {
                _ = try await harness.service.registerStaff(
                    try registration(username: username, email: "baru.\(UUID().uuidString.prefix(8))@gmail.com"),
                    by: attacker.id)
            }
        }
        let first = await probe("rahasia.korban@gmail.com")
        #expect(first?.code == .usernameInUse, "\(String(describing: first))")
        let second = await probe("rahasia.korban@gmail.com")
        #expect(second?.code == .tooManyChecks, "\(String(describing: second))")
        let audited = try await harness.service.events(limit: 100_000).filter {
            $0.kind == .staffChecked && $0.actor == attacker.id
        }
        #expect(
            audited.map(\.detail).contains(
                "refused registration: 1 rows checked (1 not asked in 24 hours), 1 already registered"))
    }
}
