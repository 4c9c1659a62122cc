import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct WrongCodeLimitTests {
    /// Asks for a code for `account` and submits wrong ones until its challenge is exhausted.
    func exhaustChallenge(_ harness: Harness, _ account: Account) async throws {
        let code = try await harness.requestedCode(for: account)
        for _ in 0..<harness.service.configuration.policy.maximumFailedAttempts {
            let result = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id)
            guard case .wrong = result.outcome else {
                Issue.record("expected a wrong code, got \(result.outcome)")
                return
            }
        }
    }

    /// The refusal of a new code now, if any.
    func refusal(_ harness: Harness, _ account: Account) async -> VerificationError? {
        do {
            _ = try await harness.service.requestCode(for: account.id, by: account.id)
            return nil
        } catch {
            return error
        }
    }

    @Test("an exhausted challenge is followed by a growing wait, at most 15 wrong codes a day, 30 in a row")
    func boundedPerAccount() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let start = harness.clock.now
        let hour: TimeInterval = 3600

        try await exhaustChallenge(harness, ptk)
        let first = await refusal(harness, ptk)
        #expect(first?.code == .tooManyWrongCodes)
        #expect(first?.retryAt == start.addingTimeInterval(hour))
        harness.clock.set(start.addingTimeInterval(hour))

        try await exhaustChallenge(harness, ptk)
        let second = await refusal(harness, ptk)
        #expect(second?.retryAt == start.addingTimeInterval(3 * hour))
        harness.clock.set(start.addingTimeInterval(3 * hour))

        try await exhaustChallenge(harness, ptk)
        // 15 wrong codes in 24 hours: nothing until the first of them is a day old.
        let third = await refusal(harness, ptk)
        #expect(third?.code == .tooManyWrongCodes)
        #expect(third?.retryAt == start.addingTimeInterval(24 * hour))

        // Keep going, waiting out every bound: the 30th wrong code in a row stops everything.
        var wrong = 15
        while wrong < 30 {
            let refused = await refusal(harness, ptk)
            if let refused {
                let retryAt = try #require(refused.retryAt, "only an unlock helps after \(wrong) wrong codes")
                harness.clock.set(retryAt)
                continue
            }
            let code = try #require(harness.latestCode(to: ptk.email!))
            for _ in 0..<5 { _ = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id) }
            wrong += 5
        }
        harness.clock.advance(by: 365 * 24 * hour)
        let locked = await refusal(harness, ptk)
        #expect(locked?.code == .tooManyWrongCodes)
        #expect(locked?.retryAt == nil)

        try await harness.service.unlockAccount(ptk.id, by: manager.id)
        let code = try await harness.requestedCode(for: ptk)
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("an operator's unlock lifts the lock of wrong codes in a row, but not the wait or the daily bound")
    func unlockKeepsTheDailyBound() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let start = harness.clock.now
        let hour: TimeInterval = 3600
        try await exhaustChallenge(harness, ptk)
        try await harness.service.unlockAccount(ptk.id, by: manager.id)
        // The wait after the exhausted challenge still holds: an unlock is no way around it.
        let waiting = await refusal(harness, ptk)
        #expect(waiting?.code == .tooManyWrongCodes)
        #expect(waiting?.retryAt == start.addingTimeInterval(hour))
        harness.clock.set(start.addingTimeInterval(hour))
        try await exhaustChallenge(harness, ptk)
        try await harness.service.unlockAccount(ptk.id, by: manager.id)
        harness.clock.set(start.addingTimeInterval(3 * hour))
        try await exhaustChallenge(harness, ptk)
        // 15 wrong codes in 24 hours, two unlocks in between: still nothing until the first is a day old.
        try await harness.service.unlockAccount(ptk.id, by: manager.id)
        let daily = await refusal(harness, ptk)
        #expect(daily?.code == .tooManyWrongCodes)
        #expect(daily?.retryAt == start.addingTimeInterval(24 * hour))
    }

    @Test("the delivery status after an exhausted challenge names the wait instead of offering a new code now")
    func statusNamesTheWait() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let start = harness.clock.now
        try await exhaustChallenge(harness, ptk)
        let refused = await refusal(harness, ptk)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(!status.mayRequestNewCode)
        #expect(status.newCodeAllowedAt == start.addingTimeInterval(3600))
        #expect(status.newCodeAllowedAt == refused?.retryAt)
        #expect(!status.explanation.text(in: .english).contains("ask for a new code now"))
    }

    @Test("the last wrong code, and a code after it, say when a new code may be asked for, not 'ask now'")
    func lastWrongCodeNamesTheWait() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        var last: CodeSubmissionResult?
        for _ in 0..<harness.service.configuration.policy.maximumFailedAttempts {
            last = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
        }
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        let allowed = try #require(status.newCodeAllowedAt)
        let when = SchoolTimeZone.wib.formattedDateTime(notBefore: allowed, language: .english)
        #expect(last?.outcome == .wrong(attemptsLeft: 0))
        #expect(
            last?.message.english
                == "The verification code is wrong. That was the last attempt: the codes sent are no longer accepted. "
                + "A new code can be asked for from \(when).", "\(String(describing: last?.message.english))")
        let after = try await harness.service.submitCode(code, for: ptk.id, by: ptk.id)
        #expect(after.outcome == .attemptsExhausted)
        #expect(after.message.english == "Too many wrong codes. A new code can be asked for from \(when).")
        #expect(after.message.indonesian.hasPrefix("Terlalu banyak kode salah. Kode baru dapat diminta mulai "))
    }

    @Test(
        "the 30th wrong code in a row names who unlocks: the school operator for a PTK, an administrator for an operator",
        arguments: [Role.ptk, .operator])
    func thirtiethWrongCodeNamesTheUnlocker(role: Role) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator(
            npsn: "20100202", email: "op@sdn2.sch.id", username: "operator2")
        let account = role == .ptk ? try await harness.registerPTK(by: manager) : try await harness.createSchool()
        var wrong = 0
        var last: CodeSubmissionResult?
        while wrong < 30 {
            if let refused = await refusal(harness, account) {
                harness.clock.set(try #require(refused.retryAt, "only an unlock helps after \(wrong) wrong codes"))
                continue
            }
            let code = try #require(harness.latestCode(to: account.email!))
            for _ in 0..<5 {
                last = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id)
            }
            wrong += 5
        }
        let unlocker =
            role == .ptk
            ? "once the school operator unlocks the account."
            : "once an administrator of the system unlocks the account."
        #expect(last?.outcome == .wrong(attemptsLeft: 0))
        #expect(
            last?.message.english.hasSuffix("A new code can be asked for " + unlocker) == true,
            "\(String(describing: last))")
    }

    @Test("concurrent wrong codes never pass the account's daily bound", arguments: StoreKind.allCases)
    func dailyBoundUnderConcurrency(_ kind: StoreKind) async throws {
        var harness = try Harness.make(kind)
        let service = harness.sibling {
            $0.wrongCodeLimits = AccountCodeLimits(maximumWrongCodesPerDay: 3)
            $0.store = YieldingRecordStore(base: harness.store)
        }
        harness = Harness(
            service: service, clock: harness.clock, transport: harness.transport, store: harness.store,
            scratch: harness.scratch)
        let account = try await harness.createSchool()
        let code = try await harness.requestedCode(for: account)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    let result = try? await service.submitCode(wrongCode(code), for: account.id, by: account.id)
                    if case .wrong? = result?.outcome { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(outcomes == 3)
    }
}
