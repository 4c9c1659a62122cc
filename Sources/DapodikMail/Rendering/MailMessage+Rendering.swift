internal import DapodikAccounts
internal import DapodikCrypto

#if canImport(FoundationEssentials)
    internal import FoundationEssentials
#else
    internal import Foundation
#endif

extension MailMessage {
    /// Header names the renderer writes itself; an extra header may not repeat them.
    static let reservedHeaderNames: Set<String> = [
        "from", "to", "cc", "bcc", "reply-to", "sender", "subject", "date", "message-id", "mime-version",
        "content-type", "content-transfer-encoding", "auto-submitted", "return-path",
    ]

    /// Renders the message as RFC 5322 with MIME (RFC 2045–2047).
    ///
    /// The header carries Date (RFC 5322 §3.3, English names and a numeric zone), From, Reply-To,
    /// To, Subject, Message-ID, `Auto-Submitted: auto-generated` (RFC 3834 §5, so vacation
    /// responders stay quiet), the extra headers and `MIME-Version: 1.0`. The body is UTF-8
    /// quoted-printable text, or `multipart/alternative` with the text first and the HTML second.
    /// Non-ASCII display names and subjects become RFC 2047 encoded-words of at most 75
    /// characters, split only between characters and never inside an address. Lines end with
    /// CRLF, fold near 78 characters and never pass 998 octets (RFC 5322 §2.1.1).
    ///
    /// - Returns: The bytes and the Message-ID (``messageID`` or a fresh random one on the
    ///   sender's domain).
    /// - Throws: ``MailError``: ``MailError/Code/headerInjection`` when any header input (subject,
    ///   display name, extra header) holds CR, LF or NUL; ``MailError/Code/noRecipients``,
    ///   ``MailError/Code/invalidHeaderName``, ``MailError/Code/reservedHeader``,
    ///   ``MailError/Code/invalidTimeZoneOffset``, ``MailError/Code/invalidDate``. Non-ASCII, emoji, very long subjects and lines
    ///   starting with `.` or `From ` are *not* errors: they are encoded.
    public func rendered() throws(MailError) -> RenderedMessage {
        var generator = SecureRandomGenerator()
        return try rendered(using: &generator)
    }

    /// ``rendered()`` with the boundary's random bytes from `source` (tests pass a seeded one).
    func rendered(using source: inout some RandomBytesSource) throws(MailError) -> RenderedMessage {
        guard let htmlBody else {
            return try rendered(
                using: &source, bodySize: textBody.utf8.count,
                text: { QuotedPrintable.encode(textBody, appendingTo: &$0) }, html: nil)
        }
        return try rendered(
            using: &source, bodySize: textBody.utf8.count + htmlBody.utf8.count,
            text: { QuotedPrintable.encode(textBody, appendingTo: &$0) },
            html: { QuotedPrintable.encode(htmlBody, appendingTo: &$0) })
    }

