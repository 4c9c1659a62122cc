public import DapodikAccounts

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An e-mail before rendering: who it is from and to, its subject, a plain-text body and
/// optionally an HTML one, its date and Message-ID, and any extra header fields.
///
/// Values are checked when the message is rendered (``rendered()``), not when it is built, so a
/// message can be assembled field by field.
public struct MailMessage: Sendable, Hashable, Codable {
    /// The author (From). Its domain also names the random Message-ID.
    public var from: Mailbox
    /// The recipients (To); at least one.
    public var to: [Mailbox]
    /// Where replies go (Reply-To), if not to ``from``.
    public var replyTo: Mailbox?
    /// The subject; any Unicode text without line breaks.
    public var subject: String
    /// The plain-text body. Line ends may be LF or CRLF; any length of line is fine.
    public var textBody: String
    /// The HTML body, if any; when present the message is `multipart/alternative` with the text
    /// first and the HTML second (RFC 2046 §5.1.4: the preferred alternative comes last). It is
    /// written as given: escaping what goes into it is the caller's job.
    public var htmlBody: String?
    /// The date of the message (Date header).
    public var date: Date
    /// The offset from UTC, in seconds, at which ``date`` is written; a whole number of minutes.
    /// Use the recipient's zone (such as ``SchoolTimeZone/secondsFromUTC``) or 0 for UTC.
    public var dateSecondsFromUTC: Int
    /// The Message-ID. `nil` makes a random one on the sender's domain at each rendering; an
    /// outbox that may retry should fix it once so every attempt carries the same identifier.
    public var messageID: MessageID?
    /// More header fields, written after the standard ones in this order, such as
    /// `List-Unsubscribe` or an `X-` field of the application.
    public var extraHeaders: [MailHeaderField]

    /// Creates a message.
    /// - Parameters:
    ///   - from: The author.
    ///   - to: The recipients; at least one when rendered.
    ///   - replyTo: Where replies go, if elsewhere.
    ///   - subject: The subject.
    ///   - textBody: The plain-text body.
    ///   - htmlBody: The HTML body, if any, already escaped.
    ///   - date: The date of the message.
    ///   - dateSecondsFromUTC: The offset at which the date is written; 0 (UTC) unless given.
    ///   - messageID: A fixed Message-ID, or `nil` for a random one.
    ///   - extraHeaders: More header fields.
    public init(
        from: Mailbox, to: [Mailbox], replyTo: Mailbox? = nil, subject: String, textBody: String,
        htmlBody: String? = nil, date: Date, dateSecondsFromUTC: Int = 0, messageID: MessageID? = nil,
        extraHeaders: [MailHeaderField] = []
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.date = date
        self.dateSecondsFromUTC = dateSecondsFromUTC
        self.messageID = messageID
        self.extraHeaders = extraHeaders
    }

    /// The SMTP envelope of this message: the From address as the sender (where bounces go) and
    /// every To address as a recipient.
    public var envelope: Envelope {
        Envelope(sender: from.address, recipients: to.map(\.address))
    }
}

/// One extra header field of a ``MailMessage``: a name and an unstructured value.
public struct MailHeaderField: Sendable, Hashable, Codable {
    /// The field name, such as `X-Dapodik-Purpose`.
    public var name: String
    /// The value, any Unicode text without line breaks; non-ASCII is written as RFC 2047
    /// encoded-words.
    public var value: String

    /// Creates a header field. Both parts are checked when the message is rendered.
    /// - Parameters:
    ///   - name: The field name: printable US-ASCII without colon or space.
    ///   - value: The value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Where a message goes in SMTP terms (RFC 5321 §2.3.1): the reverse path (`MAIL FROM`, where
/// bounces go) and the forward paths (`RCPT TO`), which need not match the header fields.
public struct Envelope: Sendable, Hashable, Codable {
    /// The envelope sender (`MAIL FROM`, sendmail's `-f`).
    public var sender: EmailAddress
    /// The recipients (`RCPT TO`).
    public var recipients: [EmailAddress]

    /// Creates an envelope.
    /// - Parameters:
    ///   - sender: The envelope sender.
    ///   - recipients: The recipients; transports refuse an envelope without any.
    public init(sender: EmailAddress, recipients: [EmailAddress]) {
        self.sender = sender
        self.recipients = recipients
    }
}

/// A message rendered into the bytes that go on the wire (RFC 5322 with MIME), together with the
/// Message-ID written in it.
public struct RenderedMessage: Sendable, Hashable, Codable {
    /// The message: CRLF line ends, 7-bit US-ASCII, no line over 998 octets.
    public let bytes: [UInt8]
    /// The Message-ID in the message's header.
    public let messageID: MessageID

    /// Wraps bytes that are already a complete message.
    /// - Parameters:
    ///   - bytes: The message.
    ///   - messageID: The Message-ID written in it.
    public init(bytes: [UInt8], messageID: MessageID) {
        self.bytes = bytes
        self.messageID = messageID
    }

    /// The message as `Data`.
    public var data: Data { Data(bytes) }

    /// The message as text (it is US-ASCII).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
