import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Submitting codes: verified, wrong, expired, locked")
struct VerificationPolicyEvaluationTests {
    let policy = VerificationPolicy.default

    func issued(_ digits: String = "123456") throws -> VerificationChallenge {
        try policy.issue(digits, on: openChallenge(), at: start).recordingHandOver(ofCode: 1, at: start)
    }

    @Test("the right code verifies the challenge, once")
    func verifies() throws {
        let challenge = try issued()
        let first = policy.evaluate(code("123 456"), for: challenge, at: start.plus(minute), keyRing: ring)
        #expect(first.outcome == .verified(ordinal: 1))
        #expect(first.changed)
        #expect(first.challenge.state == .verified(ordinal: 1, at: start.plus(minute)))
        let again = policy.evaluate(code("123456"), for: first.challenge, at: start.plus(2 * minute), keyRing: ring)
        #expect(again.outcome == .alreadyVerified)
        #expect(!again.changed)
        #expect(again.challenge == first.challenge)
    }

    @Test("the 5th wrong attempt is answered and locks the challenge; the 6th is refused, even with the right code")
    func fiveWrongAttempts() throws {
        var challenge = try issued()
        for attempt in 1...4 {
            let evaluation = policy.evaluate(
                code("000000"), for: challenge, at: start.plus(Double(attempt)), keyRing: ring)
            #expect(evaluation.outcome == .wrong(attemptsLeft: 5 - attempt))
            #expect(evaluation.challenge.state == .open)
            challenge = evaluation.challenge
        }
        let fifth = policy.evaluate(code("000000"), for: challenge, at: start.plus(5), keyRing: ring)
        #expect(fifth.outcome == .wrong(attemptsLeft: 0))
        #expect(fifth.challenge.failedAttempts == 5)
        #expect(fifth.challenge.state == .exhausted(at: start.plus(5)))
        let sixth = policy.evaluate(code("123456"), for: fifth.challenge, at: start.plus(6), keyRing: ring)
        #expect(sixth.outcome == .attemptsExhausted)
        #expect(!sixth.changed)
    }

