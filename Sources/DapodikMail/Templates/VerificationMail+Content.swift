// The words of the verification e-mail, in Indonesian and English.

internal import DapodikLanguage

struct MailContent {
    var text: String
    var html: String
}

/// The fixed words of the verification e-mail in one language for one purpose, prepared once: each
/// as the plain-text body writes it and, escaped, as the HTML body does. Only the name, the account,
/// the school, the code, the expiry and the code's ordinal are filled in per message.
struct VerificationWording: Sendable {
    /// `lang` of the HTML document.
    var htmlLanguage: String
    /// Before the name in the greeting: `Yth. `.
    var greeting: String
    var intro: Phrase
    /// Before the expiry: `Kode ini berlaku sampai `.
    var validity: String
    /// Before the user name: `Nama pengguna: `.
    var username: String
    /// Before the school's name: `Sekolah: `.
    var school: String
    var howTo: Phrase
    /// Before the code's ordinal, when a code was resent: `Ini adalah kode ke-`.
    var resentBeforeOrdinal: Phrase
    /// After the code's ordinal.
    var resentAfterOrdinal: Phrase
    var notAsked: Phrase
    var secret: Phrase
    var automatic: Phrase

    /// A fixed sentence, as written in the text and in the HTML.
    struct Phrase: Sendable {
        var text: String
        var html: String

        init(_ text: String) {
            self.text = text
            self.html = escapeHTML(text)
        }
    }

    /// The wording for `language` and `purpose`.
    static func of(_ language: Language, _ purpose: VerificationMail.Purpose) -> VerificationWording {
        switch (language, purpose) {
        case (.indonesian, .operatorVerification): indonesianOperator
        case (.indonesian, .staffVerification): indonesianStaff
        case (.english, .operatorVerification): englishOperator
        case (.english, .staffVerification): englishStaff
        }
    }

    private static let indonesianOperator = indonesian(role: "Operator Sekolah", notAsked: indonesianNotAskedOperator)
    private static let indonesianStaff = indonesian(role: "PTK", notAsked: indonesianNotAskedStaff)
    private static let englishOperator = english(role: "school operator", notAsked: englishNotAskedOperator)
    private static let englishStaff = english(role: "staff (PTK)", notAsked: englishNotAskedStaff)

    private static let indonesianNotAskedOperator =
        "Jika Anda tidak meminta kode ini, abaikan email ini: tanpa kode ini alamat email Anda tidak akan "
        + "terhubung ke akun mana pun."
    private static let indonesianNotAskedStaff =
        "Jika Anda tidak meminta kode ini, abaikan email ini: tanpa kode ini alamat email Anda tidak akan "
        + "terverifikasi. Jika alamat ini didaftarkan tanpa sepengetahuan Anda, beri tahu operator sekolah."
    private static let englishNotAskedOperator =
        "If you did not ask for this code, ignore this e-mail: without the code your address will not be "
        + "linked to any account."
    private static let englishNotAskedStaff =
        "If you did not ask for this code, ignore this e-mail: without the code your address will not be "
        + "verified. If this address was registered without your knowledge, tell your school's operator."

    private static func indonesian(role: String, notAsked: String) -> VerificationWording {
        VerificationWording(
            htmlLanguage: "id", greeting: "Yth. ",
            intro: Phrase("Berikut kode verifikasi email untuk akun \(role) Anda di Dapodik:"),
            validity: "Kode ini berlaku sampai ", username: "Nama pengguna: ", school: "Sekolah: ",
            howTo: Phrase(
                "Ketik kode ini pada kolom Kode Verifikasi di halaman yang sedang Anda buka, lalu klik SIMPAN."),
            resentBeforeOrdinal: Phrase("Ini adalah kode ke-"),
            resentAfterOrdinal: Phrase(
                " untuk verifikasi ini. Kode sebelumnya yang belum kedaluwarsa "
                    + "tetap dapat dipakai; cukup masukkan salah satunya."),
            notAsked: Phrase(notAsked),
            secret: Phrase("Jangan berikan kode ini kepada siapa pun, termasuk yang mengaku petugas Dapodik."),
            automatic: Phrase("Email ini dikirim otomatis; balasan ke email ini tidak dibaca."))
    }

