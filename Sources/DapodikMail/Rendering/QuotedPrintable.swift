// The quoted-printable content transfer encoding (RFC 2045 §6.7).

enum QuotedPrintable {
    /// The longest encoded line, without its CRLF (RFC 2045 §6.7 rule 5).
    static let maximumLineLength = 76

    /// Appends `text` to `out`, encoded as quoted-printable UTF-8 with CRLF line ends, in one pass
    /// over its UTF-8 bytes.
    ///
    /// Every line break of the input (LF, CRLF or a lone CR) becomes a hard CRLF, and the result
    /// ends with one. Beyond what RFC 2045 requires, a `.` or the `F` of `From ` at the start of any
    /// encoded line is encoded too, so no mail system along the way can mistake it for the SMTP
    /// end of data (RFC 5321 §4.5.2) or an mbox separator and alter the line.
    static func encode(_ text: String, appendingTo out: inout [UInt8]) {
        var text = text
        text.withUTF8 { encode($0, appendingTo: &out) }
    }

    /// ``encode(_:appendingTo:)`` of UTF-8 bytes, line by line.
    ///
    /// The encoding of text made of whole lines (each ending in LF) is the encodings of those lines
    /// one after another: every line is encoded on its own, from column 0.
    static func encode(_ input: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) {
        var lineStart = 0
        while true {
            var lineEnd = lineStart
            while lineEnd < input.count, input[lineEnd] != 0x0D, input[lineEnd] != 0x0A { lineEnd += 1 }
            // A byte becomes at most 3 octets and a soft break ("=" CRLF) follows at least 25 input bytes
            // (75 columns of 3), so a line of n bytes takes at most 3n + 3n/25 + 2 octets with its CRLF.
            let capacity = (lineEnd - lineStart) * 4 + 2
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
                let start = buffer.baseAddress!
                var cursor = encodeLine(input, from: lineStart, to: lineEnd, at: start)
                cursor[0] = 0x0D
                cursor[1] = 0x0A
                cursor += 2
                out.append(contentsOf: UnsafeBufferPointer(start: start, count: cursor - start))
            }
            if lineEnd == input.count { break }
            var next = lineEnd + 1
            if input[lineEnd] == 0x0D, next < input.count, input[next] == 0x0A { next += 1 }
            // A line break at the very end ends the last line; it does not start an empty one.
            if next == input.count { break }
            lineStart = next
        }
    }

    /// Writes the encoding of the line `input[start..<end]` (without its break) at `cursor`, with soft
    /// breaks; returns the end of what was written.
    private static func encodeLine(
        _ input: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, at cursor: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var cursor = cursor
        var column = 0
        var position = start
        while position < end {
            let byte = input[position]
            // The common case, decided as below: a printable octet other than "=" that fits before a soft
            // break is needed (column < 74), not a "." or the "F" of "From " at the line's start, and
            // white space that does not end the line.
            if column < 74
                && ((byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")
                    && (column > 0 || (byte != UInt8(ascii: ".") && byte != UInt8(ascii: "F"))))
                    || ((byte == 0x20 || byte == 0x09) && position != end - 1))
            {
                cursor[0] = byte
                cursor += 1
                column += 1
                position += 1
                continue
            }
            let isLast = position == end - 1
            var literal: Bool
            switch byte {
            // Trailing white space would be stripped in transport (RFC 2045 §6.7 rule 3).
            case 0x20, 0x09: literal = !isLast
            case UInt8(ascii: "="): literal = false
            case UInt8(ascii: "."): literal = column != 0
            case UInt8(ascii: "F"): literal = column != 0 || !startsFrom(input, at: position, end: end)
            case 33...126: literal = true
            default: literal = false
            }
            // A soft break ("=" CRLF) must fit on the line, unless this is the line's last octet.
            let room = isLast ? maximumLineLength : maximumLineLength - 1
            if column + (literal ? 1 : 3) > room {
                cursor[0] = UInt8(ascii: "=")
                cursor[1] = 0x0D
                cursor[2] = 0x0A
                cursor += 3
                column = 0
                if literal && (byte == UInt8(ascii: ".") || startsFrom(input, at: position, end: end)) {
                    literal = false
                }
            }
            if literal {
                cursor[0] = byte
                cursor += 1
                column += 1
            } else {
                cursor[0] = UInt8(ascii: "=")
                cursor[1] = hexByte(byte >> 4)
                cursor[2] = hexByte(byte & 0x0F)
                cursor += 3
                column += 3
            }
            position += 1
        }
        return cursor
    }

    /// Whether `From ` starts at `position` of the line ending at `end`.
    private static func startsFrom(_ input: UnsafeBufferPointer<UInt8>, at position: Int, end: Int) -> Bool {
        end - position >= 5 && input[position] == UInt8(ascii: "F") && input[position + 1] == UInt8(ascii: "r")
            && input[position + 2] == UInt8(ascii: "o") && input[position + 3] == UInt8(ascii: "m")
            && input[position + 4] == 0x20
    }

    private static func hexByte(_ value: UInt8) -> UInt8 {
        value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "A") + value - 10
    }
}
