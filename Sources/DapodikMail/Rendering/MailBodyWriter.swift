// Writing a templated body either as text or straight as quoted-printable, its fixed lines encoded once.

/// Whole lines of a template that never change (each ending in LF), with their quoted-printable
/// encoding prepared once: quoted-printable encodes every line on its own, from column 0, so the
/// encoding of a body is the encodings of its runs of whole lines one after another.
struct PreparedLines: Sendable {
    /// The lines as text.
    let text: String
    /// ``text`` in quoted-printable, CRLF line ends.
    let encoded: [UInt8]

    init(_ text: String) {
        precondition(text.utf8.last == 0x0A, "prepared lines end with a line break")
        self.text = text
        var encoded: [UInt8] = []
        QuotedPrintable.encode(text, appendingTo: &encoded)
        self.encoded = encoded
    }
}

/// Where a template writes a body: pieces of text and prepared lines, in order. Prepared lines start
/// a line: the text before them ends with a line break, and so does the body.
protocol MailBodyWriter {
    /// Appends text: a piece of a line, or ending one or more lines.
    mutating func append(_ text: String)
    /// Appends lines prepared once.
    mutating func append(_ lines: PreparedLines)
}

/// Collects the body as text.
struct PlainBodyWriter: MailBodyWriter {
    private(set) var text = ""

    init() {
        text.reserveCapacity(2048)
    }

    mutating func append(_ text: String) { self.text += text }

    mutating func append(_ lines: PreparedLines) { text += lines.text }
}

/// Writes the body as quoted-printable (what ``QuotedPrintable/encode(_:appendingTo:)`` writes for the
/// whole text) into ``out``: the text between prepared lines is collected and encoded, the prepared
/// lines' encoding is copied.
struct QuotedPrintableBodyWriter: MailBodyWriter {
    /// The encoded body so far.
    private var out: [UInt8] = []
    /// Text since the last prepared lines, not yet encoded.
    private var pending: [UInt8] = []

    private init() {
        pending.reserveCapacity(512)
    }

    /// Appends to `out` the quoted-printable encoding of the body `write` writes.
    static func write(appendingTo out: inout [UInt8], _ write: (inout QuotedPrintableBodyWriter) -> Void) {
        var writer = QuotedPrintableBodyWriter()
        swap(&writer.out, &out)
        write(&writer)
        writer.encodePending()
        swap(&writer.out, &out)
    }

    mutating func append(_ text: String) { pending.append(contentsOf: text.utf8) }

    mutating func append(_ lines: PreparedLines) {
        encodePending()
        out.append(contentsOf: lines.encoded)
    }

    private mutating func encodePending() {
        guard !pending.isEmpty else { return }
        assert(pending.last == 0x0A, "text before prepared lines ends with a line break")
        pending.withUnsafeBufferPointer { QuotedPrintable.encode($0, appendingTo: &out) }
        pending.removeAll(keepingCapacity: true)
    }
}
