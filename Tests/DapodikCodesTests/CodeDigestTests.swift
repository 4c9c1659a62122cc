import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes
@testable import DapodikCrypto

@Suite("Keyed code digests")
struct CodeDigestTests {
    let challenge = ChallengeID(UUID(uuidString: "6F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9")!)

    @Test("is HMAC-SHA256 over the label and the length-prefixed key id, challenge, address and code")
    func pinnedEncoding() throws {
        let key = key("k1", byte: 0x11)
        let digest = CodeDigest.compute(
            code: code("012345"), challenge: challenge, address: address("Guru.PTK@Gmail.com"), key: key)
        var message = Array("dapodik-verification-code-digest-v1".utf8)
        for field in ["k1", "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", "guru.ptk@gmail.com", "012345"] {
            message += [0, 0, 0, UInt8(field.utf8.count)] + Array(field.utf8)
        }
        let expected = Crypto.hmacSHA256(key: [UInt8](repeating: 0x11, count: 32), message: message)
        let stored = try JSONDecoder().decode(String.self, from: JSONEncoder().encode(digest))
        #expect(stored == Data(expected).base64EncodedString())
    }

    @Test("changes with every input: key, key id, challenge, address, code")
    func bindsEveryInput() throws {
        let base = CodeDigest.compute(
            code: code("123456"), challenge: challenge, address: address(), key: key("k1", byte: 1))
        let variants = [
            CodeDigest.compute(code: code("123457"), challenge: challenge, address: address(), key: key("k1", byte: 1)),
            CodeDigest.compute(code: code("123456"), challenge: .random(), address: address(), key: key("k1", byte: 1)),
            CodeDigest.compute(
                code: code("123456"), challenge: challenge, address: address("guru.ptk@yahoo.co.id"),
                key: key("k1", byte: 1)),
            CodeDigest.compute(code: code("123456"), challenge: challenge, address: address(), key: key("k1", byte: 2)),
            CodeDigest.compute(code: code("123456"), challenge: challenge, address: address(), key: key("k2", byte: 1)),
        ]
        for variant in variants {
            #expect(!variant.matches(base))
        }
        let again = CodeDigest.compute(
            code: code("123456"), challenge: challenge, address: address(), key: key("k1", byte: 1))
        #expect(again.matches(base))
    }

    @Test("round-trips through JSON as Base64 and refuses damaged text")
    func codable() throws {
        let digest = CodeDigest.compute(
            code: code("123456"), challenge: challenge, address: address(), key: key("k1", byte: 1))
        let decoded = try JSONDecoder().decode(CodeDigest.self, from: JSONEncoder().encode(digest))
        #expect(decoded == digest)
        for damaged in ["\"AAAA\"", "\"not base64\"", "42"] {
            #expect(throws: (any Error).self) { try JSONDecoder().decode(CodeDigest.self, from: Data(damaged.utf8)) }
        }
        #expect(!digest.description.contains(try JSONEncoder().encode(digest).base64EncodedString()))
    }
}
