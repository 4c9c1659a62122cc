import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The word-at-a-time scan the record writer and reader use for strings finds exactly the byte a
/// byte-by-byte loop finds, and the strings written and read through it are `JSONEncoder`'s and
/// `JSONDecoder`'s.
@Suite(.timeLimit(.minutes(10)))
struct JSONByteScanTests {
    /// Bytes that matter to the scan, and their neighbours with and without the high bit.
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x08, 0x09, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2E, 0x2F, 0x30, 0x5B, 0x5C, 0x5D, 0x7F, 0x80,
        0x9F, 0xA0, 0xA2, 0xAF, 0xDC, 0xFF,
    ]

    static func randomBytes(using generator: inout SeededGenerator) -> [UInt8] {
        let density = Int.random(in: 1...40, using: &generator)
        return (0..<Int.random(in: 0...70, using: &generator)).map { _ in
            Int.random(in: 0..<density, using: &generator) == 0
                ? interesting.randomElement(using: &generator)!
                : UInt8.random(in: UInt8(ascii: "a")...UInt8(ascii: "z"), using: &generator)
        }
    }

    @Test("the first special byte and whether bytes are ASCII, as a byte loop finds them, on 100,000 buffers")
    func againstByteLoop() {
        var generator = SeededGenerator(seed: 0x15_5CA7)
        var found = 0
        for _ in 0..<100_000 {
            let bytes = Self.randomBytes(using: &generator)
            let start = Int.random(in: 0...bytes.count, using: &generator)
            let slash = Bool.random(using: &generator)
            let expected =
                bytes[start...].firstIndex {
                    $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
                        || (slash && $0 == UInt8(ascii: "/"))
                } ?? bytes.count
            bytes.withUnsafeBytes { raw in
                #expect(JSONByteScan.firstSpecial(in: raw, from: start, slash: slash) == expected, "\(bytes) \(start)")
                #expect(JSONByteScan.isASCII(raw) == bytes.allSatisfy { $0 < 0x80 }, "\(bytes)")
            }
            if expected < bytes.count { found += 1 }
        }
        #expect(found > 30_000)
    }

    @Test("10,000 long strings with escapes anywhere are written as JSONEncoder and read as JSONDecoder")
    func longStrings() throws {
        var generator = SeededGenerator(seed: 0x15_5CA8)
        let pieces = ["\"", "\\", "/", "\n", "\u{1}", "\u{1F}", "\u{7F}", "é", "😀", "\u{2028}", " ", "x"]
        for _ in 0..<10_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...90, using: &generator) {
                text +=
                    Int.random(in: 0..<12, using: &generator) == 0
                    ? pieces.randomElement(using: &generator)!
                    : String(UnicodeScalar(UInt8.random(in: 0x30...0x7A, using: &generator)))
            }
            var writer = RecordJSONWriter(capacity: 16)
            writer.string(text)
            let written = writer.finish()
            #expect(written == (try JSONEncoder().encode(text)), "\(Array(text.unicodeScalars))")
            let read = written.withUnsafeBytes { bytes -> String? in
                var reader = RecordJSONReader(bytes)
                guard let text = try? reader.string(), (try? reader.finish()) != nil else { return nil }
                return text
            }
            #expect(read == text)
            #expect(read == (try JSONDecoder().decode(String.self, from: written)))
        }
    }
}
