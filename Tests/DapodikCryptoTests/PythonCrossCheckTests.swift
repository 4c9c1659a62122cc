import Foundation
import Testing

@testable import DapodikCrypto

/// Compares the pure-Swift primitives with an independent implementation: Python's `hashlib`
/// and `hmac` (OpenSSL underneath), run as one `python3` process for the whole comparison.
@Suite("Randomized comparison with Python's hashlib and hmac", .requires(.python3))
struct PythonCrossCheckTests {
    @Test("SHA-256, HMAC-SHA256 and PBKDF2 agree with Python on 2,400+ random inputs", .timeLimit(.minutes(1)))
    func agreesWithPython() async throws {
        let seed = UInt64.random(in: .min ... .max)
        var generator = SplitMix64(seed: seed)
        var requests: [String] = []
        var ours: [String] = []

        // Every message length from 0 to 300 (so every block boundary: 55, 56, 63, 64, 65, 119,
        // 120, 127, 128, …, 247, 248, 255, 256, …), four messages each, both through the seam
        // and through the pure-Swift hasher fed in random pieces.
        for length in 0...300 {
            for _ in 0..<4 {
                let message = generator.bytes(length)
                requests.append("sha256 \(hex(message))")
                let seam = Crypto.sha256(message)
                #expect(seam == pieceByPieceSHA256(message, using: &generator), "seed \(seed)")
                ours.append(hex(seam))
            }
        }
        // Every key length from 0 to 200 (shorter than, equal to, and longer than the block),
        // six random messages of 0-300 bytes each.
        for keyLength in 0...200 {
            for _ in 0..<6 {
                let key = generator.bytes(keyLength)
                let message = generator.bytes(Int.random(in: 0...300, using: &generator))
                requests.append("hmac \(hex(key)) \(hex(message))")
                let seam = Crypto.hmacSHA256(key: key, message: message)
                var pure = HMACSHA256(key: key)
                pure.update(message)
                #expect(seam == pure.finalize(), "seed \(seed)")
                ours.append(hex(seam))
            }
        }
        for _ in 0..<6 {
            let password = generator.bytes(Int.random(in: 0...100, using: &generator))
            let salt = generator.bytes(Int.random(in: 0...40, using: &generator))
            let iterations = Int.random(in: 1...2000, using: &generator)
            let length = Int.random(in: 1...100, using: &generator)
            requests.append("pbkdf2 \(hex(password)) \(hex(salt)) \(iterations) \(length)")
            ours.append(
                hex(Crypto.pbkdf2SHA256(password: password, salt: salt, iterations: iterations, length: length)))
        }

        let theirs = try runPython(requests)
        #expect(theirs.count == requests.count)
        for (index, (mine, reference)) in zip(ours, theirs).enumerated() where mine != reference {
            Issue.record("differs from Python (seed \(seed)): \(requests[index].prefix(200))")
        }
        #expect(requests.count >= 2400)
    }

    private func pieceByPieceSHA256(_ message: [UInt8], using generator: inout SplitMix64) -> [UInt8] {
        var hasher = SHA256()
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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // The script reads all of its input before it writes, so writing everything first and
        // reading afterwards cannot deadlock.
        try input.fileHandleForWriting.write(contentsOf: Data((requests.joined(separator: "\n") + "\n").utf8))
        try input.fileHandleForWriting.close()
        let answer = try output.fileHandleForReading.readToEnd() ?? Data()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 (with hashlib) is needed by this test")
        return String(decoding: answer, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
