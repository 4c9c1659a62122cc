import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikCodes

/// `CodeDigest(storedText:)` decodes canonical Base64 itself; it must accept exactly the texts
/// `Data(base64Encoded:)` with 32 bytes accepted (the replaced code, kept here as the oracle), to the
/// same bytes.
@Suite(.timeLimit(.minutes(10)))
struct CodeDigestStoredTextTests {
    /// The replaced decoding.
    static func legacyDigest(_ text: String) -> [UInt8]? {
        guard let data = Data(base64Encoded: text), data.count == 32 else { return nil }
        return Array(data)
    }

    static func expectSame(_ text: String) -> Bool {
        let expected = legacyDigest(text)
        let digest = try? CodeDigest(storedText: text)
        #expect(digest?.storedBytes == expected, "\(Array(text.utf8))")
        return expected != nil
    }

    @Test("40,000 seeded digests, canonical and damaged: the same acceptance and bytes as Data(base64Encoded:)")
    func againstFoundation() {
        var generator = SeededGenerator(seed: 0x15_D16E)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\\ \n-_.é".utf8)
        var accepted = 0
        for round in 0..<40_000 {
            var text = Array(
                Data(generator.bytes(round % 50 == 0 ? Int.random(in: 0...40, using: &generator) : 32))
                    .base64EncodedString().utf8)
            switch round % 5 {
            case 0: break
            case 1:
                // One digit changed (the last digit too: non-canonical trailing bits).
                let index = round % 10 == 1 ? 42 : Int.random(in: 0..<text.count, using: &generator)
                if !text.isEmpty { text[index] = alphabet.randomElement(using: &generator)! }
            case 2:
                if !text.isEmpty { text.remove(at: Int.random(in: 0..<text.count, using: &generator)) }
            case 3:
                text.insert(
                    alphabet.randomElement(using: &generator)!, at: Int.random(in: 0...text.count, using: &generator))
            default:
                if text.count == 44 {
                    text[42] = Array("BCDEFGHIJKLMNOPQRSTUVWXYZ".utf8).randomElement(using: &generator)!
                }
            }
            if Self.expectSame(String(decoding: text, as: UTF8.self)) { accepted += 1 }
        }
        #expect(accepted > 8_000)
        #expect(accepted < 30_000)
    }
}
