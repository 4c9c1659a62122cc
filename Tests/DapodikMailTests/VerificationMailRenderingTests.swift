import DapodikAccounts
import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikMail

/// The verification e-mail rendered straight to bytes, its fixed lines in quoted-printable prepared once
/// (issue 15), against the old templates and renderer kept in `Oracle/`: the same bytes, boundary and
/// envelope for the same inputs and seed, the same error for bad input.
struct VerificationMailRenderingTests {
    @Test(
        "rendered straight to bytes: the same message as the old template rendered by the old renderer",
        arguments: Language.allCases, VerificationMail.Purpose.allCases)
    func sameBytesAsTheOldTemplateAndRenderer(language: Language, purpose: VerificationMail.Purpose) throws {
        let seed: UInt64 = 9_150 + (language == .english ? 2 : 0) + (purpose == .staffVerification ? 1 : 0)
        var random = RandomMail(generator: SeededGenerator(seed: seed))
        var tricky = TrickyText(generator: SeededGenerator(seed: seed * 7))
        let senders = [
            Mailbox(try EmailAddress("noreply@dapodik.example"), displayName: "Dapodik"),
            Mailbox(try EmailAddress("verifikasi@sekolah.example"), displayName: nil),
            Mailbox(try EmailAddress("a@b.example"), displayName: "Pusat Data & Informasi \"Kemdikbud\" Élève"),
        ]
        var rendered = 0
        for index in 0..<600 {
            var mail = VerificationMail(
                purpose: purpose, recipient: random.mailbox(), username: random.pick(RandomMail.addresses),
                schoolName: random.pick([
                    "SD Negeri 1 Wamena", "SMP \"Bina Bangsa\" & Rekan", "Madrasah Al-Mu'min",
                    "SMA Katolik Santo Fransiskus Xaverius Ruteng, Manggarai, Nusa Tenggara Timur — Kampus Utama",
                ]),
                npsn: random.pick(["20100101", "P9990001", "60301234"]), code: String(random.int(100_000...999_999)),
                codeOrdinal: random.chance(50) ? 1 : random.int(2...12),
                expiresAt: Date(timeIntervalSince1970: Double(random.int(-100_000_000...4_102_444_800))),
                timeZone: SchoolTimeZone.allCases[index % SchoolTimeZone.allCases.count], language: language)
            switch index % 10 {
            case 0: mail.recipient.displayName = tricky.text(maximumLength: 50, lineBreaks: false)
            case 1: mail.username = tricky.text(maximumLength: 90, lineBreaks: false)
            case 2: mail.schoolName = tricky.text(maximumLength: 200, lineBreaks: false)
            case 3: mail.npsn = tricky.text(maximumLength: 10, lineBreaks: false)
            case 4:
                mail.code = random.pick([
                    "<b>1</b>", "&#39;", "1'2\"3", "", "12 34", "\u{301}&", "123\n4", "1\u{0}", "12\u{A0}3",
                    "1\u{2003}",
                    "1\u{85}", "=", "From", ".", String(repeating: "9", count: 90),
                ])
            case 5: mail.codeOrdinal = random.int(-2...1)
            case 6: mail.recipient.displayName = tricky.text(maximumLength: 30, lineBreaks: true)
            case 7: mail.recipient.displayName = String(repeating: "Ñandú ", count: random.int(5...20))
            default: break
            }
            let sender = senders[index % senders.count]
            let replyTo = index % 4 == 0 ? senders[(index + 1) % senders.count] : nil
            let date = Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800)))
            let messageID = index % 9 == 0 ? nil : try MessageID("v\(index)@dapodik.example")

            var source = ByteDrawingSource(SeededGenerator(seed: UInt64(index)))
            var generator = SeededGenerator(seed: UInt64(index))
            let new = Result { () throws(MailError) in
                try mail.rendered(from: sender, replyTo: replyTo, date: date, messageID: messageID, using: &source)
            }
            let old = Result { () throws(MailError) in
                let message = try LegacyVerificationMail(mail: mail).message(
                    from: sender, replyTo: replyTo, date: date, messageID: messageID)
                return (try legacyRendered(message, using: &generator), message.envelope)
            }
            switch (new, old) {
            case (.success(let new), .success(let old)):
                rendered += 1
                if messageID == nil {
                    // A random Message-ID: compare everything else.
                    #expect(new.message.bytes.count == old.0.bytes.count)
                    #expect(new.message.messageID.value.hasSuffix("@dapodik.example"))
                } else {
                    #expect(new.message == old.0, "\(mail)")
                }
                #expect(new.envelope == old.1)
                #expect(source.requests == [16])
            case (.failure(let new), .failure(let old)):
                #expect(new == old, "\(mail)")
            default:
                Issue.record("one renders, the other fails: \(new) \(old) for \(mail)")
            }
        }
        #expect(rendered > 400)
    }

    @Test("the bodies as text are what the old templates wrote")
    func bodiesAsText() throws {
        var random = RandomMail(generator: SeededGenerator(seed: 915))
        var tricky = TrickyText(generator: SeededGenerator(seed: 9150))
        for index in 0..<400 {
            let mail = VerificationMail(
                purpose: random.pick(VerificationMail.Purpose.allCases),
                recipient: Mailbox(
                    try EmailAddress(random.pick(RandomMail.addresses)),
                    displayName: tricky.text(maximumLength: 40, lineBreaks: false)),
                username: tricky.text(maximumLength: 40, lineBreaks: false),
                schoolName: tricky.text(maximumLength: 120, lineBreaks: false), npsn: "20100101",
                code: String(random.int(100_000...999_999)), codeOrdinal: random.int(1...4),
                expiresAt: Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800))),
                timeZone: random.pick(SchoolTimeZone.allCases), language: random.pick(Language.allCases))
            let legacy = LegacyVerificationMail(mail: mail)
            let old = mail.language == .indonesian ? legacy.indonesianContent() : legacy.englishContent()
            let new = mail.content()
            #expect(new.text == old.text, "\(index)")
            #expect(new.html == old.html, "\(index)")
        }
    }

    @Test("white space in a code is found as Character.isWhitespace finds it, ASCII by its bytes")
    func whitespaceInCodes() {
        var inputs = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        inputs += (0..<128).map { "12" + String(UnicodeScalar(UInt8($0))) + "34" }
        inputs += ["", "\r\n", "1\r\n2", "\u{85}", "\u{A0}", "\u{2028}", "\u{3000}", "1\u{301} ", " \u{301}", "é1"]
        var tricky = TrickyText(generator: SeededGenerator(seed: 2045))
        for _ in 0..<2000 { inputs.append(tricky.text(maximumLength: 12, lineBreaks: true)) }
        for input in inputs {
            #expect(containsWhitespace(input) == input.contains(where: \.isWhitespace), "\(input.debugDescription)")
        }
    }
}
