import DapodikTestSupport
import Testing

@testable import DapodikCrypto

@Suite("Constant-time equality and random bytes")
struct CryptoTests {
    @Test("equal byte strings compare equal, whatever their length", arguments: [0, 1, 16, 32, 100])
    func equal(length: Int) {
        let value = Crypto.randomBytes(length)
        #expect(Crypto.constantTimeEquals(value, value))
        #expect(Crypto.constantTimeEquals(value, Array(value)[...]))
    }

    @Test("a difference in any single bit, at any position, is found", arguments: [0, 1, 15, 30, 31])
    func differentAtPosition(position: Int) {
        let value = Crypto.randomBytes(32)
        for bit in 0..<8 {
            var other = value
            other[position] ^= UInt8(1) << bit
            #expect(!Crypto.constantTimeEquals(value, other))
            #expect(!Crypto.constantTimeEquals(other, value))
        }
    }

    @Test("byte strings of different lengths never compare equal")
    func differentLengths() {
        let value = Crypto.randomBytes(32)
        #expect(!Crypto.constantTimeEquals(value, value.prefix(31)))
        #expect(!Crypto.constantTimeEquals(value + [0], value))
        #expect(!Crypto.constantTimeEquals([], [0]))
    }

    @Test("arrays, slices and other collections compare as their bytes do, whatever their lengths and differences")
    func agreesWithElementwiseEquality() {
        var generator = SeededGenerator(seed: 0x5EED_C0DE)
        for round in 0..<2_000 {
            let length = round < 70 ? round : Int.random(in: 0...300, using: &generator)
            let value = generator.bytes(length)
            var other = value
            switch round % 4 {
            case 0: break
            case 1 where length > 0:
                other[Int.random(in: 0..<length, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            case 2: other = generator.bytes(Int.random(in: 0...300, using: &generator))
            default: other = value + [UInt8.random(in: 0...255, using: &generator)]
            }
            let expected = value.elementsEqual(other)
            #expect(Crypto.constantTimeEquals(value, other) == expected, "round \(round)")
            #expect(Crypto.constantTimeEquals(value[...], other[...]) == expected, "round \(round)")
            #expect(Crypto.constantTimeEquals(value.lazy.map { $0 }, other) == expected, "round \(round)")
            #expect(Crypto.constantTimeEquals(other, value.reversed().reversed()) == expected, "round \(round)")
        }
    }

    @Test("random bytes come in the requested number", arguments: [0, 1, 7, 8, 9, 33, 1000])
    func randomCount(count: Int) {
        #expect(Crypto.randomBytes(count).count == count)
    }

    @Test("random bytes are uniform: chi-square over 256 byte values stays below the p = 1e-6 bound")
    func randomUniformity() {
        let sample = Crypto.randomBytes(256 * 1000)
        var counts = [Int](repeating: 0, count: 256)
        for byte in sample { counts[Int(byte)] += 1 }
        let expected = Double(sample.count) / 256
        let chiSquare = counts.reduce(0.0) { $0 + (Double($1) - expected) * (Double($1) - expected) / expected }
        // The chi-square distribution with 255 degrees of freedom exceeds 377.08 with probability 1e-6
        // (scipy.stats.chi2.isf(1e-6, 255)); a correct generator fails this about once in a million runs.
        #expect(chiSquare < 377.08)
        // Two 32-byte draws collide with probability 2^-256.
        #expect(Crypto.randomBytes(32) != Crypto.randomBytes(32))
    }
}
