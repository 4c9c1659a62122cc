internal import DapodikAccounts
internal import DapodikCrypto

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
    ///   ``MailError/Code/invalidTimeZoneOffset``. Non-ASCII, emoji, very long subjects and lines
    ///   starting with `.` or `From ` are *not* errors: they are encoded.
    public func rendered() throws(MailError) -> RenderedMessage {
        var generator = SecureRandomGenerator()
        return try rendered(using: &generator)
    }

    func rendered(using generator: inout some RandomNumberGenerator) throws(MailError) -> RenderedMessage {
        try validate()
        let id = messageID ?? MessageID.random(onDomain: from.address.domain)
        var header = ""
        header += HeaderSyntax.field(
            "Date", [CivilTime(date, secondsFromUTC: dateSecondsFromUTC).rfc5322])
        header += Self.mailboxField("From", [from])
        if let replyTo { header += Self.mailboxField("Reply-To", [replyTo]) }
        header += Self.mailboxField("To", to)
        header += Self.unstructuredField("Subject", subject)
        header += HeaderSyntax.field("Message-ID", [id.description])
        header += HeaderSyntax.field("Auto-Submitted", ["auto-generated"])
        for field in extraHeaders {
            header += Self.unstructuredField(field.name, field.value)
        }
        header += HeaderSyntax.field("MIME-Version", ["1.0"])

        var body = ""
        let textPart = QuotedPrintable.encode(textBody)
        if let htmlBody {
            // "=_" cannot occur in quoted-printable output, so the boundary can never collide with
            // a body line (RFC 2046 §5.1.1).
            let boundary = "=_" + randomHex(byteCount: 16, using: &generator)
            header += HeaderSyntax.field("Content-Type", ["multipart/alternative;", "boundary=\"\(boundary)\""])
            body += "This is a message in MIME format.\r\n"
            body += "\r\n--\(boundary)\r\n" + Self.textPartHeader(subtype: "plain") + "\r\n" + textPart
            body += "\r\n--\(boundary)\r\n" + Self.textPartHeader(subtype: "html") + "\r\n"
            body += QuotedPrintable.encode(htmlBody)
            body += "\r\n--\(boundary)--\r\n"
        } else {
            header += Self.textPartHeader(subtype: "plain")
            body = textPart
        }
        return RenderedMessage(bytes: Array((header + "\r\n" + body).utf8), messageID: id)
    }

    private static func textPartHeader(subtype: String) -> String {
        HeaderSyntax.field("Content-Type", ["text/\(subtype);", "charset=UTF-8"])
            + HeaderSyntax.field("Content-Transfer-Encoding", ["quoted-printable"])
    }

    private static func unstructuredField(_ name: String, _ value: String) -> String {
        HeaderSyntax.field(
            name, HeaderSyntax.unstructuredTokens(value, firstRoom: HeaderSyntax.firstRoom(after: name)))
    }

    private static func mailboxField(_ name: String, _ mailboxes: [Mailbox]) -> String {
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
        return HeaderSyntax.field(name, tokens)
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
        guard dateSecondsFromUTC % 60 == 0, abs(dateSecondsFromUTC) <= 99 * 3600 + 59 * 60 else {
            throw MailError(
                .invalidTimeZoneOffset, field: "dateSecondsFromUTC",
                indonesian: "Selisih zona waktu tanggal email harus kelipatan menit dan paling banyak ±99.59 jam.",
                english: "The e-mail date's time-zone offset must be whole minutes and at most ±99:59 hours.")
        }
    }
}
