internal import DapodikAccounts
internal import DapodikCrypto

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

extension VerificationMail {
    /// The message rendered: the bytes of `message(from:replyTo:date:messageID:).rendered()` and
    /// its envelope, written without the bodies as text: the lines that are the same in every
    /// message of a language and purpose are copied in their quoted-printable form, prepared once,
    /// and only the lines with filled-in values are encoded.
    /// - Parameters:
    ///   - sender: The From mailbox.
    ///   - replyTo: Where replies go, if anywhere but the sender.
    ///   - date: The date of the message.
    ///   - messageID: A Message-ID kept stable across retries, or `nil` for a random one.
    /// - Returns: The rendered message and its envelope.
    /// - Throws: ``MailError``: what ``message(from:replyTo:date:messageID:)`` and
    ///   ``MailMessage/rendered()`` throw.
    package func rendered(
        from sender: Mailbox, replyTo: Mailbox? = nil, date: Date, messageID: MessageID? = nil
    ) throws(MailError) -> (message: RenderedMessage, envelope: Envelope) {
        var generator = SecureRandomGenerator()
        return try rendered(from: sender, replyTo: replyTo, date: date, messageID: messageID, using: &generator)
    }

    /// ``rendered(from:replyTo:date:messageID:)`` from a sender whose From field is written already:
    /// the same bytes as from its ``PreparedSender/mailbox``.
    package func rendered(
        from sender: PreparedSender, replyTo: Mailbox? = nil, date: Date, messageID: MessageID? = nil
    ) throws(MailError) -> (message: RenderedMessage, envelope: Envelope) {
        var generator = SecureRandomGenerator()
        return try rendered(
            from: sender.mailbox, fromField: sender.fromField, replyTo: replyTo, date: date, messageID: messageID,
            using: &generator)
    }

    /// ``rendered(from:replyTo:date:messageID:)`` with the boundary's random bytes from `source`;
    /// `fromField`, when given, is the From field of `sender` written beforehand.
    func rendered(
        from sender: Mailbox, fromField: [UInt8]? = nil, replyTo: Mailbox?, date: Date, messageID: MessageID?,
        using source: inout some RandomBytesSource
    ) throws(MailError) -> (message: RenderedMessage, envelope: Envelope) {
        try checkInput()
        let values = filledIn()
        // The header's fields; the bodies are written below, not taken from here.
        let header = MailMessage(
            from: sender, to: [recipient], replyTo: replyTo, subject: subject, textBody: "", htmlBody: "", date: date,
            dateSecondsFromUTC: timeZone.secondsFromUTC, messageID: messageID)
        let rendered = try header.rendered(
            using: &source, bodySize: 2560 + 3 * (values.name.utf8.count + username.utf8.count + schoolName.utf8.count),
            fromField: fromField,
            text: { out in QuotedPrintableBodyWriter.write(appendingTo: &out) { writeText(values, to: &$0) } },
            html: { out in QuotedPrintableBodyWriter.write(appendingTo: &out) { writeHTML(values, to: &$0) } })
        return (rendered, header.envelope)
    }
}
