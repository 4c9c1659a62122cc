import DapodikAccounts
import DapodikLanguage
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

struct VerificationMailTests {
    /// 2026-11-29 03:17:42 UTC: 10.17 WIB, 11.17 WITA, 12.17 WIT, a Sunday.
    static let expiry = Date(timeIntervalSince1970: 1_795_922_262)
    static let sender = Mailbox(try! EmailAddress("noreply@dapodik.example"), displayName: "Dapodik")

    static func mail(
        purpose: VerificationMail.Purpose = .staffVerification, ordinal: Int = 1, zone: SchoolTimeZone = .wib,
        language: Language = .indonesian, school: String = "SD Negeri 1 Wamena"
    ) throws -> VerificationMail {
        VerificationMail(
            purpose: purpose, recipient: Mailbox(try EmailAddress("siti@gmail.com"), displayName: "Siti Nurhaliza"),
            username: "siti@gmail.com", schoolName: school, npsn: "60301234", code: "482913",
            codeOrdinal: ordinal, expiresAt: expiry, timeZone: zone, language: language)
    }

    static func render(_ mail: VerificationMail) throws -> (MailMessage, RenderedMessage) {
        let message = try mail.message(from: sender, date: expiry.addingTimeInterval(-1800))
        return (message, try message.rendered())
    }

    @Test(
        "the code stands alone on its line in every language and purpose",
        arguments: Language.allCases, VerificationMail.Purpose.allCases)
    func codeAlone(language: Language, purpose: VerificationMail.Purpose) throws {
        let (_, rendered) = try Self.render(try Self.mail(purpose: purpose, language: language))
        let lines = try #require(rendered.plainText).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("482913"))
        #expect(!rendered.text.lowercased().contains("http"), "no link that could use the code up")
    }

    @Test(
        "the expiry is written with its date in the school's time zone",
        arguments: [
            (SchoolTimeZone.wib, "Minggu, 29 November 2026 pukul 10.17 WIB", "+0700"),
            (.wita, "Minggu, 29 November 2026 pukul 11.17 WITA", "+0800"),
            (.wit, "Minggu, 29 November 2026 pukul 12.17 WIT", "+0900"),
        ])
    func expiryInZone(zone: SchoolTimeZone, expected: String, offset: String) throws {
        let (_, rendered) = try Self.render(try Self.mail(zone: zone))
        let text = try #require(rendered.plainText)
        #expect(text.contains("Kode ini berlaku sampai \(expected)."))
        #expect(
            rendered.text.contains(
                "Date: Sun, 29 Nov 2026 \(zone == .wib ? "09" : zone == .wita ? "10" : "11"):47:42 \(offset)"))
    }

    @Test("English says the same in English, with the zone's UTC offset")
    func english() throws {
        let (message, rendered) = try Self.render(try Self.mail(purpose: .operatorVerification, language: .english))
        let text = try #require(rendered.plainText)
        #expect(text.contains("This code is valid until Sunday, 29 November 2026 at 10:17 WIB (UTC+7)."))
        #expect(text.contains("School: SD Negeri 1 Wamena (NPSN 60301234)"))
        #expect(text.contains("If you did not ask for this code"))
        // The screen keeps Dapodik's names in English too: the mail names them as the screen shows them.
        #expect(text.contains("into the Kode Verifikasi (verification code) field"))
        #expect(text.contains("then click SIMPAN (save)."))
        #expect(message.subject == "Your Dapodik school operator verification code")
        #expect(message.htmlBody?.contains("<html lang=\"en\">") == true)
    }

    @Test("a resent code says which code it is and that earlier unexpired codes still work")
    func resent() throws {
        let (message, rendered) = try Self.render(try Self.mail(ordinal: 2))
        let text = try #require(rendered.plainText)
        #expect(message.subject.hasSuffix("(kode ke-2)"))
        #expect(text.contains("Ini adalah kode ke-2 untuk verifikasi ini."))
        #expect(text.contains("Kode sebelumnya yang belum kedaluwarsa tetap dapat dipakai"))
        let (first, firstRendered) = try Self.render(try Self.mail(ordinal: 1))
        #expect(!first.subject.contains("ke-"))
        #expect(try #require(firstRendered.plainText).contains("kode ke-") == false)
        let (english, _) = try Self.render(try Self.mail(ordinal: 3, language: .english))
        #expect(english.textBody.contains("This is code no. 3 for this verification."))
    }

    @Test("the account, the school and what to do if not asked are stated")
    func content() throws {
        let (message, _) = try Self.render(try Self.mail())
        #expect(message.textBody.hasPrefix("Yth. Siti Nurhaliza,\n"))
        #expect(message.textBody.contains("Nama pengguna: siti@gmail.com"))
        #expect(message.textBody.contains("Sekolah: SD Negeri 1 Wamena (NPSN 60301234)"))
        #expect(message.textBody.contains("Jika Anda tidak meminta kode ini, abaikan email ini"))
        #expect(message.textBody.contains("beri tahu operator sekolah"))
        #expect(message.to.map(\.address.value) == ["siti@gmail.com"])
        #expect(message.dateSecondsFromUTC == 7 * 3600)
    }

    @Test("the HTML escapes everything that comes from input")
    func htmlEscaping() throws {
        let hostile = "<script>alert('x')</script> & \"Sekolah\""
        let (message, _) = try Self.render(try Self.mail(school: hostile))
        let html = try #require(message.htmlBody)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Sekolah&quot;"))
        #expect(html.contains(">482913</p>"))
        #expect(message.textBody.contains(hostile), "the text body carries the name as it is")
    }

    @Test("bad template input is refused")
    func badInput() throws {
        var mail = try Self.mail()
        mail.code = ""
        #expect(throws: MailError.self) { try mail.message(from: Self.sender, date: Self.expiry) }
        mail.code = "482 913"
        #expect(throws: MailError.self) { try mail.message(from: Self.sender, date: Self.expiry) }
        mail = try Self.mail(ordinal: 0)
        #expect(throws: MailError.self) { try mail.message(from: Self.sender, date: Self.expiry) }
        mail = try Self.mail(school: "SD 1\nKode: 000000")
        #expect(throws: MailError.self) { try mail.message(from: Self.sender, date: Self.expiry) }
    }

    @Test("every template variant parses back with Python's email package, code readable", .requires(.python3))
    func pythonParsesTemplates() throws {
        var cases: [PythonMailChecker.Case] = []
        for language in Language.allCases {
            for purpose in VerificationMail.Purpose.allCases {
                for ordinal in [1, 2] {
                    let (message, rendered) = try Self.render(
                        try Self.mail(purpose: purpose, ordinal: ordinal, language: language))
                    cases.append(PythonMailChecker.Case(message: message, rendered: rendered, code: "482913"))
                }
            }
            let notice = try AddressChangeNoticeTests.notice(language: language)
                .message(from: Self.sender, date: Self.expiry)
            cases.append(PythonMailChecker.Case(message: notice, rendered: try notice.rendered(), code: nil))
        }
        let report = try PythonMailChecker.check(cases)
        #expect(report.checked == cases.count)
        #expect(report.failures.isEmpty, "\(report.failures.joined(separator: "\n"))")
    }
}

