#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A message read back from its bytes (a Maildir file, a transport's capture): its header fields
/// decoded and its plain-text body, enough to show it to a person and to find a code in it.
///
/// Reads what RFC 5322 and MIME (RFC 2045–2047) define for the messages this library writes:
/// folded header fields, encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`), `multipart/alternative`,
/// and quoted-printable, base64, 7-bit and 8-bit bodies in UTF-8. It is a reader for tools and
/// tests that check what was sent, not a general mail parser: other charsets are read as UTF-8.
public struct ReceivedMessage: Sendable, Equatable {
    /// The header fields in order, names as written, values unfolded and decoded (RFC 2047).
    public let headers: [(name: String, value: String)]

    /// The `text/plain` body (the first `text/plain` part of a multipart message), decoded, with
    /// LF line ends; `nil` when the message has no such part, no body, or a transfer encoding
    /// other than quoted-printable, base64, 7bit, 8bit or binary.
    public let plainText: String?

    /// Parses a whole message; anything it cannot read is left out rather than refused.
    /// - Parameter bytes: The message as stored: header fields, an empty line, the body.
    public init(bytes: [UInt8]) {
        let (headerLines, body) = Self.split(bytes[...])
        let headers = Self.unfold(headerLines).map { ($0.name, EncodedWords.decode($0.value)) }
        self.headers = headers
        self.plainText = body.flatMap {
            Self.decodedText(
                body: $0, contentType: Self.field("content-type", in: headers),
                encoding: Self.field("content-transfer-encoding", in: headers))
        }
    }

    /// The value of the first header field called `name`, compared case-insensitively (RFC 5322 §1.2.2).
    /// - Parameter name: The field name, such as `"Subject"`.
    /// - Returns: The decoded value, or `nil` when the message has no such field.
    public func header(_ name: String) -> String? {
        Self.field(name, in: headers)
    }

    /// Whether two messages have the same header fields, in the same order, and the same plain text.
    public static func == (lhs: ReceivedMessage, rhs: ReceivedMessage) -> Bool {
        lhs.plainText == rhs.plainText && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value)
    }

    private static func field(_ name: String, in headers: [(name: String, value: String)]) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name.lowercased() == name }?.value
    }

    /// The header lines and the body after the first empty line (RFC 5322 §2.1), which is `nil`
    /// when there is no empty line. Lines may end in CRLF or a bare LF.
    private static func split(_ bytes: ArraySlice<UInt8>) -> (headers: [String], body: ArraySlice<UInt8>?) {
        var lines: [String] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == 0x0A {
            var end = index
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            if end == start { return (lines, bytes[(index + 1)...]) }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.endIndex { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return (lines, nil)
    }

    /// Header fields from header lines, continuation lines joined to their field (RFC 5322 §2.2.3).
    private static func unfold(_ lines: [String]) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in lines {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += line
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingEnds(of: " \t")))
        }
        return fields
    }

    /// The value of a parameter of a structured field (`boundary="x"`, `charset=utf-8`; RFC 2045 §5.1).
    static func parameter(_ name: String, in field: String) -> String? {
        for part in field.split(separator: ";").dropFirst() {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].trimmingEnds(of: " \t").lowercased() == name.lowercased() else {
                continue
            }
            var value = pieces[1].trimmingEnds(of: " \t")
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    private static func decodedText(body: ArraySlice<UInt8>, contentType: String?, encoding: String?) -> String? {
        let contentType = contentType ?? "text/plain"
        let type = contentType.split(separator: ";").first?.trimmingEnds(of: " \t").lowercased() ?? ""
        if type.hasPrefix("multipart/") {
            guard let boundary = parameter("boundary", in: contentType) else { return nil }
            for part in parts(of: body, boundary: boundary) {
                if let text = ReceivedMessage(bytes: part).plainText { return text }
            }
            return nil
        }
        guard type == "text/plain" else { return nil }
        let decoded: [UInt8]
        switch encoding?.lowercased() ?? "7bit" {
        case "quoted-printable": decoded = QuotedPrintable.decode(body)
        case "base64":
            guard
                let data = Data(
                    base64Encoded: String(decoding: body, as: UTF8.self), options: .ignoreUnknownCharacters)
            else { return nil }
            decoded = Array(data)
        case "7bit", "8bit", "binary": decoded = Array(body)
        default: return nil
        }
        return String(decoding: decoded, as: UTF8.self).replacing("\r\n", with: "\n")
    }

    /// The parts of a multipart body (RFC 2046 §5.1.1): between `--boundary` lines, up to
    /// `--boundary--`; the line break before a boundary line belongs to the boundary, not the part.
    private static func parts(of body: ArraySlice<UInt8>, boundary: String) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var current: [UInt8]?
        let delimiter = Array(("--" + boundary).utf8)
        let closing = delimiter + Array("--".utf8)
        for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            if line.elementsEqual(delimiter) || line.elementsEqual(closing) {
                if let part = current { parts.append(Array(part.dropLast(2))) }
                current = line.elementsEqual(closing) ? nil : []
                continue
            }
            current?.append(contentsOf: line)
            current?.append(contentsOf: [0x0D, 0x0A])
        }
        return parts
    }
}
