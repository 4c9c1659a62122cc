package import DapodikAccounts
package import DapodikLanguage

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// The notice sent to the *old* address when an operator changes an account's verified e-mail
/// address, so a holder whose address was changed behind their back finds out and can act.
///
/// It shows the new address masked (``maskedNewAddress``), who changed it and when, in the
/// school's time zone, and what to do if the change was not wanted. It holds no link.
package struct AddressChangeNotice: Sendable, Hashable, Codable {
    /// The old, verified address, with the account holder's name as display name.
    public var recipient: Mailbox
    /// The account's user name.
    public var username: String
    /// The address the account now uses.
    public var newAddress: EmailAddress
    /// Who made the change, as people know them: `Siti Aminah (Operator Sekolah)`.
    public var changedBy: String
    /// When the change was made.
    public var changedAt: Date
    /// The school's name.
    public var schoolName: String
    /// The school's NPSN, as text.
    public var npsn: String
    /// The school's time zone, in which ``changedAt`` is written.
    public var timeZone: SchoolTimeZone
    /// The language of the notice: Indonesian unless the reader asked for English.
    public var language: Language

    /// Creates the input of an address-change notice.
    /// - Parameters:
    ///   - recipient: The old address and the holder's name.
    ///   - username: The account's user name.
    ///   - newAddress: The new address.
    ///   - changedBy: Who made the change.
    ///   - changedAt: When.
    ///   - schoolName: The school's name.
    ///   - npsn: The school's NPSN.
    ///   - timeZone: The school's time zone.
    ///   - language: The language; Indonesian by default.
    public init(
        recipient: Mailbox, username: String, newAddress: EmailAddress, changedBy: String, changedAt: Date,
        schoolName: String, npsn: String, timeZone: SchoolTimeZone, language: Language = .default
    ) {
        self.recipient = recipient
        self.username = username
        self.newAddress = newAddress
        self.changedBy = changedBy
        self.changedAt = changedAt
        self.schoolName = schoolName
        self.npsn = npsn
        self.timeZone = timeZone
        self.language = language
    }

    /// The new address as the notice shows it: ``EmailAddress/masked`` (`b•••@gmail.com`), the same
    /// mask the rest of the library uses. The holder recognises an address of their own; a stranger
    /// who reads the old mailbox learns neither the new mailbox's name nor its length.
    public var maskedNewAddress: String { newAddress.masked }

    /// The subject of the notice.
    public var subject: String {
        switch language {
        case .indonesian: "Alamat email akun Dapodik Anda telah diubah"
        case .english: "The e-mail address of your Dapodik account was changed"
        }
    }

    /// The notice, ready to render.
    /// - Parameters:
    ///   - sender: The From mailbox.
    ///   - replyTo: Where replies go, if anywhere but the sender.
    ///   - date: The date of the message, usually now.
    ///   - messageID: A Message-ID kept stable across retries, or `nil` for a random one.
    /// - Returns: The message with a plain-text and an HTML body, dated in the school's zone.
    /// - Throws: ``MailError`` with code ``MailError/Code/invalidTemplateInput`` when a text holds
    ///   CR, LF or NUL. Non-ASCII names are *not* errors.
    public func message(
        from sender: Mailbox, replyTo: Mailbox? = nil, date: Date, messageID: MessageID? = nil
    ) throws(MailError) -> MailMessage {
        for (value, field) in [
            (username, "username"), (schoolName, "schoolName"), (npsn, "npsn"), (changedBy, "changedBy"),
            (recipient.displayName ?? "", "name"),
        ] {
            try checkTemplateText(value, field: field)
        }
        let name = HeaderSyntax.normalizedDisplayName(recipient.displayName ?? "")
        let greetingName = name.isEmpty ? username : name
        let when = timeZone.formattedDateTime(changedAt, language: language)
        let lines: [String]
        switch language {
        case .indonesian:
            lines = [
                "Yth. \(greetingName),",
                "Alamat email akun Dapodik Anda (nama pengguna: \(username)) di \(schoolName) (NPSN \(npsn)) "
                    + "telah diubah menjadi \(maskedNewAddress) oleh \(changedBy) pada \(when).",
                "Mulai sekarang email dari Dapodik untuk akun ini dikirim ke alamat baru tersebut, tidak lagi ke "
                    + "alamat ini.",
                "Jika perubahan ini memang Anda ketahui, Anda tidak perlu melakukan apa pun. Jika tidak, segera "
                    + "hubungi operator sekolah atau kepala sekolah Anda agar alamat email Anda dipulihkan.",
                "Email ini dikirim otomatis; balasan ke email ini tidak dibaca.",
            ]
        case .english:
            lines = [
                "Dear \(greetingName),",
                "The e-mail address of your Dapodik account (user name: \(username)) at \(schoolName) "
                    + "(NPSN \(npsn)) was changed to \(maskedNewAddress) by \(changedBy) on \(when).",
                "From now on, Dapodik e-mail for this account goes to the new address, no longer to this one.",
                "If you knew of this change, there is nothing to do. If not, contact your school's operator or "
                    + "principal at once so your address can be restored.",
                "This e-mail was sent automatically; replies to it are not read.",
            ]
        }
        let text = lines.dropLast().joined(separator: "\n\n") + "\n\n-- \n" + lines.last! + "\n"
        let paragraphs =
            lines.dropLast().map { "<p>\(escapeHTML($0))</p>" }
            + ["<p style=\"color:#777;font-size:12px\">\(escapeHTML(lines.last!))</p>"]
        return MailMessage(
            from: sender, to: [recipient], replyTo: replyTo, subject: subject, textBody: text,
            htmlBody: htmlDocument(language: language.rawValue, title: subject, paragraphs: paragraphs), date: date,
            dateSecondsFromUTC: timeZone.secondsFromUTC, messageID: messageID)
    }
}