    /// ``rendered(using:)`` with the bodies written by `text` and `html` instead of encoded from
    /// ``textBody`` and ``htmlBody``: each appends its body, quoted-printable, with a final CRLF.
    /// Without `html` the message is plain text. `bodySize` is about the bodies' size before encoding.
    /// `fromField`, when given, is the From field of ``from`` written beforehand (``PreparedSender``).
    func rendered(
        using source: inout some RandomBytesSource, bodySize: Int, fromField: [UInt8]? = nil,
        text: (inout [UInt8]) -> Void, html: ((inout [UInt8]) -> Void)?
    ) throws(MailError) -> RenderedMessage {
        try validate()
        let id = messageID ?? MessageID.random(onDomain: from.address.domain)
        // The whole message is written once, into one buffer: the bodies grow by about a tenth in
        // quoted-printable, the header and the MIME frame take well under 2 KiB.
        var out: [UInt8] = []
        out.reserveCapacity(2048 + bodySize * 9 / 8)
        out.append(contentsOf: "Date: ".utf8)
        CivilTime(date, secondsFromUTC: dateSecondsFromUTC).appendRFC5322(to: &out)
        out.append(contentsOf: "\r\n".utf8)
        if let fromField {
            out.append(contentsOf: fromField)
        } else {
            Self.appendMailboxField("From", [from], to: &out)
        }
        if let replyTo { Self.appendMailboxField("Reply-To", [replyTo], to: &out) }
        Self.appendMailboxField("To", to, to: &out)
        Self.appendUnstructuredField("Subject", subject, to: &out)
        out.append(contentsOf: "Message-ID: <".utf8)
        out.append(contentsOf: id.value.utf8)
        out.append(contentsOf: ">\r\nAuto-Submitted: auto-generated\r\n".utf8)
        for field in extraHeaders {
            Self.appendUnstructuredField(field.name, field.value, to: &out)
        }
        out.append(contentsOf: "MIME-Version: 1.0\r\n".utf8)

        guard let html else {
            out.append(contentsOf: Self.plainTextPartHeader)
            out.append(contentsOf: "\r\n".utf8)
            text(&out)
            return RenderedMessage(bytes: out, messageID: id)
        }
        // "=_" cannot occur in quoted-printable output, so the boundary can never collide with
        // a body line (RFC 2046 §5.1.1).
        var boundary = Array("=_".utf8)
        appendRandomHex(byteCount: 16, using: &source, to: &boundary)
        HeaderSyntax.appendField(
            "Content-Type",
            ["multipart/alternative;", "boundary=\"" + String(decoding: boundary, as: UTF8.self) + "\""], to: &out)
        out.append(contentsOf: "\r\nThis is a message in MIME format.\r\n".utf8)
        out.append(contentsOf: "\r\n--".utf8)
        out.append(contentsOf: boundary)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: Self.plainTextPartHeader)
        out.append(contentsOf: "\r\n".utf8)
        text(&out)
        out.append(contentsOf: "\r\n--".utf8)
        out.append(contentsOf: boundary)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: Self.htmlTextPartHeader)
        out.append(contentsOf: "\r\n".utf8)
        html(&out)
        out.append(contentsOf: "\r\n--".utf8)
        out.append(contentsOf: boundary)
        out.append(contentsOf: "--\r\n".utf8)
        return RenderedMessage(bytes: out, messageID: id)
    }

    private static let plainTextPartHeader = textPartHeader(subtype: "plain")
    private static let htmlTextPartHeader = textPartHeader(subtype: "html")

    private static func textPartHeader(subtype: String) -> [UInt8] {
        var out: [UInt8] = []
        HeaderSyntax.appendField("Content-Type", ["text/\(subtype);", "charset=UTF-8"], to: &out)
        HeaderSyntax.appendField("Content-Transfer-Encoding", ["quoted-printable"], to: &out)
        return out
    }

    private static func appendUnstructuredField(_ name: String, _ value: String, to out: inout [UInt8]) {
        HeaderSyntax.appendField(
            name, HeaderSyntax.unstructuredTokens(value, firstRoom: HeaderSyntax.firstRoom(after: name)), to: &out)
    }

    static func appendMailboxField(_ name: String, _ mailboxes: [Mailbox], to out: inout [UInt8]) {
        var tokens: [String] = []
        for (index, mailbox) in mailboxes.enumerated() {
            var addressToken = mailbox.address.value
            let room = index == 0 ? HeaderSyntax.firstRoom(after: name) : HeaderSyntax.continuationRoom
            let nameTokens = HeaderSyntax.phraseTokens(mailbox.displayName ?? "", firstRoom: room)
            if !nameTokens.isEmpty {
                tokens += nameTokens
                addressToken = "<" + addressToken + ">"
            }
            tokens.append(index < mailboxes.count - 1 ? addressToken + "," : addressToken)
        }
        HeaderSyntax.appendField(name, tokens, to: &out)
    }

    private func validate() throws(MailError) {
        guard !to.isEmpty else {
            throw MailError(
                .noRecipients, field: "to", indonesian: "Email harus memiliki setidaknya satu penerima.",
                english: "The e-mail must have at least one recipient.")
        }
        try MailError.checkHeaderInput(subject, field: "subject")
        try MailError.checkHeaderInput(from.displayName ?? "", field: "from.displayName")
        if let replyTo { try MailError.checkHeaderInput(replyTo.displayName ?? "", field: "replyTo.displayName") }
        for recipient in to { try MailError.checkHeaderInput(recipient.displayName ?? "", field: "to.displayName") }
        for field in extraHeaders {
            let bytes = Array(field.name.utf8)
            guard !bytes.isEmpty, bytes.count <= 76, bytes.allSatisfy({ $0 >= 33 && $0 <= 126 && $0 != 58 }) else {
                if field.name.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0.value == 0 }) {
                    throw MailError.headerInjection(in: "header name")
                }
                throw MailError(
                    .invalidHeaderName, field: "header",
                    indonesian:
                        "Nama header \"\(field.name)\" tidak valid: gunakan huruf ASCII tanpa spasi atau titik dua.",
                    english:
                        "The header name \"\(field.name)\" is not valid: use ASCII letters without spaces or colons.")
            }
            guard !Self.reservedHeaderNames.contains(field.name.lowercased()) else {
                throw MailError(
                    .reservedHeader, field: "header." + field.name,
                    indonesian: "Header \(field.name) ditulis sendiri oleh pustaka dan tidak boleh ditambahkan.",
                    english: "The \(field.name) header is written by the library and cannot be added.")
            }
            try MailError.checkHeaderInput(field.value, field: "header." + field.name)
        }
        // 1900-01-01T00:00:00Z ... 9999-12-31T23:59:59Z, with a day's margin for the offset.
        guard (-2_208_902_400...253_402_214_399).contains(date.timeIntervalSince1970) else {
            throw MailError(
                .invalidDate, field: "date",
                indonesian: "Tanggal email harus antara tahun 1900 dan 9999.",
                english: "The e-mail's date must lie between the years 1900 and 9999.")
        }
        guard dateSecondsFromUTC % 60 == 0, abs(dateSecondsFromUTC) <= 99 * 3600 + 59 * 60 else {
            throw MailError(
                .invalidTimeZoneOffset, field: "dateSecondsFromUTC",
                indonesian: "Selisih zona waktu tanggal email harus kelipatan menit dan paling banyak ±99.59 jam.",
                english: "The e-mail date's time-zone offset must be whole minutes and at most ±99:59 hours.")
        }
    }
}
