import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Challenges as stored values")
struct VerificationChallengeTests {
    let policy = VerificationPolicy.default

    func sample() throws -> VerificationChallenge {
        var challenge = try policy.issue("111111", on: openChallenge(), at: start).recordingHandOver(
            ofCode: 1, at: start)
        challenge = try policy.issue("222222", on: challenge, at: start.plus(minute))
        return policy.evaluate(code("000000"), for: challenge, at: start.plus(2 * minute), keyRing: ring).challenge
    }

    @Test("round-trips through JSON with its codes, times, attempts and state")
    func roundTrip() throws {
        let challenge = try sample()
        let verified = policy.evaluate(code("222222"), for: challenge, at: start.plus(3 * minute), keyRing: ring)
            .challenge
        let cancelled = try challenge.cancelling(because: .superseded, at: start.plus(4 * minute))
        for value in [challenge, verified, cancelled, openChallenge()] {
            let decoded = try JSONDecoder().decode(VerificationChallenge.self, from: JSONEncoder().encode(value))
            #expect(decoded == value)
        }
        // A decoded challenge still verifies: the digest survives storage.
        let decoded = try JSONDecoder().decode(VerificationChallenge.self, from: JSONEncoder().encode(challenge))
        #expect(
            policy.evaluate(code("111111"), for: decoded, at: start.plus(5 * minute), keyRing: ring).outcome
                == .verified(ordinal: 1))
    }

    @Test("carries the account's earlier code times through a round trip, and stores none when there are none")
    func earlierCodesRoundTrip() throws {
        let carried = openChallenge(accountCodesIssuedBefore: [start.plus(-2 * minute), start.plus(-5 * minute)])
        #expect(carried.accountCodesIssuedBefore == [start.plus(-5 * minute), start.plus(-2 * minute)], "sorted")
        let decoded = try JSONDecoder().decode(VerificationChallenge.self, from: try JSONEncoder().encode(carried))
        #expect(decoded == carried)
        let plain = String(decoding: try JSONEncoder().encode(try sample()), as: UTF8.self)
        #expect(!plain.contains("accountCodesIssuedBefore"))
    }

    @Test("stores no code in the clear")
    func noClearCode() throws {
        let json = String(decoding: try JSONEncoder().encode(try sample()), as: UTF8.self)
        #expect(!json.contains("111111") && !json.contains("222222"))
    }

    @Test(
        "refuses stored data whose codes are misnumbered, whose attempts are negative, whose verified code is missing, or whose earlier codes are out of order or too many"
    )
    func damagedStoredData() throws {
        let encoded = try JSONEncoder().encode(try sample())
        let object = try #require(try JSONSerialization.jsonObject(with: encoded) as? [String: Any])
        var misnumbered = object
        var codes = try #require(object["codes"] as? [[String: Any]])
        codes[1]["ordinal"] = 3
        misnumbered["codes"] = codes
        var negative = object
        negative["failedAttempts"] = -1
        var ghost = object
        ghost["state"] = ["verified": ["ordinal": 7, "at": 0]]
        var unordered = object
        unordered["accountCodesIssuedBefore"] = [10.0, 5.0]
        var tooMany = object
        tooMany["accountCodesIssuedBefore"] = Array(
            repeating: 0.0, count: VerificationChallenge.maximumStoredEarlierCodes + 1)
        for damaged in [misnumbered, negative, ghost, unordered, tooMany] {
            let data = try JSONSerialization.data(withJSONObject: damaged)
            let error = #expect(throws: CodeError.self) {
                try JSONDecoder().decode(VerificationChallenge.self, from: data)
            }
            #expect(error?.code == .invalidStoredData)
        }
    }

    @Test("finds its codes by number")
    func codeByNumber() throws {
        let challenge = try sample()
        #expect(challenge.code(numbered: 1)?.ordinal == 1)
        #expect(challenge.code(numbered: 2) == challenge.latestCode)
        #expect(challenge.code(numbered: 0) == nil && challenge.code(numbered: 3) == nil)
    }

    @Test("the policy, ring and challenge can be used from another task", .timeLimit(.minutes(10)))
    func sendable() async throws {
        let challenge = try sample()
        let policy = self.policy
        let outcome = await Task.detached {
            policy.evaluate(code("222222"), for: challenge, at: start.plus(3 * minute), keyRing: ring).outcome
        }.value
        #expect(outcome == .verified(ordinal: 2))
    }
}

struct StoredNumberBoundsTests {
    /// A stored challenge with one code, as JSON, with `change` applied to its top-level object.
    func storedChallenge(_ change: (inout [String: Any]) -> Void) throws -> Data {
        let challenge = try VerificationPolicy.default.issue("123456", on: openChallenge(), at: start)
        let encoder = JSONEncoder()
        var object = try #require(
            try JSONSerialization.jsonObject(with: try encoder.encode(challenge)) as? [String: Any])
        change(&object)
        return try JSONSerialization.data(withJSONObject: object)
    }

    @Test(
        "a stored challenge with an extreme ordinal or attempt count is refused as damaged, not a trap",
        arguments: [Int.min, -1, 0, 2, Int.max])
    func extremeOrdinal(_ ordinal: Int) throws {
        let data = try storedChallenge { $0["state"] = ["verified": ["ordinal": ordinal, "at": 0]] }
        #expect(throws: (any Error).self) { try JSONDecoder().decode(VerificationChallenge.self, from: data) }
    }

    @Test("a failed-attempt count above the bound is damaged; counting on from the bound does not overflow")
    func extremeAttempts() throws {
        for count in [Int.max, VerificationChallenge.maximumStoredFailedAttempts + 1, -1] {
            let data = try storedChallenge { $0["failedAttempts"] = count }
            #expect(throws: (any Error).self) { try JSONDecoder().decode(VerificationChallenge.self, from: data) }
        }
        let data = try storedChallenge { $0["failedAttempts"] = VerificationChallenge.maximumStoredFailedAttempts }
        let challenge = try JSONDecoder().decode(VerificationChallenge.self, from: data)
        let policy = try VerificationPolicy(maximumFailedAttempts: 5)
        let evaluation = policy.evaluate(code("654321"), for: challenge, at: start, keyRing: ring)
        #expect(evaluation.challenge.failedAttempts == VerificationChallenge.maximumStoredFailedAttempts)
        #expect(challenge.code(numbered: Int.min) == nil)
        #expect(challenge.code(numbered: Int.max) == nil)
    }
}
