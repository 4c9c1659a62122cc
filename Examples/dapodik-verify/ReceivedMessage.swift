import DapodikVerification
import Foundation

/// A message read back from a Maildir: its headers decoded and its plain-text body, enough to show
/// it to a person and to find the verification code in it.
///
/// Reads what RFC 5322 and MIME (RFC 2045–2047) define for the messages this library writes:
/// folded headers, encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), `multipart/alternative`,
/// quoted-printable and base64 bodies in UTF-8. It is a reader for the demo and for people
/// checking what was sent, not a general mail parser.
struct ReceivedMessage: Sendable, Equatable {
    /// Headers in order, names as written, values unfolded and decoded.
    let headers: [(name: String, value: String)]
    /// The text/plain body (the first one of a multipart message), decoded.
    let text: String

    static func == (lhs: ReceivedMessage, rhs: ReceivedMessage) -> Bool {
        lhs.text == rhs.text && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    /// The first header called `name` (case-insensitive, RFC 5322 §1.2.2).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Parses a whole message.
    init(bytes: [UInt8]) {
        let (headerLines, body) = Self.split(bytes)
        self.headers = Self.unfold(headerLines).map { ($0.name, EncodedWords.decode($0.value)) }
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value ?? "text/plain"
        let encoding = headers.first { $0.name.lowercased() == "content-transfer-encoding" }?.value ?? "7bit"
        self.text = Self.plainText(body: body, contentType: contentType, encoding: encoding)
    }

    /// Verification codes in the text: lines that hold only 4 to 10 digits (the templates put the
    /// code alone on its line).
    var codes: [String] {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { (4...10).contains($0.count) && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }

    private static func split(_ bytes: [UInt8]) -> (headers: [String], body: [UInt8]) {
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                var end = index
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                if end == start { return (lines, Array(bytes[(index + 1)...])) }
                lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
                start = index + 1
            }
            index += 1
        }
        if start < bytes.count { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return (lines, [])
    }

    private static func unfold(_ lines: [String]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            fields.append((String(line[..<colon]), value))
        }
        return fields
    }

    /// The value of a parameter of a structured header (`boundary="x"`, `charset=utf-8`).
    static func parameter(_ name: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2,
                pieces[0].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased()
            else { continue }
            var value = pieces[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    private static func plainText(body: [UInt8], contentType: String, encoding: String) -> String {
        let type = contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if type.hasPrefix("multipart/"), let boundary = parameter("boundary", in: contentType) {
            for part in parts(of: body, boundary: boundary) {
                let message = ReceivedMessage(bytes: part)
                let partType = message.header("Content-Type") ?? "text/plain"
                if partType.lowercased().hasPrefix("text/plain") || partType.lowercased().hasPrefix("multipart/") {
                    return message.text
                }
            }
            return ""
        }
        let decoded: [UInt8]
        switch encoding.lowercased() {
        case "quoted-printable": decoded = QuotedPrintableDecoder.decode(body)
        case "base64":
            decoded =
                Data(base64Encoded: String(decoding: body, as: UTF8.self), options: .ignoreUnknownCharacters)
                .map { Array($0) } ?? body
        default: decoded = body
        }
        return String(decoding: decoded.filter { $0 != 0x0D }, as: UTF8.self)
    }

    /// The parts of a multipart body (RFC 2046 §5.1.1): between `--boundary` lines, up to `--boundary--`.
    private static func parts(of body: [UInt8], boundary: String) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        let delimiter = Array(("--" + boundary).utf8)
        let closing = delimiter + Array("--".utf8)
        for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            if line.elementsEqual(delimiter) || line.elementsEqual(closing) {
                if let current { parts.append(current) }
                current = line.elementsEqual(closing) ? nil : []
                continue
            }
            current?.append(contentsOf: line)
            current?.append(contentsOf: [0x0D, 0x0A])
        }
        return parts
    }
}

/// Decodes RFC 2047 encoded words (`=?charset?Q?…?=` and `=?charset?B?…?=`), assuming UTF-8.
enum EncodedWords {
    static func decode(_ value: String) -> String {
        var result = ""
        var rest = Substring(value)
        var lastWasEncoded = false
        while let start = rest.range(of: "=?") {
            let before = rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            let pieces = afterStart.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("="), let encoding = pieces[1].first else {
                result += rest[..<start.upperBound]
                rest = afterStart
                lastWasEncoded = false
                continue
            }
            // RFC 2047 §6.2: white space between adjacent encoded words is ignored.
            if !(lastWasEncoded && before.allSatisfy(\.isWhitespace)) { result += before }
            let payload = pieces[2]
            var bytes: [UInt8] = []
            if encoding == "B" || encoding == "b" {
                bytes = Data(base64Encoded: String(payload)).map { Array($0) } ?? Array(payload.utf8)
            } else {
                bytes = QuotedPrintableDecoder.decode(Array(payload.utf8), underscoreIsSpace: true)
            }
            result += String(decoding: bytes, as: UTF8.self)
            rest = pieces[3].dropFirst()
            lastWasEncoded = true
        }
        return result + rest
    }
}

/// Decodes quoted-printable (RFC 2045 §6.7), including soft line breaks.
enum QuotedPrintableDecoder {
    static func decode(_ bytes: [UInt8], underscoreIsSpace: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        func hex(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 1 < bytes.count {
                if bytes[index + 1] == 0x0D, index + 2 < bytes.count, bytes[index + 2] == 0x0A {
                    index += 3
                    continue
                }
                if bytes[index + 1] == 0x0A {
                    index += 2
                    continue
                }
                if index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
            }
            out.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return out
    }
}
