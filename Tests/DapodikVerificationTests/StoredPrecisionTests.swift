import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// An instant taken at the stored precision (what `requestCode` hands on instead of reading its
/// records back) is stored as the same bytes as the instant itself, and is what reading gives back.
@Suite(.timeLimit(.minutes(10)))
struct StoredPrecisionTests {
    @Test("the stored bytes do not change, and a written instant reads back as the one in hand")
    func sameBytesSameValue() throws {
        var generator = SeededGenerator(seed: 0x5EED_0015)
        // From 2001 to the end of 9999 (what a record may carry), with and without fractions.
        var instants = [978_307_200.0, 1_782_874_800, 1_782_874_800.125, 253_402_300_799, 2_147_483_648.000_001]
        for _ in 0..<5_000 {
            let seconds = Double.random(in: 978_307_200...253_402_300_799, using: &generator)
            instants.append(seconds)
            instants.append(seconds.rounded())
            instants.append(Double.random(in: 1_700_000_000...1_900_000_000, using: &generator))
        }
        for seconds in instants {
            // As a wall clock gives it: reckoned from 2001, as `Date()` holds it.
            let instant = Date(timeIntervalSinceReferenceDate: seconds - 978_307_200)
            let quota = AddressQuota(sends: [instant])
            let inHand = AddressQuota(sends: [instant.atStoredPrecision])
            let written = try RecordCoding.encode(quota)
            #expect(try RecordCoding.encode(inHand) == written, "\(seconds)")
            let read = try RecordCoding.decode(AddressQuota.self, from: written)
            #expect(read.sends == inHand.sends, "\(seconds)")
        }
    }
}
