import DapodikTestSupport
import Testing

@testable import DapodikCrypto

@Suite("SHA-256 (FIPS 180-4)")
struct SHA256Tests {
    /// The examples of FIPS 180-4 (NIST's "SHA256.pdf", "SHA2_Additional.pdf") and the empty message.
    static let examples: [(name: String, message: [UInt8], digest: String)] = [
        ("empty message", [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("\"abc\", one block", Array("abc".utf8), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "448-bit message, two blocks",
            Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
        (
            "896-bit message, two blocks",
            Array(
                ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                    + "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu").utf8),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
        ),
    ]

    @Test(
        "hashes the FIPS 180-4 examples, in every implementation",
        arguments: examples.indices, SHA256Implementation.available)
    func example(index: Int, implementation: SHA256Implementation) {
        let example = Self.examples[index]
        #expect(hex(Crypto.sha256(example.message)) == example.digest, "\(example.name)")
        #expect(hex(Crypto.sha256(example.message, using: implementation)) == example.digest, "\(example.name)")
    }

    @Test("hashes one million 'a' (FIPS 180-4 long example)", arguments: SHA256Implementation.available)
    func millionA(implementation: SHA256Implementation) {
        let expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(hex(Crypto.sha256(message)) == expected)
        #expect(hex(Crypto.sha256(message, using: implementation)) == expected)
        var hasher = SHA256(implementation: implementation)
        for _ in 0..<1000 { hasher.update(message[0..<1000]) }
        #expect(hex(hasher.finalize()) == expected, "fed in 1,000-byte pieces")
    }

    @Test(
        "gives the same digest however the message is split into updates",
        arguments: SHA256Implementation.available)
    func incrementalEqualsOneShot(implementation: SHA256Implementation) {
        var generator = SeededGenerator(seed: 0x5348_4132_3536)
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 191, 192, 300, 1000] {
            let message = generator.bytes(length)
            let oneShot = Crypto.sha256(message, using: .portable)
            for _ in 0..<8 {
                var hasher = SHA256(implementation: implementation)
                var offset = 0
                while offset < message.count {
                    let piece = Int.random(in: 0...min(130, message.count - offset), using: &generator)
                    hasher.update(message[offset..<offset + piece])
                    offset += piece
                }
                hasher.update([])
                #expect(hasher.finalize() == oneShot, "length \(length)")
            }
        }
    }

    @Test("accepts any collection of bytes, contiguous or not")
    func nonContiguousInput() {
        let message = Array("abc".utf8)
        #expect(Crypto.sha256(message.lazy.map { $0 }) == Crypto.sha256(message))
        #expect(Crypto.sha256(Set([UInt8(1)])) == Crypto.sha256([UInt8(1)]))
    }
}
