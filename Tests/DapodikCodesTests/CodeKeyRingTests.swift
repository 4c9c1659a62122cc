import DapodikAccounts
import Foundation
import Testing

@testable import DapodikCodes

@Suite("Code keys and the key ring")
struct CodeKeyRingTests {
    @Test("a key must have at least 32 bytes", arguments: [0, 16, 31, 32, 64])
    func keyLength(length: Int) {
        let make = { try CodeKey(id: keyID("k"), material: [UInt8](repeating: 7, count: length)) }
        if length < 32 {
            let error = #expect(throws: CodeError.self, performing: make)
            #expect(error?.code == .keyTooShort)
        } else {
            #expect(throws: Never.self, performing: make)
        }
    }

    @Test("a key reads from Base64, and refuses what is not Base64 or too short")
    func base64() throws {
        let material = [UInt8](0..<32)
        let text = Data(material).base64EncodedString()
        let key = try CodeKey(id: keyID("env"), base64: " \(text)\n")
        #expect(key.material == material)
        let notBase64 = #expect(throws: CodeError.self) { try CodeKey(id: keyID("env"), base64: "not base64!") }
        #expect(notBase64?.code == .invalidKeyEncoding)
        let short = #expect(throws: CodeError.self) { try CodeKey(id: keyID("env"), base64: "AAAA") }
        #expect(short?.code == .keyTooShort)
    }

    @Test(
        "key identifiers are 1-64 of letters, digits, '.', '_' and '-'",
        arguments: [
            ("k1", true), ("2025-08.rotation_b", true), (String(repeating: "a", count: 64), true),
            ("", false), (String(repeating: "a", count: 65), false), ("k 1", false), ("k/1", false), ("kunci-é", false),
        ])
    func identifiers(text: String, valid: Bool) {
        if valid {
            #expect(throws: Never.self) { try CodeKeyID(text) }
        } else {
            #expect(throws: CodeError.self) { try CodeKeyID(text) }
        }
    }

    @Test("a random key is 32 secret bytes, different every time")
    func randomKey() {
        let first = CodeKey.random(id: keyID("a"))
        let second = CodeKey.random(id: keyID("b"))
        #expect(first.material.count == 32)
        #expect(first.material != second.material)
    }

    @Test("neither a key nor a ring ever prints its secret")
    func redacted() throws {
        let key = try CodeKey(id: keyID("k1"), material: [UInt8](repeating: 0xAB, count: 32))
        let ring = try CodeKeyRing(current: key)
        let secretHex = String(repeating: "ab", count: 32)
        let secretBase64 = Data(key.material).base64EncodedString()
        for value in [key as Any, ring as Any] {
            var dumped = ""
            dump(value, to: &dumped)
            for text in [String(describing: value), String(reflecting: value), dumped] {
                #expect(!text.lowercased().contains(secretHex))
                #expect(!text.contains(secretBase64))
                #expect(!text.contains("171"), "no decimal bytes either")
                #expect(text.contains("k1"))
            }
        }
        #expect(ring.description == "CodeKeyRing(current: k1, active: [k1])")
    }

    @Test("rotation makes the new key current and keeps the old one active; retiring removes it")
    func rotateAndRetire() throws {
        let ring = try CodeKeyRing(current: key("k1", byte: 1))
        let rotated = try ring.rotating(to: key("k2", byte: 2))
        #expect(rotated.currentKeyID == keyID("k2"))
        #expect(rotated.activeKeyIDs == [keyID("k1"), keyID("k2")])
        #expect(ring.activeKeyIDs == [keyID("k1")], "the original ring is unchanged")
        let retired = try rotated.retiring(keyID("k1"))
        #expect(retired.activeKeyIDs == [keyID("k2")])
        #expect(!retired.accepts(keyID("k1")) && retired.accepts(keyID("k2")))
    }

    @Test("the ring refuses duplicate identifiers, unknown keys, and retiring the current key")
    func ringErrors() throws {
        let ring = try CodeKeyRing(current: key("k1", byte: 1), alsoAccepting: [key("k0", byte: 0)])
        #expect(ring.activeKeyIDs == [keyID("k0"), keyID("k1")])
        let twice = #expect(throws: CodeError.self) {
            try CodeKeyRing(current: key("k1", byte: 1), alsoAccepting: [key("k1", byte: 2)])
        }
        #expect(twice?.code == .duplicateKeyID)
        let rotatedToKnown = #expect(throws: CodeError.self) { try ring.rotating(to: key("k0", byte: 3)) }
        #expect(rotatedToKnown?.code == .duplicateKeyID)
        let unknown = #expect(throws: CodeError.self) { try ring.retiring(keyID("k9")) }
        #expect(unknown?.code == .unknownKey)
        let current = #expect(throws: CodeError.self) { try ring.retiring(keyID("k1")) }
        #expect(current?.code == .cannotRetireCurrentKey)
    }
}
