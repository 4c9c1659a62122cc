public import DapodikLanguage

/// A message that cannot be rendered as it stands: a header value with a line break or NUL in it
/// (header injection), a header name that is not allowed, a message without recipients, ….
///
/// Nothing is rendered or sent when this is thrown. Switch on ``code``; show ``message`` to a person.
/// Codes are open (static members on ``Code``), so new ones do not break clients.
public struct MailError: LocalizedFailure, Hashable {
    /// What kind of problem this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"mail.headerInjection"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// A header input (subject, display name, header value, …) contains CR, LF or NUL. Such
        /// input could end the header early and smuggle in headers or a body of its own
        /// (RFC 5322 §2.2: header fields are lines; §3.5: NUL is never allowed).
        public static let headerInjection = Code("mail.headerInjection")
        /// An extra header's name is empty or has a character outside RFC 5322 §2.2's `ftext`
        /// (printable US-ASCII except the colon).
        public static let invalidHeaderName = Code("mail.invalidHeaderName")
        /// An extra header would replace one the renderer writes itself (From, To, Date, …).
        public static let reservedHeader = Code("mail.reservedHeader")
        /// The message has no recipient.
        public static let noRecipients = Code("mail.noRecipients")
        /// A Message-ID is not of the RFC 5322 §3.6.4 form `<left@right>` with dot-atom parts.
        public static let invalidMessageID = Code("mail.invalidMessageID")
        /// The time-zone offset of the Date header is outside what RFC 5322 §3.3 can write
        /// (±99:59) or not a whole number of minutes.
        public static let invalidTimeZoneOffset = Code("mail.invalidTimeZoneOffset")
        /// The message's date cannot be written in a Date header: not a number, or outside the
        /// years 1900–9999 (RFC 5322 §3.3 writes four-digit years from 1900).
        public static let invalidDate = Code("mail.invalidDate")
        /// A template input is missing or out of range (an empty code, an ordinal below 1, …).
        public static let invalidTemplateInput = Code("mail.invalidTemplateInput")
    }

    /// What kind of problem this is.
    public let code: Code
    /// The input that was wrong, such as `"subject"`, `"from.displayName"` or `"header.X-Foo"`.
    public let field: String
    /// What went wrong, for a person.
    public let message: LocalizedText

    /// Creates a mail error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - field: The input that was wrong.
    ///   - indonesian: The message in Bahasa Indonesia.
    ///   - english: The same message in English.
    public init(_ code: Code, field: String, indonesian: String, english: String) {
        self.code = code
        self.field = field
        self.message = LocalizedText(indonesian: indonesian, english: english)
    }
}

extension MailError {
    static func headerInjection(in field: String) -> MailError {
        MailError(
            .headerInjection, field: field,
            indonesian: "Isi \(field) berisi karakter ganti baris (CR/LF) atau NUL yang tidak diperbolehkan "
                + "di header email.",
            english: "The \(field) contains a line break (CR/LF) or NUL, which is not allowed in an e-mail header.")
    }

    /// Refuses CR, LF and NUL anywhere in `value`.
    static func checkHeaderInput(_ value: String, field: String) throws(MailError) {
        if containsLineBreakOrNUL(value) { throw headerInjection(in: field) }
    }
}

/// Whether `text` holds CR, LF or NUL: a byte scan, since in UTF-8 these bytes are never part of
/// another scalar.
func containsLineBreakOrNUL(_ text: String) -> Bool {
    text.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 }
}
