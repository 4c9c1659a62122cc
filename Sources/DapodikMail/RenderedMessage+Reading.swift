extension RenderedMessage {
    /// The plain-text body, decoded from quoted-printable, with LF line ends: what a person reads.
    ///
    /// Meant for messages this library rendered (tests and tools read a code back from a sent
    /// message with it); it is not a general MIME parser: it reads a `text/plain` message or the
    /// `text/plain` part of a `multipart/alternative` one.
    /// - Returns: The text, or `nil` when the message has no quoted-printable or 7-bit text part.
    public var plainText: String? {
        guard let (header, body) = Self.splitHeader(text[...]) else { return nil }
        let type = Self.field("content-type", in: header) ?? "text/plain"
        if type.lowercased().hasPrefix("multipart/") {
            guard let boundaryStart = type.firstRange(of: "boundary=") else { return nil }
            let boundary = type[boundaryStart.upperBound...].trimmingEnds(of: "\"")
            for part in body.split(separator: "--" + boundary).dropFirst() {
                guard let (partHeader, partBody) = Self.splitHeader(part.drop { $0 == "\r\n" || $0 == "\n" }),
                    (Self.field("content-type", in: partHeader) ?? "").lowercased().hasPrefix("text/plain")
                else { continue }
                // The CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1).
                let content = partBody.hasSuffix("\r\n") ? partBody.dropLast() : partBody
                return Self.decode(content, encoding: Self.field("content-transfer-encoding", in: partHeader))
            }
            return nil
        }
        guard type.lowercased().hasPrefix("text/plain") else { return nil }
        return Self.decode(body, encoding: Self.field("content-transfer-encoding", in: header))
    }

    private static func splitHeader(_ text: Substring) -> (Substring, Substring)? {
        guard let range = text.firstRange(of: "\r\n\r\n") else { return nil }
        return (text[..<range.lowerBound], text[range.upperBound...])
    }

    /// The unfolded value of the first field called `name` (case-insensitive).
    private static func field(_ name: String, in header: Substring) -> String? {
        let unfolded = header.replacing("\r\n ", with: " ").replacing("\r\n\t", with: "\t")
        for line in unfolded.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":"), line[..<colon].lowercased() == name else { continue }
            return line[line.index(after: colon)...].trimmingEnds(of: " \t")
        }
        return nil
    }

    private static func decode(_ body: Substring, encoding: String?) -> String? {
        let content = body
        switch encoding?.lowercased() ?? "7bit" {
        case "quoted-printable": return decodeQuotedPrintable(content)
        case "7bit", "8bit": return String(content.replacing("\r\n", with: "\n"))
        default: return nil
        }
    }

    /// RFC 2045 §6.7 decoding: soft line breaks removed, `=XX` turned back into octets.
    private static func decodeQuotedPrintable(_ text: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A {
                index += 3
            } else if byte == UInt8(ascii: "="), index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                out.append(0x0A)
                index += 2
            } else {
                out.append(byte)
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
