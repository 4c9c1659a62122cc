#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One MIME entity (RFC 2045 §2.4) read from untrusted bytes: its header fields, its raw body and,
/// for a multipart body, its parts; every count bounded by ``BounceReadingLimits``.
///
/// Lenient where real mail is sloppy (bare LF line ends, a missing closing boundary, header lines
/// without a colon are skipped), strict where input could cost: depth, part count and field count
/// end in a ``BounceReadingError``, never a trap.
struct MIMEEntity {
    /// Header fields in order, values unfolded and decoded (RFC 2047).
    var headers: [(name: String, value: String)]
    /// The body as written (still transfer-encoded).
    var body: ArraySlice<UInt8>
    /// The parts of a `multipart/*` body; empty otherwise.
    var parts: [MIMEEntity]

    /// Counts parts across a whole message.
    final class Budget {
        let limits: BounceReadingLimits
        var parts = 0
        init(_ limits: BounceReadingLimits) { self.limits = limits }
    }

    init(_ bytes: ArraySlice<UInt8>, depth: Int, budget: Budget) throws(BounceReadingError) {
        let limits = budget.limits
        guard depth <= limits.maximumDepth else { throw .tooDeeplyNested(maximum: limits.maximumDepth) }
        budget.parts += 1
        guard budget.parts <= limits.maximumParts else {
            throw .tooManyParts("bagian MIME", maximum: limits.maximumParts)
        }
        let (lines, body) = Self.headerLines(bytes)
        headers = try Self.fields(lines, maximum: limits.maximumHeaderFields)
        self.body = body
        parts = []
        if mediaType.hasPrefix("multipart/"), let boundary = parameter("boundary", of: "content-type"),
            !boundary.isEmpty, boundary.utf8.count <= 200
        {
            for part in Self.parts(of: body, boundary: boundary) {
                parts.append(try MIMEEntity(part, depth: depth + 1, budget: budget))
            }
        }
    }

    /// An entity of header fields only: returned headers, one group of report fields.
    init(headers: [(name: String, value: String)]) {
        self.headers = headers
        self.body = []
        self.parts = []
    }

    /// The first field called `name` (case-insensitive, RFC 5322 §1.2.2).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    /// Every field called `name`.
    func headers(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    /// The lower-cased `type/subtype` of Content-Type; `text/plain` when absent (RFC 2045 §5.2).
    var mediaType: String {
        guard let field = header("content-type") else { return "text/plain" }
        return String(field.prefix { $0 != ";" }).trimmingEnds(of: " \t").lowercased()
    }

    /// A parameter of a structured field, such as `boundary` of Content-Type (RFC 2045 §5.1).
    func parameter(_ name: String, of field: String) -> String? {
        header(field).flatMap { ReceivedMessage.parameter(name, in: $0) }
    }

    /// The body with its Content-Transfer-Encoding undone (RFC 2045 §6); unknown encodings as written.
    var decodedBody: [UInt8] {
        switch header("content-transfer-encoding")?.trimmingEnds(of: " \t").lowercased() {
        case "quoted-printable": return QuotedPrintable.decode(body)
        case "base64":
            let data = Data(base64Encoded: String(decoding: body, as: UTF8.self), options: .ignoreUnknownCharacters)
            return data.map { Array($0) } ?? []
        default: return Array(body)
        }
    }

    /// The decoded body as text, LF line ends; invalid UTF-8 becomes U+FFFD.
    var text: String {
        String(decoding: decodedBody, as: UTF8.self).replacing("\r\n", with: "\n")
    }

    /// The header lines up to the first empty line, and the body after it (empty when there is none).
    static func headerLines(_ bytes: ArraySlice<UInt8>) -> (lines: [ArraySlice<UInt8>], body: ArraySlice<UInt8>) {
        var lines: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var end = newline
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            let next = newline < bytes.endIndex ? newline + 1 : newline
            if end == start { return (lines, bytes[next...]) }
            lines.append(bytes[start..<end])
            start = next
        }
        return (lines, bytes[bytes.endIndex...])
    }

    /// Unfolds header lines into fields (RFC 5322 §2.2.3); lines that are neither a field nor a
    /// continuation are skipped.
    static func fields(_ lines: [ArraySlice<UInt8>], maximum: Int) throws(BounceReadingError) -> [(
        name: String, value: String
    )] {
        var raw: [(name: String, value: String)] = []
        for line in lines {
            if let first = line.first, first == 0x20 || first == 0x09 {
                if !raw.isEmpty { raw[raw.count - 1].value += String(decoding: line, as: UTF8.self) }
                continue
            }
            guard let colon = line.firstIndex(of: 0x3A), colon > line.startIndex,
                !line[..<colon].contains(where: { $0 == 0x20 || $0 == 0x09 })
            else { continue }
            guard raw.count < maximum else { throw .tooManyParts("kolom header", maximum: maximum) }
            raw.append(
                (
                    String(decoding: line[..<colon], as: UTF8.self),
                    String(decoding: line[(colon + 1)...], as: UTF8.self)
                ))
        }
        return raw.map { ($0.name, EncodedWords.decode($0.value.trimmingEnds(of: " \t"))) }
    }

    /// The parts of a multipart body (RFC 2046 §5.1.1): what lies between `--boundary` lines, up to
    /// `--boundary--` or the end; the line break before a boundary line belongs to the boundary.
    static func parts(of body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            let newline = body[lineStart...].firstIndex(of: 0x0A) ?? body.endIndex
            let next = newline < body.endIndex ? newline + 1 : newline
            let line = body[lineStart..<newline]
            if line.starts(with: delimiter) {
                let rest = line.dropFirst(delimiter.count)
                let closing = rest.starts(with: [0x2D, 0x2D])
                let trailing = closing ? rest.dropFirst(2) : rest
                // RFC 2046 §5.1.1: only linear white space may follow the boundary on its line.
                if trailing.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                    if let start = partStart {
                        var end = lineStart
                        if end > start, body[end - 1] == 0x0A { end -= 1 }
                        if end > start, body[end - 1] == 0x0D { end -= 1 }
                        parts.append(body[start..<max(start, end)])
                    }
                    if closing { return parts }
                    partStart = next
                }
            }
            lineStart = next
        }
        if let start = partStart, start < body.endIndex { parts.append(body[start...]) }
        return parts
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
