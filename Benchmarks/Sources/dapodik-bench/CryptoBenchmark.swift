import CryptoUnderTest
import DapodikAccounts
import DapodikCodes
import Foundation

/// Scenario 4: the library's pure-Swift crypto, timed exactly as `Scripts/openssl_crypto.py` times
/// OpenSSL (same key, same 64-byte message, same password and salt lengths, every call timed alone).
enum CryptoBenchmark {
    static func run(hmacOperations: Int, pbkdf2Operations: Int, iterations: Int, round: Int) throws {
        let key = Array(UInt8(0)..<32)
        let message = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var sink: UInt8 = 0
        let hmac = Measure.serial(warmUp: max(100, hmacOperations / 20), operations: hmacOperations) {
            sink ^= Crypto.hmacSHA256(key: key, message: message)[0]
        }
        BenchmarkResult(
            scenario: "crypto.hmac", variant: "HMAC-SHA256, 64-byte message",
            subject: "DapodikCrypto (pure Swift)", round: round, statistics: hmac,
            notes: ["call": "Crypto.hmacSHA256(key: key32, message: message64)"]
        ).emit()

        let password = Array("Rahasia-Guru-2025!".utf8)
        let salt = Array(UInt8(0)..<16)
        let derive = Measure.serial(warmUp: 1, operations: pbkdf2Operations) {
            sink ^= Crypto.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, length: 32)[0]
        }
        BenchmarkResult(
            scenario: "crypto.pbkdf2", variant: "PBKDF2-HMAC-SHA256, \(iterations.formatted()) iterations",
            subject: "DapodikCrypto (pure Swift)", round: round, statistics: derive,
            notes: ["call": "Crypto.pbkdf2SHA256(password, salt16, iterations, 32)"]
        ).emit()

        let hasher = PBKDF2PasswordHasher(iterations: iterations)
        let hashing = Measure.serial(warmUp: 1, operations: pbkdf2Operations) {
            sink ^= UInt8(truncatingIfNeeded: hasher.hash("Rahasia-Guru-2025!").description.utf8.count)
        }
        BenchmarkResult(
            scenario: "crypto.pbkdf2", variant: "PBKDF2-HMAC-SHA256, \(iterations.formatted()) iterations",
            subject: "PBKDF2PasswordHasher.hash (public API)", round: round, statistics: hashing,
            notes: ["call": "PBKDF2PasswordHasher(iterations:).hash(password): salt, derivation, PHC string"]
        ).emit()

        try codeDigest(operations: hmacOperations, round: round)
        if sink == 0x5A { FileHandle.standardError.write(Data("·".utf8)) }
    }

    /// A submitted code checked against a challenge holding one code: one keyed digest (an HMAC over a
    /// ≈ 120-byte message) and a constant-time comparison, through `VerificationPolicy.evaluate`.
    private static func codeDigest(operations: Int, round: Int) throws {
        let policy = VerificationPolicy.default
        let keyRing = try CodeKeyRing(current: CodeKey(id: CodeKeyID("k1"), material: Array(UInt8(0)..<32)))
        let now = Date(timeIntervalSince1970: 1_754_035_200)
        let address = try EmailAddress("guru.ptk@sekolah.sch.id")
        let open = VerificationChallenge(
            account: .random(), purpose: .staffAddress, address: address, createdAt: now)
        let code = try policy.parseCode("419027")
        let challenge = try policy.issuing(code, on: open, at: now, recentSendsToAddress: [], keyRing: keyRing)
        var verified = 0
        let statistics = Measure.serial(warmUp: max(100, operations / 20), operations: operations) {
            if case .verified = policy.evaluate(code, for: challenge, at: now, keyRing: keyRing).outcome {
                verified += 1
            }
        }
        guard verified == operations + max(100, operations / 20) else {
            throw ClientFailure(description: "the right code was not accepted")
        }
        BenchmarkResult(
            scenario: "crypto.codeDigest", variant: "code check: 1 keyed digest + constant-time compare",
            subject: "VerificationPolicy.evaluate (public API)", round: round, statistics: statistics
        ).emit()
    }
}
