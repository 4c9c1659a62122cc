package import DapodikAccounts
package import DapodikLanguage

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// The e-mail that carries a verification code, as a pure function of what it says.
///
/// The service maps its own account model onto this small input, so the template depends on no
/// storage or account type. The message says, in the recipient's ``language``: the code, large and
/// alone on its line; which account and school it is for; until when it is valid, in the school's
/// time zone; which code of the challenge it is when one was resent, and that earlier unexpired
/// codes still work; what to do if the reader did not ask for it. It holds no link: a link that
/// used the code up when merely opened (by a mail scanner, say) would break the verification.
package struct VerificationMail: Sendable, Hashable, Codable {
    /// Whose verification the code is for.
    public enum Purpose: String, Sendable, Hashable, Codable, CaseIterable {
        /// A school operator verifying their own address, before managing other accounts.
        case operatorVerification
        /// A member of staff (PTK) verifying the address the operator entered for them.
        case staffVerification
    }

    /// Whose verification the code is for.
    public var purpose: Purpose
    /// The address the code goes to, with the account holder's name as display name.
    public var recipient: Mailbox
    /// The account's user name, as the holder logs in with it.
    public var username: String
    /// The school's name, such as `SD Negeri 1 Wamena`.
    public var schoolName: String
    /// The school's NPSN, as text (`20100001`, `P9990001`, …).
    public var npsn: String
    /// The verification code, such as `482913`.
    public var code: String
    /// Which code of the challenge this is: 1 for the first, 2 after the first resend, ….
    public var codeOrdinal: Int
    /// The instant after which the code no longer works.
    public var expiresAt: Date
    /// The school's time zone, in which the expiry is written.
    public var timeZone: SchoolTimeZone
    /// The language of the message: Indonesian unless the reader asked for English.
    public var language: Language

    /// Creates the input of a verification e-mail.
    /// - Parameters:
    ///   - purpose: Whose verification the code is for.
    ///   - recipient: The address and the holder's name.
    ///   - username: The account's user name.
    ///   - schoolName: The school's name.
    ///   - npsn: The school's NPSN.
    ///   - code: The code.
    ///   - codeOrdinal: Which code of the challenge this is, from 1.
    ///   - expiresAt: When the code stops working.
    ///   - timeZone: The school's time zone.
    ///   - language: The language; Indonesian by default.
    public init(
        purpose: Purpose, recipient: Mailbox, username: String, schoolName: String, npsn: String, code: String,
        codeOrdinal: Int = 1, expiresAt: Date, timeZone: SchoolTimeZone, language: Language = .default
    ) {
        self.purpose = purpose
        self.recipient = recipient
        self.username = username
        self.schoolName = schoolName
        self.npsn = npsn
        self.code = code
        self.codeOrdinal = codeOrdinal
        self.expiresAt = expiresAt
        self.timeZone = timeZone
        self.language = language
    }

    /// The subject, such as `Kode verifikasi email akun PTK Dapodik (kode ke-2)`. It does not
    /// contain the code, so a lock-screen preview does not show it.
    public var subject: String {
        let resent = codeOrdinal > 1
        switch (language, purpose) {
        case (.indonesian, .operatorVerification):
            return "Kode verifikasi akun Operator Sekolah Dapodik" + (resent ? " (kode ke-\(codeOrdinal))" : "")
        case (.indonesian, .staffVerification):
            return "Kode verifikasi email akun PTK Dapodik" + (resent ? " (kode ke-\(codeOrdinal))" : "")
        case (.english, .operatorVerification):
            return "Your Dapodik school operator verification code" + (resent ? " (code no. \(codeOrdinal))" : "")
        case (.english, .staffVerification):
            return "Your Dapodik staff (PTK) e-mail verification code" + (resent ? " (code no. \(codeOrdinal))" : "")
        }
    }

    /// The message, ready to render.
    /// - Parameters:
    ///   - sender: The From mailbox, such as `Dapodik <noreply@sekolah.example>`.
    ///   - replyTo: Where replies go, if anywhere but the sender (a help desk, say).
    ///   - date: The date of the message, usually now.
    ///   - messageID: A Message-ID kept stable across retries, or `nil` for a random one.
    /// - Returns: The message with a plain-text and an HTML body, dated in the school's zone.
    /// - Throws: ``MailError`` with code ``MailError/Code/invalidTemplateInput`` when the code is
    ///   empty or not a single word, the ordinal is below 1, or a text holds CR, LF or NUL (which
    ///   could forge lines of the message). A name with non-ASCII letters is *not* an error.
    public func message(
        from sender: Mailbox, replyTo: Mailbox? = nil, date: Date, messageID: MessageID? = nil
    ) throws(MailError) -> MailMessage {
        try checkInput()
        let content = content()
        return MailMessage(
            from: sender, to: [recipient], replyTo: replyTo, subject: subject, textBody: content.text,
            htmlBody: content.html, date: date, dateSecondsFromUTC: timeZone.secondsFromUTC, messageID: messageID)
    }

    /// Refuses what ``message(from:replyTo:date:messageID:)`` refuses, in the same order.
    func checkInput() throws(MailError) {
        try checkTemplateText(code, field: "code")
        guard !code.isEmpty, !containsWhitespace(code) else {
            throw MailError(
                .invalidTemplateInput, field: "code", indonesian: "Kode verifikasi kosong atau berisi spasi.",
                english: "The verification code is empty or contains spaces.")
        }
        guard codeOrdinal >= 1 else {
            throw MailError(
                .invalidTemplateInput, field: "codeOrdinal", indonesian: "Urutan kode harus 1 atau lebih.",
                english: "The code's ordinal must be 1 or more.")
        }
        try checkTemplateText(username, field: "username")
        try checkTemplateText(schoolName, field: "schoolName")
        try checkTemplateText(npsn, field: "npsn")
        try checkTemplateText(recipient.displayName ?? "", field: "name")
    }

    var greetingName: String {
        let name = HeaderSyntax.normalizedDisplayName(recipient.displayName ?? "")
        return name.isEmpty ? username : name
    }
}

/// Refuses CR, LF and NUL in a text that goes into a message's body or header.
func checkTemplateText(_ value: String, field: String) throws(MailError) {
    guard !containsLineBreakOrNUL(value) else {
        throw MailError(
            .invalidTemplateInput, field: field,
            indonesian: "Isian \(field) berisi karakter ganti baris (CR/LF) atau NUL.",
            english: "The \(field) contains a line break (CR/LF) or NUL.")
    }
}

/// Whether any character of `text` is white space (`Character.isWhitespace`). ASCII text is decided
/// by its bytes: there, every character is one byte (or CR LF, white space either way), and the
/// white space ones are tab, LF, VT, FF, CR and space.
func containsWhitespace(_ text: String) -> Bool {
    var ascii = true
    for byte in text.utf8 {
        if byte >= 0x80 {
            ascii = false
            break
        }
        if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { return true }
    }
    return ascii ? false : text.contains(where: \.isWhitespace)
}
