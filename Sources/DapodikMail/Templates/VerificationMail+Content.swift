// The words of the verification e-mail, in Indonesian and English.

internal import DapodikLanguage

struct MailContent {
    var text: String
    var html: String
}

/// The fixed words of the verification e-mail in one language for one purpose, prepared once: the
/// words next to a filled-in value as text (escaped once for the HTML body, where it differs), and
/// the runs of whole lines without any value as ``PreparedLines``, already in quoted-printable. Only
/// the name, the account, the school, the code, the expiry and the code's ordinal are filled in per
/// message.
struct VerificationWording: Sendable {
    /// Before the name in the greeting: `Yth. `.
    var greeting: String
    /// Before the expiry: `Kode ini berlaku sampai `.
    var validity: String
    /// Before the user name: `Nama pengguna: `.
    var username: String
    /// Before the school's name: `Sekolah: `.
    var school: String
    /// Before the code's ordinal, when a code was resent: `Ini adalah kode ke-`.
    var resentBeforeOrdinal: Phrase
    /// After the code's ordinal.
    var resentAfterOrdinal: Phrase
    /// The text body's lines after the greeting's: a blank line, the introduction, a blank line.
    var textIntro: PreparedLines
    /// The text body's lines after the school's: a blank line, how to use the code, a blank line.
    var textHowTo: PreparedLines
    /// The text body's last lines: what to do if not asked, keep it secret, the signature.
    var textEnd: PreparedLines
    /// The HTML body's first lines, before the title's.
    var htmlHead: PreparedLines
    /// The HTML body's lines from the end of the head to the greeting's.
    var htmlBodyStart: PreparedLines
    /// The HTML body's introduction line.
    var htmlIntro: PreparedLines
    /// The HTML body's line on how to use the code.
    var htmlHowTo: PreparedLines
    /// The HTML body's last lines, the end of the document included.
    var htmlEnd: PreparedLines

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
                "Type this code into the Kode Verifikasi (verification code) field on the page you have open, "
                    + "then click SIMPAN (save)."),
            resentBeforeOrdinal: Phrase("This is code no. "),
            resentAfterOrdinal: Phrase(
                " for this verification. Earlier codes that have not expired still "
                    + "work; enter any one of them."),
            notAsked: Phrase(notAsked),
            secret: Phrase("Do not give this code to anyone, including people who say they are Dapodik staff."),
            automatic: Phrase("This e-mail was sent automatically; replies to it are not read."))
    }

    /// The wording from its sentences, the runs of fixed lines laid out and encoded once.
    private init(
        htmlLanguage: String, greeting: String, intro: Phrase, validity: String, username: String, school: String,
        howTo: Phrase, resentBeforeOrdinal: Phrase, resentAfterOrdinal: Phrase, notAsked: Phrase, secret: Phrase,
        automatic: Phrase
    ) {
        self.greeting = greeting
        self.validity = validity
        self.username = username
        self.school = school
        self.resentBeforeOrdinal = resentBeforeOrdinal
        self.resentAfterOrdinal = resentAfterOrdinal
        textIntro = PreparedLines("\n" + intro.text + "\n\n")
        textHowTo = PreparedLines("\n" + howTo.text + "\n\n")
        textEnd = PreparedLines(
            notAsked.text + "\n\n" + secret.text + "\n\n-- \n" + automatic.text + "\n")
        htmlHead = PreparedLines(htmlDocumentHead(language: htmlLanguage))
        htmlBodyStart = PreparedLines(DapodikMail.htmlBodyStart)
        htmlIntro = PreparedLines("<p>" + intro.html + "</p>\n")
        htmlHowTo = PreparedLines("<p>" + howTo.html + "</p>\n")
        htmlEnd = PreparedLines(
            "<p>" + notAsked.html + "</p>\n<p>" + secret.html + "</p>\n<p style=\"color:#777;font-size:12px\">"
                + automatic.html + "</p>\n" + htmlDocumentEnd)
    }
}

extension VerificationMail {
    /// What a message fills into its wording, worked out once for both bodies.
    struct FilledIn {
        var wording: VerificationWording
        var name: String
        var expiry: String
        /// The code's ordinal, written only when a code was resent.
        var ordinal: String?
    }

    /// The plain-text and HTML bodies, in ``language``.
    func content() -> MailContent {
        let values = filledIn()
        var text = PlainBodyWriter()
        var html = PlainBodyWriter()
        writeText(values, to: &text)
        writeHTML(values, to: &html)
        return MailContent(text: text.text, html: html.text)
    }

    /// The wording of ``language`` and ``purpose`` and the values this message fills in.
    func filledIn() -> FilledIn {
        FilledIn(
            wording: VerificationWording.of(language, purpose), name: greetingName,
            expiry: timeZone.formattedDateTime(expiresAt, language: language),
            ordinal: codeOrdinal > 1 ? String(codeOrdinal) : nil)
    }

    /// Writes the plain-text body. The text written before each of the wording's prepared lines ends
    /// with a line break, as ``MailBodyWriter`` requires.
    func writeText(_ values: FilledIn, to text: inout some MailBodyWriter) {
        let wording = values.wording
        text.append(wording.greeting)
        text.append(values.name)
        text.append(",\n")
        text.append(wording.textIntro)
        text.append(code)
        text.append("\n\n")
        text.append(wording.validity)
        text.append(values.expiry)
        text.append(".\n\n")
        text.append(wording.username)
        text.append(username)
        text.append("\n")
        text.append(wording.school)
        text.append(schoolName)
        text.append(" (NPSN ")
        text.append(npsn)
        text.append(")\n")
        text.append(wording.textHowTo)
        if let ordinal = values.ordinal {
            text.append(wording.resentBeforeOrdinal.text)
            text.append(ordinal)
            text.append(wording.resentAfterOrdinal.text)
            text.append("\n\n")
        }
        text.append(wording.textEnd)
    }

    /// Writes the HTML body.
    ///
    /// What is filled in is escaped on its own. The words around each filled-in value are ASCII and
    /// none of `&<>"'`, so escaping the value alone gives what escaping the whole sentence would.
    func writeHTML(_ values: FilledIn, to html: inout some MailBodyWriter) {
        let wording = values.wording
        html.append(wording.htmlHead)
        html.append("<title>")
        html.append(escapeHTML(subject))
        html.append("</title>\n")
        html.append(wording.htmlBodyStart)
        html.append("<p>")
        html.append(wording.greeting)
        html.append(escapeHTML(values.name))
        html.append(",</p>\n")
        html.append(wording.htmlIntro)
        html.append("<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;")
        html.append("font-family:'Courier New',monospace;margin:24px 0\">")
        html.append(escapeHTML(code))
        html.append("</p>\n<p><strong>")
        html.append(wording.validity)
        html.append(escapeHTML(values.expiry))
        html.append(".</strong></p>\n<p>")
        html.append(wording.username)
        html.append(escapeHTML(username))
        html.append("<br>\n")
        html.append(wording.school)
        html.append(escapeHTML(schoolName))
        html.append(" (NPSN ")
        html.append(escapeHTML(npsn))
        html.append(")</p>\n")
        html.append(wording.htmlHowTo)
        if let ordinal = values.ordinal {
            html.append("<p>")
            html.append(wording.resentBeforeOrdinal.html)
            html.append(ordinal)
            html.append(wording.resentAfterOrdinal.html)
            html.append("</p>\n")
        }
        html.append(wording.htmlEnd)
    }
}
