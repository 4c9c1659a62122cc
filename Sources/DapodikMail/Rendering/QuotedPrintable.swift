// The quoted-printable content transfer encoding (RFC 2045 §6.7).

enum QuotedPrintable {
    /// The longest encoded line, without its CRLF (RFC 2045 §6.7 rule 5).
    static let maximumLineLength = 76

    /// Encodes `text` as quoted-printable UTF-8 with CRLF line ends.
    ///
    /// Every line break of the input (LF, CRLF or a lone CR) becomes a hard CRLF, and the result
    /// ends with one. Beyond what RFC 2045 requires, a `.` or the `F` of `From ` at the start of any
    /// encoded line is encoded too, so no mail system along the way can mistake it for the SMTP
    /// end of data (RFC 5321 §4.5.2) or an mbox separator and alter the line.
    static func encode(_ text: String) -> String {
        var lines: [[UInt8]] = [[]]
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0D || byte == 0x0A {
                lines.append([])
                if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { index += 1 }
            } else {
                lines[lines.count - 1].append(byte)
            }
            index += 1
        }
        if lines.count > 1, lines.last!.isEmpty { lines.removeLast() }

        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 3 / 2 + 16)
        for line in lines {
            encode(line: line, into: &out)
            out += [0x0D, 0x0A]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func encode(line: [UInt8], into out: inout [UInt8]) {
        var column = 0
        for (position, byte) in line.enumerated() {
            let isLast = position == line.count - 1
            let literal: Bool
            switch byte {
            case 0x20, 0x09: literal = !isLast
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = column != 0
            case UInt8(ascii: "F"):
                literal = column != 0 || !line[position...].starts(with: Array("From ".utf8))
            case 33...126: literal = true
            default: literal = false
            }
            var token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hexByte(byte >> 4), hexByte(byte & 0x0F)]
            // A soft break ("=" CRLF) must fit on the line, unless this is the line's last token.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if column + token.count > room {
                out += [UInt8(ascii: "="), 0x0D, 0x0A]
                column = 0
                if literal && (byte == UInt8(ascii: ".") || startsFrom(line, at: position)) {
                    token = [UInt8(ascii: "="), hexByte(byte >> 4), hexByte(byte & 0x0F)]
                }
            }
            out += token
            column += token.count
        }
    }

    private static func startsFrom(_ line: [UInt8], at position: Int) -> Bool {
        line[position...].starts(with: Array("From ".utf8))
    }

    private static func hexByte(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