    @Test("the 4th wrong attempt still leaves the right code accepted")
    func rightCodeAfterFourWrong() throws {
        var challenge = try issued()
        for attempt in 1...4 {
            challenge =
                policy.evaluate(code("999999"), for: challenge, at: start.plus(Double(attempt)), keyRing: ring)
                .challenge
        }
        #expect(
            policy.evaluate(code("123456"), for: challenge, at: start.plus(10), keyRing: ring).outcome
                == .verified(ordinal: 1))
    }

    @Test("a new code never resets the failed-attempt count")
    func resendKeepsCount() throws {
        var challenge = try issued("111111")
        for attempt in 1...3 {
            challenge =
                policy.evaluate(code("000000"), for: challenge, at: start.plus(Double(attempt)), keyRing: ring)
                .challenge
        }
        challenge = try policy.issue("222222", on: challenge, at: start.plus(2 * minute))
        #expect(challenge.failedAttempts == 3)
        let fourth = policy.evaluate(code("000000"), for: challenge, at: start.plus(3 * minute), keyRing: ring)
        #expect(fourth.outcome == .wrong(attemptsLeft: 1))
    }

    @Test("an earlier, unexpired code of the challenge is still accepted after a resend")
    func earlierCodeAccepted() throws {
        let challenge = try policy.issue("222222", on: issued("111111"), at: start.plus(2 * minute))
            .recordingHandOver(ofCode: 2, at: start.plus(2 * minute))
        let lateFirstMail = policy.evaluate(code("111111"), for: challenge, at: start.plus(5 * minute), keyRing: ring)
        #expect(lateFirstMail.outcome == .verified(ordinal: 1))
        let second = policy.evaluate(code("222222"), for: challenge, at: start.plus(5 * minute), keyRing: ring)
        #expect(second.outcome == .verified(ordinal: 2))
    }

    @Test("an earlier code that has expired is reported as expired while the newer one still verifies")
    func earlierCodeExpired() throws {
        let challenge = try policy.issue("222222", on: issued("111111"), at: start.plus(25 * minute))
            .recordingHandOver(ofCode: 2, at: start.plus(25 * minute))
        let now = start.plus(31 * minute)
        #expect(policy.evaluate(code("111111"), for: challenge, at: now, keyRing: ring).outcome == .expired(ordinal: 1))
        #expect(
            policy.evaluate(code("222222"), for: challenge, at: now, keyRing: ring).outcome == .verified(ordinal: 2))
    }

    @Test(
        "once every code has expired, any code is said as expired and not counted: nothing could verify, and the answer no longer tells an old code from a wrong one"
    )
    func wrongAfterExpiry() throws {
        let challenge = try issued("111111")
        let wrong = policy.evaluate(code("000000"), for: challenge, at: start.plus(hour), keyRing: ring)
        #expect(wrong.outcome == .expired(ordinal: 1))
        #expect(wrong.challenge.failedAttempts == 0)
        #expect(!wrong.changed)
        let old = policy.evaluate(code("111111"), for: challenge, at: start.plus(hour), keyRing: ring)
        #expect(old.outcome == wrong.outcome)
    }

    @Test("the code of another challenge is refused as wrong, even for the same account and address")
    func otherChallengesCode() throws {
        let mine = try issued("123456")
        let other = try policy.issue("654321", on: openChallenge(), at: start)
        let evaluation = policy.evaluate(code("654321"), for: mine, at: start.plus(minute), keyRing: ring)
        #expect(evaluation.outcome == .wrong(attemptsLeft: 4))
        #expect(other.codes[0].digest != mine.codes[0].digest)
        // Same digits in two challenges give different digests: the challenge is bound in.
        let twin = try policy.issue("123456", on: openChallenge(), at: start)
        #expect(twin.codes[0].digest != mine.codes[0].digest)
    }

    @Test("nothing is submitted against a challenge with no code, or a cancelled one")
    func noCodeOrCancelled() throws {
        let empty = openChallenge()
        let none = policy.evaluate(code("123456"), for: empty, at: start, keyRing: ring)
        #expect(none.outcome == .noCodeIssued)
        #expect(!none.changed && none.challenge.failedAttempts == 0)
        let cancelled = try issued().cancelling(because: .addressChanged, at: start.plus(minute))
        #expect(cancelled.state == .cancelled(reason: .addressChanged, at: start.plus(minute)))
        let evaluation = policy.evaluate(code("123456"), for: cancelled, at: start.plus(2 * minute), keyRing: ring)
        #expect(evaluation.outcome == .cancelled)
        #expect(!evaluation.changed)
    }

    @Test("only an open challenge can be cancelled")
    func cancelOnlyOpen() throws {
        let verified = policy.evaluate(code("123456"), for: try issued(), at: start, keyRing: ring).challenge
        let closed = #expect(throws: CodeError.self) { try verified.cancelling(because: .withdrawn, at: start) }
        #expect(closed?.code == .challengeClosed)
    }

    @Test("after rotation a code issued under the old key verifies while that key is active, not after it is retired")
    func keyRotation() throws {
        let oldKeyCode = try issued("123456")
        #expect(oldKeyCode.codes[0].keyID == keyID("k1"))
        let rotated = try ring.rotating(to: key("k2", byte: 0x22))
        #expect(rotated.currentKeyID == keyID("k2"))

        let bothCodes = try policy.issue("654321", on: oldKeyCode, at: start.plus(minute), keyRing: rotated)
        #expect(bothCodes.codes[1].keyID == keyID("k2"))
        let now = start.plus(2 * minute)
        #expect(
            policy.evaluate(code("123456"), for: bothCodes, at: now, keyRing: rotated).outcome == .verified(ordinal: 1))
        #expect(
            policy.evaluate(code("654321"), for: bothCodes, at: now, keyRing: rotated).outcome == .verified(ordinal: 2))

        let retired = try rotated.retiring(keyID("k1"))
        #expect(
            policy.evaluate(code("123456"), for: bothCodes, at: now, keyRing: retired).outcome
                == .wrong(attemptsLeft: 4))
        #expect(
            policy.evaluate(code("654321"), for: bothCodes, at: now, keyRing: retired).outcome == .verified(ordinal: 2))
    }

    @Test("a ring with the right identifier but other key material does not verify")
    func wrongKeyMaterial() throws {
        let impostor = try CodeKeyRing(current: key("k1", byte: 0x99))
        let evaluation = policy.evaluate(code("123456"), for: try issued(), at: start, keyRing: impostor)
        #expect(evaluation.outcome == .wrong(attemptsLeft: 4))
    }

    @Test("a configured attempt limit applies", arguments: [1, 3])
    func configuredAttempts(limit: Int) throws {
        let strict = try VerificationPolicy(maximumFailedAttempts: limit)
        var challenge = try strict.issue("123456", on: openChallenge(), at: start)
        for attempt in 1...limit {
            let evaluation = strict.evaluate(code("000000"), for: challenge, at: start, keyRing: ring)
            #expect(evaluation.outcome == .wrong(attemptsLeft: limit - attempt))
            challenge = evaluation.challenge
        }
        #expect(strict.evaluate(code("123456"), for: challenge, at: start, keyRing: ring).outcome == .attemptsExhausted)
    }
}
