import DapodikTestSupport
import Testing

@testable import DapodikCrypto

@Suite("HMAC-SHA256 (RFC 2104, RFC 4231)")
struct HMACSHA256Tests {
    /// RFC 4231 §4.2–§4.8, test cases 1–7, HMAC-SHA-256 results.
    static let cases: [(number: Int, key: [UInt8], data: [UInt8], mac: String)] = [
        (
            1, [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        (
            2, Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        (
            3, [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        (
            4, Array(1...25), [UInt8](repeating: 0xcd, count: 50),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        // Case 5 is truncated to 128 bits in the RFC: only the first 16 bytes are compared.
        (
            5, [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
            "a3b6167473100ee06e0c796c2955552b"
        ),
        (
            6, [UInt8](repeating: 0xaa, count: 131),
            Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        (
            7, [UInt8](repeating: 0xaa, count: 131),
            Array(
                ("This is a test using a larger than block-size key and a larger than block-size data. "
                    + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test(
        "computes RFC 4231 test cases 1-7, in every implementation", arguments: cases.indices,
        SHA256Implementation.available)
    func rfc4231(index: Int, implementation: SHA256Implementation) {
        let testCase = Self.cases[index]
        let expectedLength = testCase.mac.count / 2
        let seam = Crypto.hmacSHA256(key: testCase.key, message: testCase.data)
        #expect(hex(seam.prefix(expectedLength)) == testCase.mac, "case \(testCase.number)")
        var incremental = HMACSHA256(key: testCase.key, implementation: implementation)
        incremental.update(testCase.data)
        #expect(hex(incremental.finalize().prefix(expectedLength)) == testCase.mac, "case \(testCase.number)")
        let keyed = HMACSHA256(key: testCase.key, implementation: implementation)
        #expect(hex(keyed.authenticationCode(for: testCase.data).prefix(expectedLength)) == testCase.mac)
        #expect(seam.count == 32)
    }

    @Test(
        "one keyed instance authenticates many messages, each as if keyed afresh",
        arguments: SHA256Implementation.available)
    func keyedInstanceReused(implementation: SHA256Implementation) {
        var generator = SeededGenerator(seed: 0x484d_4143)
        for keyLength in [0, 20, 32, 64, 65, 131] {
            let key = generator.bytes(keyLength)
            let keyed = HMACSHA256(key: key, implementation: implementation)
            for messageLength in [0, 1, 31, 32, 55, 56, 63, 64, 65, 120, 200] {
                let message = generator.bytes(messageLength)
                #expect(keyed.authenticationCode(for: message) == Crypto.hmacSHA256(key: key, message: message))
            }
        }
    }

    @Test("a keyed instance can be copied and reused for many messages")
    func copiedKeyState() {
        let keyed = HMACSHA256(key: Array("Jefe".utf8))
        var first = keyed
        first.update(Array("what do ya want ".utf8))
        first.update(Array("for nothing?".utf8))
        var second = keyed
        second.update(Array("Hi There".utf8))
        #expect(hex(first.finalize()) == Self.cases[1].mac)
        #expect(second.finalize() == Crypto.hmacSHA256(key: Array("Jefe".utf8), message: Array("Hi There".utf8)))
    }
}
