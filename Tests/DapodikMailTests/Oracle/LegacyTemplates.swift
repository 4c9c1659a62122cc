// The templates as they were before issue 15 made them cheap (main at e21e494), word for word apart
// from names: the oracle of the differential tests. Test target only.

import DapodikAccounts
import DapodikLanguage
import Foundation

@testable import DapodikMail

func legacyFormattedDateTime(_ date: Date, zone: SchoolTimeZone, language: Language) -> String {
    let time = LegacyCivilTime(date, secondsFromUTC: zone.secondsFromUTC)
    switch language {
    case .indonesian:
        let days = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"]
        let months = [
            "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
            "November", "Desember",
        ]
        return "\(days[time.weekday]), \(time.day) \(months[time.month - 1]) \(time.year) "
            + "pukul \(legacyPad(time.hour)).\(legacyPad(time.minute)) \(zone.abbreviation)"
    case .english:
        let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let months = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        return "\(days[time.weekday]), \(time.day) \(months[time.month - 1]) \(time.year) "
            + "at \(legacyPad(time.hour)):\(legacyPad(time.minute)) \(zone.abbreviation) (UTC+\(zone.secondsFromUTC / 3600))"
    }
}

func legacyFormattedTime(_ date: Date, zone: SchoolTimeZone, language: Language) -> String {
    let time = LegacyCivilTime(date, secondsFromUTC: zone.secondsFromUTC)
    switch language {
    case .indonesian:
        return "\(legacyPad(time.hour)).\(legacyPad(time.minute)) \(zone.abbreviation)"
    case .english:
        return
            "\(legacyPad(time.hour)):\(legacyPad(time.minute)) \(zone.abbreviation) (UTC+\(zone.secondsFromUTC / 3600))"
    }
}

func legacyCheckTemplateText(_ value: String, field: String) throws(MailError) {
    for scalar in value.unicodeScalars where scalar == "\r" || scalar == "\n" || scalar.value == 0 {
        throw MailError(
            .invalidTemplateInput, field: field,
            indonesian: "Isian \(field) berisi karakter ganti baris (CR/LF) atau NUL.",
            english: "The \(field) contains a line break (CR/LF) or NUL.")
    }
}

/// `VerificationMail` as it was: subject, content and `message(from:replyTo:date:messageID:)`.
struct LegacyVerificationMail {
    var mail: VerificationMail

