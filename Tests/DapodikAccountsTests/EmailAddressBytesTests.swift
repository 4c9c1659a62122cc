import DapodikTestSupport
import Testing

@testable import DapodikAccounts

/// `EmailAddress(utf8:)`, which the record reader calls on a stored document's bytes, accepts and
/// refuses exactly what `EmailAddress(_:)` does with the string those bytes spell.
@Suite(.timeLimit(.minutes(10)))
struct EmailAddressBytesTests {
    static func expectSame(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        let string = String(decoding: bytes, as: UTF8.self)
        let fromBytes = Result { () throws(ValidationError) in
            try bytes.withUnsafeBufferPointer { (utf8) throws(ValidationError) in try EmailAddress(utf8: utf8) }
        }
        switch (fromBytes, Result { () throws(ValidationError) in try EmailAddress(string) }) {
        case (.success(let address), .success(let expected)):
            #expect(
                address.localPart == expected.localPart && address.domain == expected.domain, "\(bytes)",
                sourceLocation: sourceLocation)
            return "ok"
        case (.failure(let error), .failure(let expected)):
            #expect(error == expected, "\(bytes)", sourceLocation: sourceLocation)
            return expected.code.rawValue
        case (let outcome, let expected):
            Issue.record("\(bytes): \(outcome) against \(expected)", sourceLocation: sourceLocation)
            return "differs"
        }
    }

    @Test("seeded addresses and texts, ASCII and not, and invalid UTF-8: the same value or error as the string")
    func againstStringInitializer() {
        var generator = SeededGenerator(seed: 0x15_E4A2)
        var outcomes: [String: Int] = [:]
        for round in 0..<12_000 {
            let unicode = round % 3 == 2
            var bytes = Array(
                (round % 2 == 0
                    ? ValidationEquivalenceTests.address(unicode: unicode, using: &generator)
                    : ValidationEquivalenceTests.text(
                        pieces: Int.random(in: 0...12, using: &generator), unicode: unicode, using: &generator)).utf8)
            if round % 10 == 9, !bytes.isEmpty {
                // A byte that makes the UTF-8 invalid (a lone continuation or lead byte).
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] = [0x80, 0xC3, 0xFF].randomElement(
                    using: &generator)!
            }
            outcomes[Self.expectSame(bytes), default: 0] += 1
        }
        #expect(outcomes["differs"] == nil)
        #expect(outcomes["ok", default: 0] >= 500, "\(outcomes)")
        #expect(outcomes.count >= 12, "\(outcomes)")
    }
}
