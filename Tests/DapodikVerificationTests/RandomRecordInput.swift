import DapodikTestSupport
import Foundation

@testable import DapodikVerification

/// Random inputs for the tests of the hand-written record JSON writer and reader: text over every
/// UTF-8 length (only ASCII in every other round), and instants of every form a stored document holds.
/// Seeded, so a failure repeats; and not `SystemRandomNumberGenerator` passed `inout`, which
/// ThreadSanitizer's runtime crashes on with this toolchain (`shared/notes`, point 2).
enum RandomRecordInput {
    /// Unicode scalar ranges, one per UTF-8 length, the surrogates left out.
    private static let scalarRanges: [ClosedRange<UInt32>] = [
        0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF,
    ]

    /// Up to 24 random scalars: ASCII in even rounds, from any range in odd ones.
    static func text(round: Int, using generator: inout SeededGenerator) -> String {
        var text = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &generator) {
            let range = round % 2 == 0 ? scalarRanges[0] : scalarRanges.randomElement(using: &generator)!
            if let scalar = Unicode.Scalar(UInt32.random(in: range, using: &generator)) { text.append(scalar) }
        }
        return String(text)
    }

    /// Seconds since 1970 in turn: whole, anywhere in the stored range, milliseconds, and below one.
    static func seconds(round: Int, using generator: inout SeededGenerator) -> Double {
        switch round % 4 {
        case 0: Double(Int.random(in: 0...253_402_300_799, using: &generator))
        case 1: Double.random(in: RecordCoding.storedDates, using: &generator)
        case 2: Double(Int.random(in: 0...4_000_000_000, using: &generator)) / 1000
        default: Double.random(in: 0...1, using: &generator)
        }
    }
}
