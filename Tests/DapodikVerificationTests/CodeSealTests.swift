import Foundation
import Testing

@testable import DapodikVerification

/// The outbox seal on its own: known answers computed with Python's `hmac` module, round trips,
/// and what a damaged or foreign seal gives.
struct CodeSealTests {
    static let key = [UInt8](repeating: 7, count: 32)
    static let messageID = "0f8e2c1a-0000-4000-8000-000000000001@dapodik.example.id"

    @Test("a seal matches the value computed independently (Python hmac) and opens to the code")
    func knownAnswer() {
        let seal = CodeSeal.seal("123456", messageID: Self.messageID, keyID: "s1", key: Self.key)
        #expect(seal.digits == "587091")
        #expect(seal.derivedFromCodeKey == nil)
        #expect(seal.unseal(messageID: Self.messageID, key: Self.key) == "123456")
    }

    @Test("the outbox subkey of a code key matches HKDF-Expand computed independently, and seals as expected")
    func derivedKnownAnswer() throws {
        let codeKey = try CodeKey(id: CodeKeyID("k1"), material: Self.key)
        let subkey = codeKey.subkey(for: VerificationService.outboxSealPurpose)
        let hex = subkey.map { byte -> String in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }
        #expect(hex.joined() == "ee203e19eef6598f1be1b1898c398bebb452272d6d6c1ffbfdd6bbc0721d6768")
        let seal = CodeSeal.seal(
            "123456", messageID: Self.messageID, keyID: "k1", key: subkey, derivedFromCodeKey: true)
        #expect(seal.digits == "529882")
        #expect(seal.derivedFromCodeKey == true)
    }

    @Test("every code opens again under its own key and message id", arguments: 0..<50)
    func roundTrip(_ round: Int) {
        let key = (0..<32).map { _ in UInt8.random(in: 0...255) }
        let code = String((0..<6).map { _ in Character(String(Int.random(in: 0...9))) })
        let messageID = UUID().uuidString.lowercased() + "@dapodik.example.id"
        let seal = CodeSeal.seal(code, messageID: messageID, keyID: "k\(round)", key: key)
        #expect(seal.digits.count == 6)
        #expect(seal.unseal(messageID: messageID, key: key) == code)
    }

    @Test("the same code sealed for two messages looks unrelated, and the wrong key or message opens it wrongly")
    func separation() {
        let one = CodeSeal.seal("123456", messageID: "a@x", keyID: "s1", key: Self.key)
        let two = CodeSeal.seal("123456", messageID: "b@x", keyID: "s1", key: Self.key)
        #expect(one.digits != two.digits)
        let otherKey = [UInt8](repeating: 8, count: 32)
        #expect(one.unseal(messageID: "a@x", key: otherKey) != "123456")
        #expect(one.unseal(messageID: "b@x", key: Self.key) != "123456")
    }

    @Test("a seal opened with another key, or altered, is a wrong key; a seal without a tag still opens")
    func authenticated() {
        let seal = CodeSeal.seal("123456", messageID: Self.messageID, keyID: "s1", key: Self.key)
        #expect(seal.tag?.count == 32)
        #expect(seal.open(messageID: Self.messageID, key: Self.key) == .code("123456"))
        #expect(seal.open(messageID: Self.messageID, key: [UInt8](repeating: 8, count: 32)) == .wrongKey)
        #expect(seal.open(messageID: "other@x", key: Self.key) == .wrongKey)
        var altered = seal
        altered.digits = "587092"
        #expect(altered.open(messageID: Self.messageID, key: Self.key) == .wrongKey)
        var untagged = seal
        untagged.tag = nil
        #expect(untagged.open(messageID: Self.messageID, key: Self.key) == .code("123456"))
        var damaged = seal
        damaged.digits = "58709x"
        #expect(damaged.open(messageID: Self.messageID, key: Self.key) == .damaged)
    }

    @Test("a damaged seal opens to nothing instead of trapping", arguments: ["", "12a456", "１２３４５６", "12345\n"])
    func damaged(_ digits: String) {
        #expect(CodeSeal(keyID: "s1", digits: digits).unseal(messageID: "a@x", key: Self.key) == nil)
    }

    @Test("an explicit seal key never prints or dumps its material")
    func sealKeyRedacted() throws {
        let key = try OutboxSealKey(id: "s1", material: [UInt8](repeating: 0xAB, count: 32))
        var dumped = ""
        dump(key, to: &dumped)
        for text in [dumped, key.description, String(describing: key), String(reflecting: key)] {
            #expect(!text.contains("171"))  // 0xAB
            #expect(!text.lowercased().contains("ab, "))
            #expect(text.contains("s1"))
        }
    }

    @Test("a seal key needs an identifier and 32 bytes", arguments: [("", 32), ("s1", 31), ("s1", 0)])
    func sealKeyValidation(_ id: String, _ length: Int) {
        let error = #expect(throws: VerificationError.self) {
            try OutboxSealKey(id: id, material: [UInt8](repeating: 1, count: length))
        }
        #expect(error?.code == .invalidInput)
    }
}