    private static func english(role: String, notAsked: String) -> VerificationWording {
        VerificationWording(
            htmlLanguage: "en", greeting: "Dear ",
            intro: Phrase("Here is the e-mail verification code for your Dapodik \(role) account:"),
            validity: "This code is valid until ", username: "User name: ", school: "School: ",
            howTo: Phrase(
                "Type this code into the Verification Code field on the page you have open, then click SAVE."),
            resentBeforeOrdinal: Phrase("This is code no. "),
            resentAfterOrdinal: Phrase(
                " for this verification. Earlier codes that have not expired still "
                    + "work; enter any one of them."),
            notAsked: Phrase(notAsked),
            secret: Phrase("Do not give this code to anyone, including people who say they are Dapodik staff."),
            automatic: Phrase("This e-mail was sent automatically; replies to it are not read."))
    }
}

extension VerificationMail {
    /// The plain-text and HTML bodies, in ``language``.
    ///
    /// The fixed words come from ``VerificationWording``; what is filled in is escaped on its own. The
    /// words around each filled-in value are ASCII and none of `&<>"'`, so escaping the value alone
    /// gives what escaping the whole sentence would.
    func content() -> MailContent {
        let wording = VerificationWording.of(language, purpose)
        let name = greetingName
        let expiry = timeZone.formattedDateTime(expiresAt, language: language)
        let ordinal = codeOrdinal > 1 ? String(codeOrdinal) : nil

        var text = ""
        text.reserveCapacity(1024 + name.utf8.count + username.utf8.count + schoolName.utf8.count)
        text += wording.greeting
        text += name
        text += ",\n\n"
        text += wording.intro.text
        text += "\n\n"
        text += code
        text += "\n\n"
        text += wording.validity
        text += expiry
        text += ".\n\n"
        text += wording.username
        text += username
        text += "\n"
        text += wording.school
        text += schoolName
        text += " (NPSN "
        text += npsn
        text += ")\n\n"
        text += wording.howTo.text
        text += "\n\n"
        if let ordinal {
            text += wording.resentBeforeOrdinal.text
            text += ordinal
            text += wording.resentAfterOrdinal.text
            text += "\n\n"
        }
        text += wording.notAsked.text
        text += "\n\n"
        text += wording.secret.text
        text += "\n\n-- \n"
        text += wording.automatic.text
        text += "\n"

        var html = htmlDocumentStart(
            language: wording.htmlLanguage, title: subject, capacity: 2048 + 2 * text.utf8.count)
        html += "<p>"
        html += wording.greeting
        html += escapeHTML(name)
        html += ",</p>\n<p>"
        html += wording.intro.html
        html += "</p>\n<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;"
        html += "font-family:'Courier New',monospace;margin:24px 0\">"
        html += escapeHTML(code)
        html += "</p>\n<p><strong>"
        html += wording.validity
        html += escapeHTML(expiry)
        html += ".</strong></p>\n<p>"
        html += wording.username
        html += escapeHTML(username)
        html += "<br>\n"
        html += wording.school
        html += escapeHTML(schoolName)
        html += " (NPSN "
        html += escapeHTML(npsn)
        html += ")</p>\n<p>"
        html += wording.howTo.html
        html += "</p>\n"
        if let ordinal {
            html += "<p>"
            html += wording.resentBeforeOrdinal.html
            html += ordinal
            html += wording.resentAfterOrdinal.html
            html += "</p>\n"
        }
        html += "<p>"
        html += wording.notAsked.html
        html += "</p>\n<p>"
        html += wording.secret.html
        html += "</p>\n<p style=\"color:#777;font-size:12px\">"
        html += wording.automatic.html
        html += "</p>\n"
        html += htmlDocumentEnd
        return MailContent(text: text, html: html)
    }
}
