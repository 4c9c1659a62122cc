import DapodikCrypto
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The seal as it was before it took keyed HMACs (`Crypto.hmacSHA256` per message, arrays
/// concatenated, characters mapped): kept verbatim so that the faster seal can be held to the very
/// same stored digits and tags.
private enum LegacyCodeSeal {
    static func seal(_ code: String, messageID: String, key: [UInt8]) -> (digits: String, tag: String) {
        let stream = keystream(count: code.utf8.count, messageID: messageID, key: key)
        let sealed = zip(code.utf8, stream).map { byte, shift in
            Character(Unicode.Scalar(UInt8(ascii: "0") + (byte - UInt8(ascii: "0") + shift) % 10))
        }
        return (String(sealed), hex(tag(code: code, messageID: messageID, key: key)))
    }

    static func unseal(_ digits: String, messageID: String, key: [UInt8]) -> String? {
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let stream = keystream(count: digits.utf8.count, messageID: messageID, key: key)
        let plain = zip(digits.utf8, stream).map { byte, shift in
            Character(Unicode.Scalar(UInt8(ascii: "0") + (byte - UInt8(ascii: "0") + 10 - shift) % 10))
        }
        return String(plain)
    }

    static func keystream(count: Int, messageID: String, key: [UInt8]) -> [UInt8] {
        var digits: [UInt8] = []
        var block: UInt8 = 0
        while digits.count < count {
            let bytes = Crypto.hmacSHA256(
                key: key, message: Array("outbox-seal".utf8) + [0, block] + Array(messageID.utf8))
            for byte in bytes where byte < 250 && digits.count < count { digits.append(byte % 10) }
            block &+= 1
        }
        return digits
    }

    static func tag(code: String, messageID: String, key: [UInt8]) -> [UInt8] {
        let message = Array("outbox-seal-tag".utf8) + [0] + Array(messageID.utf8) + [0] + Array(code.utf8)
        return Array(Crypto.hmacSHA256(key: key, message: message).prefix(16))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
    }
}

@Suite(.timeLimit(.minutes(10)))
struct CodeSealEquivalenceTests {
    @Test("seals under a keyed HMAC store the digits and tag the per-message HMAC gave, and open alike")
    func sameSealsAsBefore() {
        var generator = SeededGenerator(seed: 0x5EED_5EA1)
        for round in 0..<3_000 {
            // Keys of every length (longer than a block too), codes of 1 to 80 digits (past one
            // keystream block), message ids of every length.
            let key = generator.bytes(Int.random(in: 0...100, using: &generator))
            let code = String(
                decoding: (0..<(round % 10 == 0 ? Int.random(in: 1...80, using: &generator) : 6)).map { _ in
                    UInt8.random(in: UInt8(ascii: "0")...UInt8(ascii: "9"), using: &generator)
                }, as: UTF8.self)
            let messageID = String(
                decoding: generator.bytes(Int.random(in: 0...90, using: &generator)).map { 0x21 + $0 % 94 },
                as: UTF8.self)
            let keyed = HMACSHA256(key: key)
            let seal = CodeSeal.seal(code, messageID: messageID, keyID: "k", key: keyed)
            let legacy = LegacyCodeSeal.seal(code, messageID: messageID, key: key)
            #expect(seal.digits == legacy.digits && seal.tag == legacy.tag, "round \(round)")
            #expect(seal.open(messageID: messageID, key: keyed) == .code(code))
            // Any digits (a damaged or foreign seal) open to what they opened to before.
            let other = String(
                decoding: generator.bytes(Int.random(in: 0...8, using: &generator)).map {
                    round % 3 == 0 ? $0 : UInt8(ascii: "0") + $0 % 10
                }, as: UTF8.self)
            #expect(
                CodeSeal(keyID: "k", digits: other).unseal(messageID: messageID, key: keyed)
                    == LegacyCodeSeal.unseal(other, messageID: messageID, key: key), "round \(round)")
            if seal.digits != legacy.digits || seal.tag != legacy.tag { return }
        }
    }

    @Test(
        "the service's prepared seal keys are the configuration's: a retired code key and an unknown seal key stay unknown"
    )
    func preparedKeys() throws {
        let ring = try CodeKeyRing(current: .random(id: CodeKeyID("k2")), alsoAccepting: [.random(id: CodeKeyID("k1"))])
        let sealing = OutboxSealing(keyRing: ring, explicitKeys: [])
        for id in ring.activeKeyIDs {
            let subkey = try #require(ring.subkey(for: VerificationService.outboxSealPurpose, of: id))
            let prepared = try #require(sealing.subkey(of: id))
            #expect(prepared.authenticationCode(for: [1, 2, 3]) == Crypto.hmacSHA256(key: subkey, message: [1, 2, 3]))
        }
        #expect(sealing.subkey(of: try CodeKeyID("k3")) == nil)
        #expect(sealing.firstExplicitKey == nil)
        #expect(sealing.explicitKey("k1") == nil)
        // The keyed states are secret: neither the description nor reflection shows them.
        var dumped = ""
        dump(sealing, to: &dumped)
        #expect(!dumped.contains("KeyState") && !dumped.contains("inner"))
        #expect(String(describing: sealing).contains("<redacted>"))
    }
}
