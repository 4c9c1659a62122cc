import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikCrypto

/// Compares the primitives, in each ``SHA256Implementation`` this machine has (the CPU's SHA
/// instructions and pure Swift), with an independent implementation: Python's `hashlib` and `hmac`
/// (OpenSSL underneath), run as one `python3` process for the whole comparison.
@Suite("Randomized comparison with Python's hashlib and hmac", .requires(.python3))
struct PythonCrossCheckTests {
    /// One input of the comparison: what Python is asked, and how to compute it here.
    private struct Request {
        var line: String
        var compute: (SHA256Implementation, inout SeededGenerator) -> [UInt8]
    }

    @Test(
        "SHA-256, HMAC-SHA256 and PBKDF2 agree with Python on 2,400+ random inputs, in every implementation",
        .timeLimit(.minutes(10)))
    func agreesWithPython() async throws {
        let seed = UInt64.random(in: .min ... .max)
        var generator = SeededGenerator(seed: seed)
        var requests: [Request] = []

        // Every message length from 0 to 300 (so every block boundary: 55, 56, 63, 64, 65, 119,
        // 120, 127, 128, …, 247, 248, 255, 256, …), four messages each, both in one piece and fed
        // to the hasher in random pieces.
        for length in 0...300 {
            for _ in 0..<4 {
                let message = generator.bytes(length)
                requests.append(
                    Request(line: "sha256 \(hex(message))") { implementation, generator in
                        let oneShot = Crypto.sha256(message, using: implementation)
                        #expect(oneShot == Crypto.sha256(message), "seed \(seed)")
                        #expect(
                            oneShot == Self.pieceByPieceSHA256(message, implementation, using: &generator),
                            "seed \(seed), \(implementation)")
                        return oneShot
                    })
            }
        }
        // Every key length from 0 to 200 (shorter than, equal to, and longer than the block),
        // six random messages of 0-300 bytes each.
        for keyLength in 0...200 {
            for _ in 0..<6 {
                let key = generator.bytes(keyLength)
                let message = generator.bytes(Int.random(in: 0...300, using: &generator))
                requests.append(
                    Request(line: "hmac \(hex(key)) \(hex(message))") { implementation, _ in
                        var incremental = HMACSHA256(key: key, implementation: implementation)
                        incremental.update(message)
                        let code = incremental.finalize()
                        #expect(code == Crypto.hmacSHA256(key: key, message: message), "seed \(seed)")
                        return code
                    })
            }
        }
        for _ in 0..<6 {
            let password = generator.bytes(Int.random(in: 0...100, using: &generator))
            let salt = generator.bytes(Int.random(in: 0...40, using: &generator))
            let iterations = Int.random(in: 1...2000, using: &generator)
            let length = Int.random(in: 1...100, using: &generator)
            requests.append(
                Request(line: "pbkdf2 \(hex(password)) \(hex(salt)) \(iterations) \(length)") { implementation, _ in
                    Crypto.pbkdf2SHA256(
                        password: password, salt: salt, iterations: iterations, length: length,
                        implementation: implementation)
                })
        }

        // Two derivations at once: each lane against Python.
        for _ in 0..<4 {
            let lanes = (0..<2).map { _ in
                (
                    password: generator.bytes(Int.random(in: 0...100, using: &generator)),
                    salt: generator.bytes(Int.random(in: 0...40, using: &generator))
                )
            }
            let iterations = Int.random(in: 1...2000, using: &generator)
            let length = Int.random(in: 1...100, using: &generator)
            for lane in 0..<2 {
                let (password, salt) = lanes[lane]
                requests.append(
                    Request(line: "pbkdf2 \(hex(password)) \(hex(salt)) \(iterations) \(length)") { implementation, _ in
                        let both = Crypto.pbkdf2SHA256(
                            lanes[0], lanes[1], iterations: iterations, length: length, implementation: implementation)
                        return lane == 0 ? both.first : both.second
                    })
            }
        }

        let theirs = try runPython(requests.map(\.line))
        try #require(theirs.count == requests.count)
        for implementation in SHA256Implementation.available {
            for (request, reference) in zip(requests, theirs)
            where hex(request.compute(implementation, &generator)) != reference {
                Issue.record("\(implementation) differs from Python (seed \(seed)): \(request.line.prefix(200))")
            }
        }
        #expect(requests.count >= 2400)
    }

    private static func pieceByPieceSHA256(
        _ message: [UInt8], _ implementation: SHA256Implementation, using generator: inout SeededGenerator
    ) -> [UInt8] {
        var hasher = SHA256(implementation: implementation)
        var offset = 0
        while offset < message.count {
            let piece = Int.random(in: 1...min(100, message.count - offset), using: &generator)
            hasher.update(message[offset..<offset + piece])
            offset += piece
        }
        return hasher.finalize()
    }

    /// Runs the reference script once over all requests and returns its hex answers, in order.
    private func runPython(_ requests: [String]) throws -> [String] {
        let script = """
            import hashlib, hmac, sys
            answers = []
            for line in sys.stdin.read().splitlines():
                kind, *fields = line.split(" ")
                if kind == "sha256":
                    answers.append(hashlib.sha256(bytes.fromhex(fields[0])).hexdigest())
                elif kind == "hmac":
                    key, message = bytes.fromhex(fields[0]), bytes.fromhex(fields[1])
                    answers.append(hmac.new(key, message, hashlib.sha256).hexdigest())
                elif kind == "pbkdf2":
                    password, salt = bytes.fromhex(fields[0]), bytes.fromhex(fields[1])
                    derived = hashlib.pbkdf2_hmac("sha256", password, salt, int(fields[2]), int(fields[3]))
                    answers.append(derived.hex())
                else:
                    raise SystemExit("unknown request " + kind)
            sys.stdout.write("\\n".join(answers) + "\\n")
            """
        let result = try ChildProcess.run(
            "python3", ["-c", script], input: requests.joined(separator: "\n") + "\n")
        try #require(result.status == 0, "python3 (with hashlib) failed: \(result.standardError)")
        return result.standardOutput.split(separator: "\n").map(String.init)
    }
}