    var subject: String {
        let resent = mail.codeOrdinal > 1
        let codeOrdinal = mail.codeOrdinal
        switch (mail.language, mail.purpose) {
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

    func message(
        from sender: Mailbox, replyTo: Mailbox? = nil, date: Date, messageID: MessageID? = nil
    ) throws(MailError) -> MailMessage {
        try legacyCheckTemplateText(mail.code, field: "code")
        guard !mail.code.isEmpty, !mail.code.contains(where: \.isWhitespace) else {
            throw MailError(
                .invalidTemplateInput, field: "code", indonesian: "Kode verifikasi kosong atau berisi spasi.",
                english: "The verification code is empty or contains spaces.")
        }
        guard mail.codeOrdinal >= 1 else {
            throw MailError(
                .invalidTemplateInput, field: "codeOrdinal", indonesian: "Urutan kode harus 1 atau lebih.",
                english: "The code's ordinal must be 1 or more.")
        }
        for (value, field) in [
            (mail.username, "username"), (mail.schoolName, "schoolName"), (mail.npsn, "npsn"),
            (mail.recipient.displayName ?? "", "name"),
        ] {
            try legacyCheckTemplateText(value, field: field)
        }
        let content = mail.language == .indonesian ? indonesianContent() : englishContent()
        return MailMessage(
            from: sender, to: [mail.recipient], replyTo: replyTo, subject: subject, textBody: content.text,
            htmlBody: content.html, date: date, dateSecondsFromUTC: mail.timeZone.secondsFromUTC, messageID: messageID)
    }

    var greetingName: String {
        let name = LegacyHeaderSyntax.normalizedDisplayName(mail.recipient.displayName ?? "")
        return name.isEmpty ? mail.username : name
    }

    private var expiry: String { legacyFormattedDateTime(mail.expiresAt, zone: mail.timeZone, language: mail.language) }

    private var codeParagraph: String {
        "<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;font-family:'Courier New',monospace;"
            + "margin:24px 0\">\(legacyEscapeHTML(mail.code))</p>"
    }

    func indonesianContent() -> (text: String, html: String) {
        let role = mail.purpose == .operatorVerification ? "Operator Sekolah" : "PTK"
        let intro = "Berikut kode verifikasi email untuk akun \(role) Anda di Dapodik:"
        let validity = "Kode ini berlaku sampai \(expiry)."
        let account = "Nama pengguna: \(mail.username)"
        let school = "Sekolah: \(mail.schoolName) (NPSN \(mail.npsn))"
        let howTo = "Ketik kode ini pada kolom Kode Verifikasi di halaman yang sedang Anda buka, lalu klik SIMPAN."
        let resent =
            mail.codeOrdinal > 1
            ? "Ini adalah kode ke-\(mail.codeOrdinal) untuk verifikasi ini. Kode sebelumnya yang belum kedaluwarsa "
                + "tetap dapat dipakai; cukup masukkan salah satunya." : nil
        let notAsked =
            mail.purpose == .operatorVerification
            ? "Jika Anda tidak meminta kode ini, abaikan email ini: tanpa kode ini alamat email Anda tidak akan "
                + "terhubung ke akun mana pun."
            : "Jika Anda tidak meminta kode ini, abaikan email ini: tanpa kode ini alamat email Anda tidak akan "
                + "terverifikasi. Jika alamat ini didaftarkan tanpa sepengetahuan Anda, beri tahu operator sekolah."
        let secret = "Jangan berikan kode ini kepada siapa pun, termasuk yang mengaku petugas Dapodik."
        let automatic = "Email ini dikirim otomatis; balasan ke email ini tidak dibaca."
        return content(
            greeting: "Yth. \(greetingName),", intro: intro, validity: validity, details: [account, school],
            howTo: howTo, resent: resent, notAsked: notAsked, secret: secret, automatic: automatic, lang: "id")
    }

    func englishContent() -> (text: String, html: String) {
        let role = mail.purpose == .operatorVerification ? "school operator" : "staff (PTK)"
        let intro = "Here is the e-mail verification code for your Dapodik \(role) account:"
        let validity = "This code is valid until \(expiry)."
        let account = "User name: \(mail.username)"
        let school = "School: \(mail.schoolName) (NPSN \(mail.npsn))"
        let howTo =
            "Type this code into the Kode Verifikasi (verification code) field on the page you have open, then "
            + "click SIMPAN (save)."
        let resent =
            mail.codeOrdinal > 1
            ? "This is code no. \(mail.codeOrdinal) for this verification. Earlier codes that have not expired still "
                + "work; enter any one of them." : nil
        let notAsked =
            mail.purpose == .operatorVerification
            ? "If you did not ask for this code, ignore this e-mail: without the code your address will not be "
                + "linked to any account."
            : "If you did not ask for this code, ignore this e-mail: without the code your address will not be "
                + "verified. If this address was registered without your knowledge, tell your school's operator."
        let secret = "Do not give this code to anyone, including people who say they are Dapodik staff."
        let automatic = "This e-mail was sent automatically; replies to it are not read."
        return content(
            greeting: "Dear \(greetingName),", intro: intro, validity: validity, details: [account, school],
            howTo: howTo, resent: resent, notAsked: notAsked, secret: secret, automatic: automatic, lang: "en")
    }

    private func content(
        greeting: String, intro: String, validity: String, details: [String], howTo: String, resent: String?,
        notAsked: String, secret: String, automatic: String, lang: String
    ) -> (text: String, html: String) {
        var text = "\(greeting)\n\n\(intro)\n\n\(mail.code)\n\n\(validity)\n\n"
        text += details.joined(separator: "\n") + "\n\n\(howTo)\n\n"
        if let resent { text += "\(resent)\n\n" }
        text += "\(notAsked)\n\n\(secret)\n\n-- \n\(automatic)\n"

        var paragraphs = [
            "<p>\(legacyEscapeHTML(greeting))</p>", "<p>\(legacyEscapeHTML(intro))</p>", codeParagraph,
            "<p><strong>\(legacyEscapeHTML(validity))</strong></p>",
            "<p>" + details.map(legacyEscapeHTML).joined(separator: "<br>\n") + "</p>",
            "<p>\(legacyEscapeHTML(howTo))</p>",
        ]
        if let resent { paragraphs.append("<p>\(legacyEscapeHTML(resent))</p>") }
        paragraphs += [
            "<p>\(legacyEscapeHTML(notAsked))</p>", "<p>\(legacyEscapeHTML(secret))</p>",
            "<p style=\"color:#777;font-size:12px\">\(legacyEscapeHTML(automatic))</p>",
        ]
        return (text, legacyHTMLDocument(language: lang, title: subject, paragraphs: paragraphs))
    }
}

/// `AddressChangeNotice.message(from:replyTo:date:messageID:)` as it was.
func legacyNoticeMessage(
    _ notice: AddressChangeNotice, from sender: Mailbox, replyTo: Mailbox? = nil, date: Date,
    messageID: MessageID? = nil
) throws(MailError) -> MailMessage {
    for (value, field) in [
        (notice.username, "username"), (notice.schoolName, "schoolName"), (notice.npsn, "npsn"),
        (notice.changedBy, "changedBy"), (notice.recipient.displayName ?? "", "name"),
    ] {
        try legacyCheckTemplateText(value, field: field)
    }
    let name = LegacyHeaderSyntax.normalizedDisplayName(notice.recipient.displayName ?? "")
    let greetingName = name.isEmpty ? notice.username : name
    let when = legacyFormattedDateTime(notice.changedAt, zone: notice.timeZone, language: notice.language)
    let (username, schoolName, npsn, changedBy) = (notice.username, notice.schoolName, notice.npsn, notice.changedBy)
    let maskedNewAddress = notice.newAddress.masked
    let lines: [String]
    switch notice.language {
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
        lines.dropLast().map { "<p>\(legacyEscapeHTML($0))</p>" }
        + ["<p style=\"color:#777;font-size:12px\">\(legacyEscapeHTML(lines.last!))</p>"]
    return MailMessage(
        from: sender, to: [notice.recipient], replyTo: replyTo, subject: notice.subject, textBody: text,
        htmlBody: legacyHTMLDocument(language: notice.language.rawValue, title: notice.subject, paragraphs: paragraphs),
        date: date, dateSecondsFromUTC: notice.timeZone.secondsFromUTC, messageID: messageID)
}