struct AddressChangeNoticeTests {
    static func notice(language: Language = .indonesian, newAddress: String = "budi.santoso@gmail.com") throws
        -> AddressChangeNotice
    {
        AddressChangeNotice(
            recipient: Mailbox(try EmailAddress("budi@sdn1.sch.id"), displayName: "Budi Santoso"),
            username: "budi@sdn1.sch.id", newAddress: try EmailAddress(newAddress),
            changedBy: "Siti Aminah (Operator Sekolah)", changedAt: VerificationMailTests.expiry,
            schoolName: "SD Negeri 1 Wamena", npsn: "60301234", timeZone: .wit, language: language)
    }

    @Test("the new address is masked as everywhere in the library")
    func masked() throws {
        let notice = try Self.notice()
        #expect(notice.maskedNewAddress == "b•••@gmail.com")
        #expect(notice.maskedNewAddress == notice.newAddress.masked)
    }

    @Test("the notice says who changed the address, to what, and when, in the school's zone")
    func content() throws {
        let message = try Self.notice().message(from: VerificationMailTests.sender, date: VerificationMailTests.expiry)
        #expect(message.to.map(\.address.value) == ["budi@sdn1.sch.id"])
        #expect(message.textBody.contains("telah diubah menjadi b•••@gmail.com oleh Siti Aminah (Operator Sekolah)"))
        #expect(message.textBody.contains("pada Minggu, 29 November 2026 pukul 12.17 WIT."))
        #expect(!message.textBody.contains("budi.santoso@gmail.com"))
        #expect(!(message.htmlBody ?? "").contains("budi.santoso@gmail.com"))
        let english = try Self.notice(language: .english)
            .message(from: VerificationMailTests.sender, date: VerificationMailTests.expiry)
        #expect(
            english.textBody.contains("was changed to b•••@gmail.com by Siti Aminah (Operator Sekolah) on Sunday"))
    }
}
