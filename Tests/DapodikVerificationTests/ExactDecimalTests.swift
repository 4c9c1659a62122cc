import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The record writer and reader convert dates through ``ExactDecimal`` instead of `Double.description`
/// and `Double(String)`: these tests hold the two to the standard library's results, bit for bit and
/// byte for byte, on seeded inputs of every kind a stored date and its neighbours take, and check that
/// the fast paths are actually taken for the dates the service writes.
@Suite(.timeLimit(.minutes(10)))
struct ExactDecimalTests {
    /// What the writer must write: `description` without a trailing `.0`, as `JSONEncoder` does.
    static func reference(_ value: Double) -> String {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// What the writer writes for `value`.
    static func written(_ value: Double) throws -> String {
        var writer = RecordJSONWriter()
        try writer.double(value)
        return String(decoding: writer.finish(), as: UTF8.self)
    }

    /// What the reader reads from `text`, `nil` when it refuses it.
    static func read(_ text: String) -> Double? {
        Array(text.utf8).withUnsafeBytes { bytes in
            var reader = RecordJSONReader(bytes)
            guard let value = try? reader.double(), (try? reader.finish()) != nil else { return nil }
            return value
        }
    }

    /// Seeded doubles of every kind: stored dates at second, millisecond, microsecond and full
    /// precision, instants taken as `Date` holds them (seconds since 2001), random bit patterns across
    /// every binade up to 2^53, their neighbours, powers of two and their neighbours, and values the
    /// fast path leaves to the standard library (below 1, negative, from 2^53 on, zero).
    static func doubles(count: Int, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var values: [Double] = [
            0, 1, 2, 0.5, 0x1p52, 0x1p53, 0x1p53 - 1, 0x1p52 + 0.5, 0x1p40, 9_999_999_999.999_998,
            253_402_300_799, 1_782_874_800.125, 978_307_200, 1e15, 1e16, 0.1, 1e-5, -1.5,
            Double.leastNormalMagnitude, Double.greatestFiniteMagnitude,
        ]
        // Exactly halfway between the two nearest shortest decimals (left to `description`).
        for step in 0..<64 { values.append(0x1p50 + Double(step) * 0.25) }
        for exponent in 0...53 {
            let power = Double(sign: .plus, exponent: exponent, significand: 1)
            values += [power, power.nextUp, power.nextDown]
        }
        while values.count < count {
            let value: Double
            switch values.count % 8 {
            case 0: value = Double(Int.random(in: 0...253_402_300_799, using: &generator))
            case 1: value = Double(Int.random(in: 0...253_402_300_799_999, using: &generator)) / 1000
            case 2: value = Double(Int.random(in: 0...253_402_300_799_999_999, using: &generator)) / 1_000_000
            case 3: value = Double.random(in: RecordCoding.storedDates, using: &generator)
            case 4:
                let sinceReference = Double.random(in: 0...252_000_000_000, using: &generator)
                value = Date(timeIntervalSinceReferenceDate: sinceReference).timeIntervalSince1970
            case 5:
                let pattern =
                    UInt64.random(in: 1023...(1023 + 52), using: &generator) << 52
                    | UInt64.random(in: 0..<(1 << 52), using: &generator)
                value = Double(bitPattern: pattern)
            case 6:
                let base = Double.random(in: 1...0x1p53, using: &generator)
                value = Bool.random(using: &generator) ? base.nextUp : base.nextDown
            default:
                let pattern = generator.next()
                value = Double(bitPattern: pattern).isFinite ? Double(bitPattern: pattern) : 1
            }
            values.append(value)
        }
        return values
    }

    @Test("the writer writes every seeded double as Double.description does (without .0)")
    func writerMatchesDescription() throws {
        var covered = 0
        for value in Self.doubles(count: 300_000, seed: 0x5EED_0D0B) {
            let written = try Self.written(value)
            #expect(written == Self.reference(value), "\(value.bitPattern)")
            if written != Self.reference(value) { return }
            if ExactDecimal.shortest(value) != nil { covered += 1 }
        }
        // The fast path, not the fallback, wrote most of them (every value in [1, 2^53) but powers of two).
        #expect(covered > 200_000)
    }

    @Test("the fast path covers nearly every instant a clock gives, from 2001 to 9999")
    func fastPathCoversStoredDates() {
        var generator = SeededGenerator(seed: 0x5EED_0D0C)
        var covered = 0
        for _ in 0..<50_000 {
            // As Foundation's `Date()` builds an instant from the clock: seconds since 2001 plus nanoseconds.
            let seconds = Int.random(in: 0...252_000_000_000, using: &generator)
            let nanoseconds = Int.random(in: 0..<1_000_000_000, using: &generator)
            let instant = Date(timeIntervalSinceReferenceDate: Double(seconds) + Double(nanoseconds) * 1e-9)
            if ExactDecimal.shortest(instant.atStoredPrecision.timeIntervalSince1970) != nil { covered += 1 }
        }
        // Left to `description`: powers of two and values exactly halfway between two shortest decimals.
        #expect(covered >= 49_950, "\(covered)")
        #expect(ExactDecimal.shortest(0x1p30) == nil)
        #expect(ExactDecimal.shortest(0.5) == nil)
        #expect(ExactDecimal.shortest(0x1p53) == nil)
    }

    @Test("the reader reads every seeded double's text as Double(String) does, bit for bit")
    func readerMatchesDoubleFromString() {
        var texts: [String] = []
        for value in Self.doubles(count: 150_000, seed: 0x5EED_0D0D) where value.isFinite {
            texts.append(Self.reference(value))
            // A date written with more digits than needed (another writer), and its neighbours' halves.
            texts.append(String(format: "%.6f", abs(value)))
            texts.append(String(format: "%.9f", abs(value)))
        }
        // Exact midpoints between two doubles (ties to even) and the decimals next to them.
        for exponent in 50...52 {
            let base = Double(sign: .plus, exponent: exponent, significand: 1)
            for step in 0..<200 {
                let value = base + Double(step) * base.ulp
                let half = value.ulp / 2
                texts.append(String(format: "%.2f", value + half))
                texts.append(String(format: "%.3f", value + half - 0.001))
                texts.append(String(format: "%.3f", value + half + 0.001))
            }
        }
        var generator = SeededGenerator(seed: 0x5EED_0D0E)
        for _ in 0..<100_000 {
            // 1 to 20 random digits with the point anywhere, as long as JSON's grammar allows it.
            let digits = (0..<Int.random(in: 1...20, using: &generator)).map { _ in
                String(Int.random(in: 0...9, using: &generator))
            }
            var text = digits.joined()
            while text.count > 1, text.hasPrefix("0") { text.removeFirst() }
            let point = Int.random(in: 0...text.count, using: &generator)
            if point > 0, point < text.count {
                text.insert(".", at: text.index(text.startIndex, offsetBy: point))
            }
            texts.append(text)
        }
        for text in texts {
            let expected = Double(text).flatMap { $0.isFinite ? $0 : nil }
            let actual = Self.read(text)
            #expect(actual?.bitPattern == expected?.bitPattern, "\(text)")
            if actual?.bitPattern != expected?.bitPattern { return }
        }
    }

    @Test("the reader converts the dates the writer writes without Double(String)")
    func readerFastPathCoversWrittenDates() {
        var generator = SeededGenerator(seed: 0x5EED_0D0F)
        for _ in 0..<50_000 {
            let value = Double.random(in: 1...RecordCoding.storedDates.upperBound, using: &generator)
            guard let (significand, fractionDigits) = ExactDecimal.shortest(value) else { continue }
            #expect(
                ExactDecimal.double(significand: significand, fractionDigits: fractionDigits)?.bitPattern
                    == value.bitPattern, "\(value)")
        }
    }
}
