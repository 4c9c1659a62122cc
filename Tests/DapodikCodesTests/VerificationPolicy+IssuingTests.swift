import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Issuing codes: cooldown, codes per challenge, mails per address, codes per account")
struct VerificationPolicyIssuingTests {
    let policy = VerificationPolicy.default

    @Test("the first code of a new challenge is allowed, with the full quota left")
    func firstCode() throws {
        let challenge = openChallenge()
        #expect(
            policy.issueDecision(for: challenge, at: start, recentSendsToAddress: [])
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 10, codesLeftToAccount: 10)))
        let issued = try policy.issue("123456", on: challenge, at: start)
        #expect(issued.codes.count == 1)
        #expect(issued.latestCode?.ordinal == 1)
        #expect(issued.latestCode?.issuedAt == start)
        #expect(issued.latestCode?.handedOverAt == nil)
        #expect(issued.latestCode?.keyID == keyID("k1"))
        #expect(challenge.codes.isEmpty, "the input challenge is unchanged")
    }

    @Test("a resend 59 s after the last code is refused until 60 s; at 60 s it is allowed")
    func cooldown() throws {
        let challenge = try policy.issue("111111", on: openChallenge(), at: start)
        #expect(
            policy.issueDecision(for: challenge, at: start.plus(59), recentSendsToAddress: [start])
                == .refused(
                    reason: .cooldown, allowedAt: start.plus(60),
                    quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 9, codesLeftToAccount: 9)))
        let refused = #expect(throws: CodeError.self) { try policy.issue("222222", on: challenge, at: start.plus(59)) }
        #expect(refused?.code == .issueRefused)
        #expect(refused?.refusalReason == .cooldown)
        #expect(refused?.allowedAt == start.plus(60))
        #expect(policy.issueDecision(for: challenge, at: start.plus(60), recentSendsToAddress: [start]).isAllowed)
        let resent = try policy.issue("222222", on: challenge, at: start.plus(60))
        #expect(resent.codes.map(\.ordinal) == [1, 2])
    }

    @Test("the cooldown is configurable and may be zero")
    func configurableCooldown() throws {
        let noWait = try VerificationPolicy(resendCooldown: .zero)
        let challenge = try noWait.issue("111111", on: openChallenge(), at: start)
        #expect(noWait.issueDecision(for: challenge, at: start, recentSendsToAddress: [start]).isAllowed)
        let slow = try VerificationPolicy(resendCooldown: .seconds(300))
        #expect(
            slow.issueDecision(for: challenge, at: start.plus(299), recentSendsToAddress: [start])
                == .refused(
                    reason: .cooldown, allowedAt: start.plus(300),
                    quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 9, codesLeftToAccount: 9)))
    }

    @Test("the 5th code of a challenge is allowed, the 6th refused for good")
    func codesPerChallenge() throws {
        var challenge = openChallenge()
        for index in 0..<4 {
            challenge = try policy.issue("00000\(index)", on: challenge, at: start.plus(Double(index) * minute))
        }
        let fifthAt = start.plus(4 * minute)
        #expect(
            policy.issueDecision(for: challenge, at: fifthAt, recentSendsToAddress: challenge.codes.map(\.issuedAt))
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 1, mailsLeftToAddress: 6, codesLeftToAccount: 6)))
        challenge = try policy.issue("000004", on: challenge, at: fifthAt)
        #expect(challenge.codes.count == 5)
        let sixth = policy.issueDecision(
            for: challenge, at: start.plus(hour), recentSendsToAddress: challenge.codes.map(\.issuedAt))
        #expect(
            sixth
                == .refused(
                    reason: .codeLimitReached, allowedAt: nil,
                    quota: IssueQuota(codesLeftInChallenge: 0, mailsLeftToAddress: 5, codesLeftToAccount: 5)))
        let refused = #expect(throws: CodeError.self) {
            try policy.issue("000005", on: challenge, at: start.plus(hour))
        }
        #expect(refused?.refusalReason == .codeLimitReached)
    }

    @Test("the 10th mail to an address in 24 hours is allowed, the 11th refused until the oldest is 24 hours old")
    func mailsPerAddress() throws {
        let challenge = openChallenge()
        // Nine earlier mails to the same address, from other challenges, one every 30 minutes.
        let nine = (0..<9).map { start.plus(Double($0) * 30 * minute) }
        let now = start.plus(5 * hour)
        #expect(
            policy.issueDecision(for: challenge, at: now, recentSendsToAddress: nine)
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 1, codesLeftToAccount: 10)))
        let ten = nine + [now]
        let issued = try policy.issuing(
            code("123456"), on: challenge, at: now, recentSendsToAddress: nine, keyRing: ring)
        let eleventhAt = now.plus(10 * minute)
        #expect(
            policy.issueDecision(for: issued, at: eleventhAt, recentSendsToAddress: ten)
                == .refused(
                    reason: .addressDailyLimit, allowedAt: start.plus(24 * hour),
                    quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 0, codesLeftToAccount: 9)))
        // One second before the oldest send leaves the window: still refused; at 24 hours: allowed.
        #expect(
            !policy.issueDecision(for: issued, at: start.plus(24 * hour - 1), recentSendsToAddress: ten).isAllowed)
        #expect(
            policy.issueDecision(for: issued, at: start.plus(24 * hour), recentSendsToAddress: ten)
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 1, codesLeftToAccount: 9)))
    }

    @Test("sends older than 24 hours do not count against the address")
    func oldSendsIgnored() {
        let old = (0..<30).map { start.plus(-24 * hour - Double($0) * minute) }
        #expect(
            policy.issueDecision(for: openChallenge(), at: start, recentSendsToAddress: old)
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 10, codesLeftToAccount: 10)))
    }

    @Test("when both the cooldown and the daily limit apply, the later time is reported")
    func laterOfTwoWaits() throws {
        let challenge = try policy.issue("111111", on: openChallenge(), at: start)
        let earlier = (1...9).map { start.plus(-Double($0) * hour) }
        let sends = earlier + [start]
        // The daily limit frees at (start - 9 h) + 24 h, far after the 60-second cooldown.
        #expect(
            policy.issueDecision(for: challenge, at: start.plus(10), recentSendsToAddress: sends)
                == .refused(
                    reason: .addressDailyLimit, allowedAt: start.plus(15 * hour),
                    quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 0, codesLeftToAccount: 9)))
        // With a limit of 11 only the cooldown applies.
        let roomier = try VerificationPolicy(maximumMailsPerAddressPerDay: 11)
        #expect(
            roomier.issueDecision(for: challenge, at: start.plus(10), recentSendsToAddress: sends)
                == .refused(
                    reason: .cooldown, allowedAt: start.plus(60),
                    quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 1, codesLeftToAccount: 9)))
    }

    @Test("no code is issued for a verified, cancelled or locked challenge")
    func closedChallenges() throws {
        let issued = try policy.issue("123456", on: openChallenge(), at: start)
        let verified = policy.evaluate(code("123456"), for: issued, at: start.plus(minute), keyRing: ring).challenge
        let cancelled = try issued.cancelling(because: .withdrawn, at: start.plus(minute))
        var locked = issued
        for attempt in 1...5 {
            locked =
                policy.evaluate(code("000000"), for: locked, at: start.plus(Double(attempt)), keyRing: ring)
                .challenge
        }
        let later = start.plus(hour)
        for (challenge, reason) in [
            (verified, IssueRefusalReason.alreadyVerified), (cancelled, .cancelled), (locked, .attemptsExhausted),
        ] {
            let decision = policy.issueDecision(for: challenge, at: later, recentSendsToAddress: [start])
            #expect(
                decision
                    == .refused(
                        reason: reason, allowedAt: nil,
                        quota: IssueQuota(codesLeftInChallenge: 4, mailsLeftToAddress: 9, codesLeftToAccount: 9)))
            #expect(!reason.isTemporary)
            let refused = #expect(throws: CodeError.self) { try policy.issue("654321", on: challenge, at: later) }
            #expect(refused?.refusalReason == reason)
        }
    }

    @Test("a code of another length than the policy's is refused")
    func lengthMismatch() {
        let error = #expect(throws: CodeError.self) {
            try VerificationPolicy.default.issuing(
                VerificationCode(parsing: "12345678", length: 8), on: openChallenge(), at: start,
                recentSendsToAddress: [], keyRing: ring)
        }
        #expect(error?.code == .lengthMismatch)
    }

    @Test("every refusal explains itself in Indonesian and English")
    func refusalMessages() {
        for reason in IssueRefusalReason.allCases {
            #expect(!reason.message.indonesian.isEmpty && !reason.message.english.isEmpty)
            #expect(reason.message.indonesian != reason.message.english)
        }
        #expect(IssueRefusalReason.cooldown.isTemporary && IssueRefusalReason.addressDailyLimit.isTemporary)
        #expect(IssueRefusalReason.accountDailyLimit.isTemporary)
    }

    @Test("a new challenge's first code waits out the cooldown of the account's last code in another challenge")
    func cooldownSpansChallenges() throws {
        let first = try policy.issue("111111", on: openChallenge(), at: start)
        let cancelled = try first.cancelling(because: .addressChanged, at: start.plus(5))
        let carried = policy.accountCodeTimes(in: [cancelled], at: start.plus(10))
        #expect(carried == [start])
        let next = openChallenge(accountCodesIssuedBefore: carried)
        #expect(
            policy.issueDecision(for: next, at: start.plus(10), recentSendsToAddress: [])
                == .refused(
                    reason: .cooldown, allowedAt: start.plus(60),
                    quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 10, codesLeftToAccount: 9)))
        #expect(policy.issueDecision(for: next, at: start.plus(60), recentSendsToAddress: []).isAllowed)
        // Without the carried time the same challenge would be allowed at once: the test can fail.
        #expect(policy.issueDecision(for: openChallenge(), at: start.plus(10), recentSendsToAddress: []).isAllowed)
    }

    @Test("a closed challenge may be removed once it and its last code are a window old, an open one never")
    func outlivedAccountWindow() throws {
        let issued = try policy.issue("111111", on: openChallenge(), at: start.plus(hour))
        let day: TimeInterval = 24 * hour
        #expect(!policy.hasOutlivedAccountWindow(issued, at: start.plus(10 * day)))
        let closed = try issued.cancelling(because: .superseded, at: start.plus(2 * hour))
        // Counted from the last code, not from the challenge's start.
        #expect(!policy.hasOutlivedAccountWindow(closed, at: start.plus(hour + day - 1)))
        #expect(policy.hasOutlivedAccountWindow(closed, at: start.plus(hour + day)))
        // A challenge closed without a code counts from its start.
        let empty = try openChallenge().cancelling(because: .addressChanged, at: start.plus(minute))
        #expect(!policy.hasOutlivedAccountWindow(empty, at: start.plus(day - 1)))
        #expect(policy.hasOutlivedAccountWindow(empty, at: start.plus(day)))
        // A code lifetime longer than the window keeps the challenge until its codes have expired.
        let longer = try VerificationPolicy(maximumCodeLifetime: .seconds(48 * 3600))
        #expect(!longer.hasOutlivedAccountWindow(closed, at: start.plus(hour + 2 * day - 1)))
        #expect(longer.hasOutlivedAccountWindow(closed, at: start.plus(hour + 2 * day)))
    }

    @Test("the 10th code to an account in 24 hours is allowed, the 11th refused until the oldest is 24 hours old")
    func codesPerAccount() throws {
        // Two challenges of five codes each, for two addresses, one code every 10 minutes.
        var challenges: [VerificationChallenge] = []
        var time = start
        for _ in 0..<2 {
            var challenge = openChallenge(
                accountCodesIssuedBefore: policy.accountCodeTimes(in: challenges, at: time))
            for index in 0..<5 {
                let sends = challenge.codes.map(\.issuedAt)
                #expect(policy.issueDecision(for: challenge, at: time, recentSendsToAddress: sends).isAllowed)
                challenge = try policy.issue("00000\(index)", on: challenge, at: time)
                time = time.plus(10 * minute)
            }
            challenges.append(try challenge.cancelling(because: .addressChanged, at: time))
        }
        let third = openChallenge(accountCodesIssuedBefore: policy.accountCodeTimes(in: challenges, at: time))
        #expect(third.accountCodesIssuedBefore.count == 10)
        #expect(
            policy.issueDecision(for: third, at: time, recentSendsToAddress: [])
                == .refused(
                    reason: .accountDailyLimit, allowedAt: start.plus(24 * hour),
                    quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 10, codesLeftToAccount: 0)))
        let refused = #expect(throws: CodeError.self) { try policy.issue("123456", on: third, at: time) }
        #expect(refused?.refusalReason == .accountDailyLimit)
        #expect(refused?.allowedAt == start.plus(24 * hour))
        #expect(!policy.issueDecision(for: third, at: start.plus(24 * hour - 1), recentSendsToAddress: []).isAllowed)
        #expect(
            policy.issueDecision(for: third, at: start.plus(24 * hour), recentSendsToAddress: [])
                == .allowed(quota: IssueQuota(codesLeftInChallenge: 5, mailsLeftToAddress: 10, codesLeftToAccount: 1)))
        // A roomier budget lets the third challenge send at once.
        let roomier = try VerificationPolicy(maximumCodesPerAccountPerDay: 11)
        #expect(roomier.issueDecision(for: third, at: time, recentSendsToAddress: []).isAllowed)
    }

    @Test("the account's code times carried into a new challenge are the window's latest, at most the budget")
    func accountCodeTimesAreBounded() throws {
        var challenges: [VerificationChallenge] = []
        // Three challenges of five codes, one code a minute, the first an hour older than the window.
        var time = start.plus(-25 * hour)
        for round in 0..<3 {
            var challenge = openChallenge()
            for index in 0..<5 {
                challenge = try policy.issue("00000\(index)", on: challenge, at: time)
                time = time.plus(minute)
            }
            challenges.append(challenge)
            if round == 0 { time = start }
        }
        let carried = policy.accountCodeTimes(in: challenges.reversed(), at: time)
        #expect(carried == (0..<10).map { start.plus(Double($0) * minute) })
        let small = try VerificationPolicy(maximumCodesPerAccountPerDay: 3)
        #expect(small.accountCodeTimes(in: challenges, at: time) == (7..<10).map { start.plus(Double($0) * minute) })
    }

    @Test("a policy with fewer than one code per account per day is refused")
    func accountBudgetValidated() {
        let error = #expect(throws: CodeError.self) { try VerificationPolicy(maximumCodesPerAccountPerDay: 0) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.message.english.contains("maximumCodesPerAccountPerDay") == true)
    }
}
