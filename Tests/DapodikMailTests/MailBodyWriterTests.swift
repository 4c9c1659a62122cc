import DapodikTestSupport
import Testing

@testable import DapodikMail

/// `QuotedPrintableBodyWriter` must write exactly what `QuotedPrintable.encode` writes for the whole body,
/// however a template splits it into text and prepared lines, also when text before prepared lines does
/// not end its line (the prepared encoding starts at column 0, so it cannot simply be copied there).
@Suite struct MailBodyWriterTests {
    private static let prepared = PreparedLines("Kode ini berlaku 15 menit. Jangan berikan = rahasia.\n")

    private static func pieces(_ seed: UInt64) -> [Piece] {
        var generator = SeededGenerator(seed: seed)
        let texts = ["", "Yth. ", "Bapak/Ibu Nur’aini", "\n", " spasi di akhir \n", "=3D sama dengan", "\t\n", "é"]
        return (0..<Int.random(in: 1...8, using: &generator)).map { _ in
            Bool.random(using: &generator)
                ? .prepared : .text(texts.randomElement(using: &generator)!)
        }
    }

    private enum Piece {
        case text(String)
        case prepared
    }

    @Test("quoted-printable equals encoding the whole text, for every split", arguments: 0..<400 as Range<UInt64>)
    func sameAsWholeText(seed: UInt64) {
        let pieces = Self.pieces(seed)
        var plain = PlainBodyWriter()
        var encoded: [UInt8] = []
        QuotedPrintableBodyWriter.write(appendingTo: &encoded) { writer in
            for piece in pieces {
                switch piece {
                case .text(let text): writer.append(text)
                case .prepared: writer.append(Self.prepared)
                }
            }
        }
        for piece in pieces {
            switch piece {
            case .text(let text): plain.append(text)
            case .prepared: plain.append(Self.prepared)
            }
        }
        var expected: [UInt8] = []
        QuotedPrintable.encode(plain.text, appendingTo: &expected)
        #expect(encoded == expected, "seed \(seed): \(pieces)")
    }

    @Test("prepared lines after text that does not end its line")
    func preparedLinesMidLine() {
        var encoded: [UInt8] = []
        QuotedPrintableBodyWriter.write(appendingTo: &encoded) { writer in
            writer.append("Yth. ")
            writer.append(Self.prepared)
        }
        var expected: [UInt8] = []
        QuotedPrintable.encode("Yth. " + Self.prepared.text, appendingTo: &expected)
        #expect(encoded == expected)
    }
}
