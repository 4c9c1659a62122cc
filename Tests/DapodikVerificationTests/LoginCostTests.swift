import DapodikCrypto
import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct LoginCostTests {
    @Test("after a parameter change an unknown name costs the same work as a dormant account's wrong password")
    func equalCostAfterParameterChange() async throws {
        let harness = try Harness.make(.memory)
        try await harness.createSchool()  // hashed with 1,000 iterations
        let hasher = WorkCountingHasher(iterations: 1_500)
        let upgraded = harness.sibling { $0.passwordHasher = hasher }
        var work: [Int] = []
        for identifier in ["operator1", "tidak.ada", "operator@sdn1.sch.id"] {
            hasher.reset()
            _ = try? await upgraded.login(identifier: identifier, password: "salah-salah-salah")
            work.append(hasher.work)
        }
        #expect(work == [1_500, 1_500, 1_500])
    }

    @Test("throttle records are keyed by an HMAC under a key-ring subkey, not by a plain hash of what was typed")
    func keyedThrottleRecords() async throws {
        let material = Array(repeating: UInt8(7), count: 32)
        let harness = try Harness.make(.memory)
        let service = try harness.sibling {
            $0.keyRing = try CodeKeyRing(current: CodeKey(id: CodeKeyID("k9"), material: material))
        }
        let typed = "Rahasia-Sekolah-2026"
        _ = try? await service.login(identifier: typed, password: "salah-salah-salah")
        let keys = try await harness.store.changes(after: 0, limit: 100).flatMap(\.puts).map(\.key)
            .filter { $0.collection == "throttle" }
        // HKDF-Expand's one block, then the HMAC of the lower-cased identifier.
        let subkey = Crypto.hmacSHA256(
            key: material, message: Array("dapodik-verification-login-throttle-v1".utf8) + [1])
        let expected = Crypto.hmacSHA256(key: subkey, message: Array(typed.lowercased().utf8))
            .map { String(format: "%02x", $0) }.joined()
        let plain = Crypto.sha256(Array(typed.lowercased().utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(keys.map(\.id) == [expected])
        #expect(!keys.contains { $0.id == plain })
    }
}
