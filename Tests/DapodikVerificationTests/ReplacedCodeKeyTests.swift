import DapodikVerification
import Foundation
import Testing

/// A code made under keys that are gone (a key file lost and made anew, a key retired) can match
/// nothing: typing it is not a wrong attempt, and the person is told to ask for a new code.
@Suite(.timeLimit(.minutes(10)))
struct ReplacedCodeKeyTests {
    @Test(
        "a code whose key is gone is uncheckable, counts no attempt, and a new code under the new key verifies",
        arguments: StoreKind.allCases)
    func uncheckable(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        // The same store with new keys only: the old one is lost, as after `key rotate` over a lost key file.
        let renewed = try harness.sibling { $0.keyRing = try CodeKeyRing(current: .random(id: CodeKeyID("k2"))) }
        let limit = harness.service.configuration.policy.maximumFailedAttempts
        for typed in [code, wrongCode(code)] + Array(repeating: wrongCode(code), count: limit) {
            let result = try await renewed.submitCode(typed, for: ptk.id, by: ptk.id)
            #expect(result.outcome == .uncheckable, "\(result.outcome)")
            #expect(result.message.indonesian.contains("tidak dapat diperiksa lagi"), "\(result.message.indonesian)")
            #expect(result.message.english.contains("not counted"))
        }
        // Nothing was counted: the challenge is not exhausted, and a new code, once the cooldown is over,
        // is made under the new key and verifies.
        let status = try await renewed.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.attemptsLeft == limit, "\(status)")
        // The status no longer calls the code valid: it says why it cannot be used.
        #expect(status.state == .expired, "\(status.state)")
        #expect(status.explanation.indonesian.contains("tidak dapat diperiksa lagi"), "\(status.explanation)")
        #expect(!status.explanation.indonesian.contains("berlaku sampai"), "\(status.explanation)")
        let before = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(before.explanation.indonesian.contains("berlaku sampai"), "with the old key: \(before.explanation)")
        harness.clock.advance(by: harness.service.configuration.policy.resendCooldown.timeInterval)
        _ = try await renewed.requestCode(for: ptk.id, by: ptk.id)
        let fresh = try #require(harness.latestCode(to: ptk.email!))
        #expect(fresh != code)
        #expect(try await renewed.submitCode(fresh, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("while one unexpired code can still be checked, a wrong code counts as before")
    func checkableCodeStillCounts() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: ptk)
        let result = try await harness.service.submitCode(wrongCode(code), for: ptk.id, by: ptk.id)
        let limit = harness.service.configuration.policy.maximumFailedAttempts
        #expect(result.outcome == .wrong(attemptsLeft: limit - 1))
    }
}
