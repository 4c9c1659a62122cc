import BenchmarkHarness
import BenchmarkReport
import CryptoUnderTest
import DapodikAccounts
@_spi(Benchmarks) import DapodikCodes
import Foundation

/// Scenario 4: the library's crypto, timed exactly as `Scripts/openssl_crypto.py` times OpenSSL (same
/// key, same 64-byte message, same password and salt lengths, every call timed alone), in every SHA-256
/// implementation this machine has (the CPU's SHA instructions and pure Swift).
///
/// Besides wall-clock latency, each result carries the calling thread's CPU time per operation
/// (`cpuMicrosecondsPerOperation`), from a second run of the same calls without a clock read around
/// each: on a shared machine a process waits for a core, and the wall clock counts that wait while the
/// CPU time does not. `openssl speed` divides by CPU time as well, with no clock read per call.
enum CryptoBenchmark {
    static func run(hmacOperations: Int, pbkdf2Operations: Int, iterations: Int, round: Int) throws {
        let key = Array(UInt8(0)..<32)
        let message = (0..<64).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let password = Array("Rahasia-Guru-2025!".utf8)
        let salt = Array(UInt8(0)..<16)
        var sink: UInt8 = 0
        let hmacWarmUp = max(100, hmacOperations / 20)
        for implementation in [SHA256Implementation.preferred]
            + SHA256Implementation.available.filter({
                $0 != .preferred
            })
        {
            let name = "DapodikCrypto, \(implementation)"
            let keyed = HMACSHA256(key: key, implementation: implementation)
            emit(
                "crypto.hmac", "HMAC-SHA256, 64-byte message", "\(name), key set once", round,
                timed(warmUp: hmacWarmUp, operations: hmacOperations) {
                    sink ^= keyed.authenticationCode(for: message)[0]
                },
                call: "keyed.authenticationCode(for: message64), keyed = HMACSHA256(key: key32)")
            emit(
                "crypto.hmac", "HMAC-SHA256, 64-byte message", "\(name), keyed per message", round,
                timed(warmUp: hmacWarmUp, operations: hmacOperations) {
                    sink ^= HMACSHA256(key: key, implementation: implementation).authenticationCode(for: message)[0]
                },
                call: "HMACSHA256(key: key32).authenticationCode(for: message64), as Crypto.hmacSHA256 on Linux")
            emit(
                "crypto.pbkdf2", "PBKDF2-HMAC-SHA256, \(iterations.formatted()) iterations", name, round,
                timed(warmUp: 1, operations: pbkdf2Operations) {
                    sink ^=
                        Crypto.pbkdf2SHA256(
                            password: password, salt: salt, iterations: iterations, length: 32,
                            implementation: implementation)[0]
                },
                call: "Crypto.pbkdf2SHA256(password, salt16, iterations, 32)")
        }

        let hasher = PBKDF2PasswordHasher(iterations: iterations)
        emit(
            "crypto.pbkdf2", "PBKDF2-HMAC-SHA256, \(iterations.formatted()) iterations",
            "PBKDF2PasswordHasher.hash (public API)", round,
            timed(warmUp: 1, operations: pbkdf2Operations) {
                sink ^= UInt8(truncatingIfNeeded: hasher.hash("Rahasia-Guru-2025!").description.utf8.count)
            },
            call: "PBKDF2PasswordHasher(iterations:).hash(password): salt, derivation, PHC string")
        // Two passwords a call, as a batch registration hashes them: its own scenario, as a call is two keys
        // (`cpuMicrosecondsPerKey` is the figure to read beside the one-key rows above).
        let twoPasswords = ["Rahasia-Guru-2025!", "Guru-Teladan-Jaya-7"]
        emit(
            "crypto.pbkdf2.two", "PBKDF2-HMAC-SHA256, \(iterations.formatted()) iterations, two passwords a call",
            "PBKDF2PasswordHasher.hashAll (public API)", round,
            timed(warmUp: 1, operations: pbkdf2Operations) {
                sink ^= UInt8(truncatingIfNeeded: hasher.hashAll(twoPasswords).count)
            },
            call: "PBKDF2PasswordHasher(iterations:).hashAll([password, password])", keysPerOperation: 2)

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
        let code = try policy.parseCode("419027")
        let check = try policy.codeCheck(issuing: code, to: address, at: now, keyRing: keyRing)
        var verified = 0
        let warmUp = max(100, operations / 20)
        let measured = timed(warmUp: warmUp, operations: operations) {
            if check() { verified += 1 }
        }
        // The warm-up, the calls timed one by one, and the calls run back to back for the CPU time.
        guard verified == warmUp + 2 * operations else {
            throw ClientFailure(description: "the right code was not accepted")
        }
        emit(
            "crypto.codeDigest", "code check: 1 keyed digest + constant-time compare",
            "VerificationPolicy.evaluate (SPI)", round, measured, call: nil)
    }

    /// Latency of each call (wall clock), then the calling thread's CPU time per call over the same
    /// number of calls run back to back (no clock read between them, as `openssl speed` runs).
    private static func timed(
        warmUp: Int, operations: Int, _ body: () -> Void
    ) -> (statistics: Statistics, cpuMicrosecondsPerOperation: Double) {
        let statistics = Measure.serial(warmUp: warmUp, operations: operations, body)
        let before = threadCPUTime()
        for _ in 0..<operations { body() }
        return (statistics, (threadCPUTime() - before) * 1e6 / Double(max(1, operations)))
    }

    private static func emit(
        _ scenario: String, _ variant: String, _ subject: String, _ round: Int,
        _ measured: (statistics: Statistics, cpuMicrosecondsPerOperation: Double), call: String?,
        keysPerOperation: Int = 1
    ) {
        var figures = ["cpuMicrosecondsPerOperation": measured.cpuMicrosecondsPerOperation]
        if keysPerOperation > 1 {
            figures["cpuMicrosecondsPerKey"] = measured.cpuMicrosecondsPerOperation / Double(keysPerOperation)
        }
        BenchmarkResult(
            scenario: scenario, variant: variant, subject: subject, round: round, statistics: measured.statistics,
            figures: figures,
            notes: call.map { ["call": $0] } ?? [:]
        ).emit()
    }

    /// CPU time consumed by the calling thread so far, in seconds (`CLOCK_THREAD_CPUTIME_ID`).
    private static func threadCPUTime() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
