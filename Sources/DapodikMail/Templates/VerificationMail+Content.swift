// The words of the verification e-mail, in Indonesian and English.

struct MailContent {
    var text: String
    var html: String
}

extension VerificationMail {
    private var expiry: String { timeZone.formattedDateTime(expiresAt, language: language) }

    private var codeParagraph: String {
        "<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;font-family:'Courier New',monospace;"
            + "margin:24px 0\">\(escapeHTML(code))</p>"
    }

    func indonesianContent() -> MailContent {
        let role = purpose == .operatorVerification ? "Operator Sekolah" : "PTK"
        let intro = "Berikut kode verifikasi email untuk akun \(role) Anda di Dapodik:"
        let validity = "Kode ini berlaku sampai \(expiry)."
        let account = "Nama pengguna: \(username)"
        let school = "Sekolah: \(schoolName) (NPSN \(npsn))"
        let howTo = "Ketik kode ini pada kolom Kode Verifikasi di halaman yang sedang Anda buka, lalu klik SIMPAN."
        let resent =
            codeOrdinal > 1
            ? "Ini adalah kode ke-\(codeOrdinal) untuk verifikasi ini. Kode sebelumnya yang belum kedaluwarsa "
                + "tetap dapat dipakai; cukup masukkan salah satunya." : nil
        let notAsked =
            purpose == .operatorVerification
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

    func englishContent() -> MailContent {
        let role = purpose == .operatorVerification ? "school operator" : "staff (PTK)"
        let intro = "Here is the e-mail verification code for your Dapodik \(role) account:"
        let validity = "This code is valid until \(expiry)."
        let account = "User name: \(username)"
        let school = "School: \(schoolName) (NPSN \(npsn))"
        let howTo = "Type this code into the Verification Code field on the page you have open, then click SAVE."
        let resent =
            codeOrdinal > 1
            ? "This is code no. \(codeOrdinal) for this verification. Earlier codes that have not expired still "
                + "work; enter any one of them." : nil
        let notAsked =
            purpose == .operatorVerification
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
    ) -> MailContent {
        var text = "\(greeting)\n\n\(intro)\n\n\(code)\n\n\(validity)\n\n"
        text += details.joined(separator: "\n") + "\n\n\(howTo)\n\n"
        if let resent { text += "\(resent)\n\n" }
        text += "\(notAsked)\n\n\(secret)\n\n-- \n\(automatic)\n"

        var paragraphs = [
            "<p>\(escapeHTML(greeting))</p>", "<p>\(escapeHTML(intro))</p>", codeParagraph,
            "<p><strong>\(escapeHTML(validity))</strong></p>",
            "<p>" + details.map(escapeHTML).joined(separator: "<br>\n") + "</p>", "<p>\(escapeHTML(howTo))</p>",
        ]
        if let resent { paragraphs.append("<p>\(escapeHTML(resent))</p>") }
        paragraphs += [
            "<p>\(escapeHTML(notAsked))</p>", "<p>\(escapeHTML(secret))</p>",
            "<p style=\"color:#777;font-size:12px\">\(escapeHTML(automatic))</p>",
        ]
        return MailContent(text: text, html: htmlDocument(language: lang, title: subject, paragraphs: paragraphs))
    }
}
