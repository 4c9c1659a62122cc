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

/// Where a template writes a body: pieces of text and prepared lines, in order. The fixed templates put
/// prepared lines at the start of a line, where their prepared encoding is copied; elsewhere they are
/// encoded with the text before them, so the body is right either way.
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
/// lines' encoding is copied when they start a line.
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
        let start = out.count
        swap(&writer.out, &out)
        write(&writer)
        writer.encodePending()
        swap(&writer.out, &out)
        if out.count == start {
            // An empty body is one empty line, as `QuotedPrintable.encode` writes it.
            QuotedPrintable.encode("", appendingTo: &out)
        }
    }

    mutating func append(_ text: String) { pending.append(contentsOf: text.utf8) }

    mutating func append(_ lines: PreparedLines) {
        guard pending.isEmpty || pending.last == 0x0A else {
            // Text before the lines does not end its line, so their encoding, made from column 0, does not
            // fit here: they are encoded together with that text instead.
            pending.append(contentsOf: lines.text.utf8)
            return
        }
        encodePending()
        out.append(contentsOf: lines.encoded)
    }

    private mutating func encodePending() {
        guard !pending.isEmpty else { return }
        pending.withUnsafeBufferPointer { QuotedPrintable.encode($0, appendingTo: &out) }
        pending.removeAll(keepingCapacity: true)
    }
}
