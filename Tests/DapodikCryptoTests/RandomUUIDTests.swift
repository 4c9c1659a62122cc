import DapodikTestSupport
import Testing

@testable import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The package's one way to make a UUID (issue 15): version 4 (RFC 9562 §5.4) from one request of
/// 16 bytes.
@Suite("Random UUIDs")
struct RandomUUIDTests {
    /// A source that hands out a seeded stream and records every request.
    struct RecordingSource: RandomBytesSource {
        var stream: SeededGenerator
        var requests: [[UInt8]] = []

        mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) {
            let bytes = stream.bytes(buffer.count)
            buffer.copyBytes(from: bytes)
            requests.append(bytes)
        }
    }

    private static func bytes(of uuid: UUID) -> [UInt8] { withUnsafeBytes(of: uuid.uuid) { Array($0) } }

    @Test("every UUID has version 4 and the RFC 9562 variant, and no two of 20,000 are equal")
    func versionVariantAndUniqueness() {
        var seen = Set<UUID>()
        for _ in 0..<20_000 {
            let uuid = Crypto.randomUUID()
            let bytes = Self.bytes(of: uuid)
            #expect(bytes[6] >> 4 == 0x4)
            #expect(bytes[8] >> 6 == 0b10)
            #expect(seen.insert(uuid).inserted)
        }
    }

    @Test("every one of the 122 random bits takes both values over 2,000 draws")
    func randomBitsVary() {
        var ones = [UInt8](repeating: 0, count: 16)
        var zeros = [UInt8](repeating: 0, count: 16)
        for _ in 0..<2_000 {
            let bytes = Self.bytes(of: Crypto.randomUUID())
            for index in 0..<16 {
                ones[index] |= bytes[index]
                zeros[index] |= ~bytes[index]
            }
        }
        var expected = [UInt8](repeating: 0xFF, count: 16)
        expected[6] = 0x0F
        expected[8] = 0x3F
        // A fixed bit is the same in every draw: set in `ones` and `zeros` only where it is 1 or 0.
        #expect(zip(ones, zeros).map { $0 & $1 } == expected)
    }

    @Test("the text form is 8-4-4-4-12 upper-case hex with the version and variant digits in place")
    func textForm() {
        for _ in 0..<2_000 {
            let text = Array(Crypto.randomUUID().uuidString.utf8)
            #expect(text.count == 36)
            for (index, character) in text.enumerated() {
                if [8, 13, 18, 23].contains(index) {
                    #expect(character == UInt8(ascii: "-"))
                } else {
                    #expect(Array("0123456789ABCDEF".utf8).contains(character))
                }
            }
            #expect(text[14] == UInt8(ascii: "4"))
            #expect(Array("89AB".utf8).contains(text[19]))
        }
    }

    @Test("a UUID is one request of 16 bytes to its source, kept but for the six version and variant bits")
    func oneRequestFromTheSource() {
        var source = RecordingSource(stream: SeededGenerator(seed: 9562))
        for _ in 0..<500 {
            let uuid = Crypto.randomUUID(using: &source)
            #expect(source.requests.count == 1)
            guard var drawn = source.requests.popLast() else { return }
            #expect(drawn.count == 16)
            drawn[6] = drawn[6] & 0x0F | 0x40
            drawn[8] = drawn[8] & 0x3F | 0x80
            #expect(Self.bytes(of: uuid) == drawn)
        }
    }
}
