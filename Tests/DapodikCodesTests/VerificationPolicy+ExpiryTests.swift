import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Code lifetime: 30 minutes after hand-over, never more than 24 hours after issue")
struct VerificationPolicyExpiryTests {
    let policy = VerificationPolicy.default

    @Test("a code is valid 29:59 after its hand-over and expired at 30:00")
    func thirtyMinutesAfterHandOver() throws {
        let handOver = start.plus(2 * minute)
        let challenge = try policy.issue("123456", on: openChallenge(), at: start)
            .recordingHandOver(ofCode: 1, at: handOver)
        #expect(policy.expiry(of: challenge.codes[0]) == handOver.plus(30 * minute))
        #expect(!policy.isExpired(challenge.codes[0], at: handOver.plus(30 * minute - 1)))
        #expect(policy.isExpired(challenge.codes[0], at: handOver.plus(30 * minute)))

        let valid = policy.evaluate(code("123456"), for: challenge, at: handOver.plus(29 * minute + 59), keyRing: ring)
        #expect(valid.outcome == .verified(ordinal: 1))
        let late = policy.evaluate(code("123456"), for: challenge, at: handOver.plus(30 * minute), keyRing: ring)
        #expect(late.outcome == .expired(ordinal: 1))
        #expect(!late.changed, "a right but late code is not a wrong attempt")
        #expect(late.challenge.failedAttempts == 0)
    }

    @Test("a code whose hand-over is not recorded is accepted until 24 hours after issue, not after")
    func notHandedOver() throws {
        let challenge = try policy.issue("123456", on: openChallenge(), at: start)
        #expect(policy.expiry(of: challenge.codes[0]) == start.plus(24 * hour))
        let justBefore = policy.evaluate(code("123456"), for: challenge, at: start.plus(24 * hour - 1), keyRing: ring)
        #expect(justBefore.outcome == .verified(ordinal: 1))
        let atCap = policy.evaluate(code("123456"), for: challenge, at: start.plus(24 * hour), keyRing: ring)
        #expect(atCap.outcome == .expired(ordinal: 1))
    }

    @Test("a late hand-over does not extend a code past 24 hours after issue")
    func capAfterLateHandOver() throws {
        let challenge = try policy.issue("123456", on: openChallenge(), at: start)
            .recordingHandOver(ofCode: 1, at: start.plus(23 * hour + 50 * minute))
        #expect(policy.expiry(of: challenge.codes[0]) == start.plus(24 * hour))
        #expect(!policy.isExpired(challenge.codes[0], at: start.plus(24 * hour - 1)))
        #expect(policy.isExpired(challenge.codes[0], at: start.plus(24 * hour)))
    }

    @Test("a lifetime counted from the hand-over means a slow queue does not kill the code")
    func slowQueue() throws {
        let challenge = try policy.issue("123456", on: openChallenge(), at: start)
            .recordingHandOver(ofCode: 1, at: start.plus(2 * hour))
        let evaluation = policy.evaluate(
            code("123456"), for: challenge, at: start.plus(2 * hour + 20 * minute), keyRing: ring)
        #expect(evaluation.outcome == .verified(ordinal: 1))
    }

    @Test("the first recorded hand-over counts; a second one does not move the expiry")
    func firstHandOverWins() throws {
        let once = try policy.issue("123456", on: openChallenge(), at: start)
            .recordingHandOver(ofCode: 1, at: start.plus(minute))
        let twice = try once.recordingHandOver(ofCode: 1, at: start.plus(hour))
        #expect(twice == once)
        #expect(policy.expiry(of: twice.codes[0]) == start.plus(31 * minute))
    }

    @Test("a hand-over of an unknown code, or before the code was issued, is refused")
    func badHandOver() throws {
        let challenge = try policy.issue("123456", on: openChallenge(), at: start)
        let notIssued = #expect(throws: CodeError.self) { try challenge.recordingHandOver(ofCode: 2, at: start) }
        #expect(notIssued?.code == .unknownCodeNumber)
        let zero = #expect(throws: CodeError.self) { try challenge.recordingHandOver(ofCode: 0, at: start) }
        #expect(zero?.code == .unknownCodeNumber)
        let beforeIssue = #expect(throws: CodeError.self) {
            try challenge.recordingHandOver(ofCode: 1, at: start.plus(-1))
        }
        #expect(beforeIssue?.code == .invalidTime)
    }

    @Test("the challenge is valid until its latest code expires")
    func lastExpiry() throws {
        #expect(policy.lastExpiry(of: openChallenge()) == nil)
        let challenge = try policy.issue("111111", on: openChallenge(), at: start)
            .recordingHandOver(ofCode: 1, at: start)
        let both = try policy.issue("222222", on: challenge, at: start.plus(10 * minute))
            .recordingHandOver(ofCode: 2, at: start.plus(11 * minute))
        #expect(policy.lastExpiry(of: challenge) == start.plus(30 * minute))
        #expect(policy.lastExpiry(of: both) == start.plus(41 * minute))
    }

    @Test("configured lifetimes apply")
    func configured() throws {
        let strict = try VerificationPolicy(
            codeLifetimeAfterHandOver: .seconds(600), maximumCodeLifetime: .seconds(3600))
        let challenge = try strict.issue("123456", on: openChallenge(), at: start)
        #expect(strict.expiry(of: challenge.codes[0]) == start.plus(hour))
        let handed = try challenge.recordingHandOver(ofCode: 1, at: start.plus(minute))
        #expect(strict.expiry(of: handed.codes[0]) == start.plus(11 * minute))
    }
}
