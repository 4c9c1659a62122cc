import DapodikAccounts
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The return address's token is written byte by byte since issue 15: the same digits as the old
/// `id.text().filter { $0 != "-" }` and the old digit loop, on many seeded inputs.
struct ReturnPathTokenTests {
    @Test("a message id's token is its lower-case text without dashes, and bytes are lower-case hex as before")
    func sameDigitsAsBefore() {
        var generator = SeededGenerator(seed: 1515)
        for _ in 0..<5_000 {
            let id = generator.uuid()
            #expect(VerificationService.tokenHex(id) == id.uuidString.lowercased().filter { $0 != "-" })
            let tag = generator.bytes(Int.random(in: 0...32, using: &generator))
            #expect(VerificationService.tokenHex(tag) == tag.map { String(format: "%02x", $0) }.joined())
            #expect(VerificationService.tokenHex(tag[...].prefix(10)) == Self.oldTokenHex(tag.prefix(10)))
        }
    }

    /// The loop the token's tag was written with before issue 15.
    private static func oldTokenHex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
