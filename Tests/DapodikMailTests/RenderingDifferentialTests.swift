import DapodikAccounts
import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikMail

/// The cheap renderer and templates (issue 15) against the old ones kept in `Oracle/`: the same bytes
/// for the same inputs, the same errors for bad ones, on fixed edge cases and on seeded random
/// inputs (so a failure repeats).
struct RenderingDifferentialTests {
    @Test("quoted-printable writes what the old encoder wrote, on edge cases and random bodies")
    func quotedPrintable() {
        var inputs = [
            "", "\n", "\r", "\r\n", "\n\n", "a\r\r\nb", "\r\n\r\n", "a", "a\n", "=", ".", "F", "From ", " ", "\t",
        ]
        // Every soft-break position around the tokens whose encoding depends on the column.
        for length in 60...80 {
            for tail in [".", "From x", "From", " ", "\t", " x", "=", "é", "🏫", "F", ".x", "\u{7F}", "\0"] {
                inputs.append(String(repeating: "a", count: length) + tail)
                inputs.append(String(repeating: "a", count: length) + tail + "\n" + tail)
                inputs.append(String(repeating: "é", count: length / 2) + tail + "\r\n")
            }
        }
        var random = RandomMail(generator: SeededGenerator(seed: 15))
        for _ in 0..<1500 { inputs.append(random.body()) }
        var tricky = TrickyText(generator: SeededGenerator(seed: 1515))
        for _ in 0..<1500 { inputs.append(tricky.text(maximumLength: 300, lineBreaks: true)) }
        for input in inputs {
            var out = Array("prefix".utf8)
            QuotedPrintable.encode(input, appendingTo: &out)
            #expect(out == Array(("prefix" + LegacyQuotedPrintable.encode(input)).utf8), "\(input.debugDescription)")
        }
    }

    @Test("HTML escaping matches character by character, combining and prepended marks beside & < > \" ' included")
    func htmlEscaping() {
        var inputs = [
            "", "&", "<b>", "\"'", "&\u{301}", "\u{600}&", "<\u{338}", "a<\u{200D}b", "x'\u{FE0F}", "\u{301}&",
            "é&é", "&é", "é&", "Zoë & Budi's <sekolah>", "🏫&🏫", "&&&", "\r\n&\r\n",
        ]
        var tricky = TrickyText(generator: SeededGenerator(seed: 4))
        for _ in 0..<4000 { inputs.append(tricky.text(maximumLength: 40, lineBreaks: true)) }
        for input in inputs {
            #expect(escapeHTML(input) == legacyEscapeHTML(input), "\(input.debugDescription)")
        }
        let paragraphs = inputs.prefix(50).map { "<p>" + escapeHTML($0) + "</p>" }
        #expect(
            htmlDocument(language: "id", title: "A & B", paragraphs: paragraphs)
                == legacyHTMLDocument(language: "id", title: "A & B", paragraphs: paragraphs))
    }

    @Test("display names, phrases and unstructured values are tokenized as before")
    func headerSyntax() {
        var inputs = RandomMail.names + ["", " ", "\t", " a  b\t\tc ", "a\u{301} b", " \u{301}b", "a \u{301}"]
        var random = RandomMail(generator: SeededGenerator(seed: 2047))
        var tricky = TrickyText(generator: SeededGenerator(seed: 5322))
        for _ in 0..<1500 {
            inputs.append(random.text(maximumLength: random.int(0...120)))
            inputs.append(tricky.text(maximumLength: 90, lineBreaks: false))
            inputs.append(tricky.asciiText(maximumLength: 100))
        }
        for input in inputs {
            #expect(
                HeaderSyntax.normalizedDisplayName(input) == LegacyHeaderSyntax.normalizedDisplayName(input),
                "\(input.debugDescription)")
            for room in [1, 12, 40, 66, 70, 75, 80] {
                #expect(
                    HeaderSyntax.isPlain(input, firstRoom: room) == LegacyHeaderSyntax.isPlain(input, firstRoom: room),
                    "\(input.debugDescription) room \(room)")
                #expect(
                    HeaderSyntax.phraseTokens(input, firstRoom: room)
                        == LegacyHeaderSyntax.phraseTokens(input, firstRoom: room), "\(input.debugDescription)")
                #expect(
                    HeaderSyntax.unstructuredTokens(input, firstRoom: room)
                        == LegacyHeaderSyntax.unstructuredTokens(input, firstRoom: room), "\(input.debugDescription)")
            }
        }
        for byte in UInt8.min...UInt8.max {
            #expect(HeaderSyntax.isAtext(byte) == LegacyHeaderSyntax.isAtext(byte), "byte \(byte)")
        }
    }

    @Test("dates and times are written digit for digit as before, years before 1 and after 9999 included")
    func datesAndTimes() {
        var generator = SeededGenerator(seed: 3339)
        var instants: [Double] = [
            0, -1, 59.999, 86_399.5, -62_135_596_800, -62_167_219_200, -62_167_219_201, 253_402_300_800,
        ]
        for _ in 0..<3000 {
            instants.append(Double(Int64.random(in: -80_000_000_000...80_000_000_000, using: &generator)))
        }
        for _ in 0..<1000 { instants.append(Double.random(in: 1_700_000_000...1_900_000_000, using: &generator)) }
        for instant in instants {
            let date = Date(timeIntervalSince1970: instant)
            let offset = Int.random(in: -5999...5999, using: &generator) * 60
            var out: [UInt8] = []
            CivilTime(date, secondsFromUTC: offset).appendRFC5322(to: &out)
            #expect(
                String(decoding: out, as: UTF8.self) == LegacyCivilTime(date, secondsFromUTC: offset).rfc5322,
                "\(instant) at \(offset)")
            for zone in SchoolTimeZone.allCases {
                for language in Language.allCases {
                    #expect(
                        zone.formattedDateTime(date, language: language)
                            == legacyFormattedDateTime(date, zone: zone, language: language), "\(instant)")
                    #expect(
                        zone.formattedTime(date, language: language)
                            == legacyFormattedTime(date, zone: zone, language: language), "\(instant)")
                }
            }
        }
    }

    @Test("Message-IDs are accepted and refused as before; random hex draws the same digits from the same source")
    func messageIDs() {
        var tricky = TrickyText(generator: SeededGenerator(seed: 5322_364))
        var inputs = [
            "a@b", "<a@b>", ".a@b", "a.@b", "a..b@c", "a.b@c.d", "@b", "a@", "<>", "<a@b", "a@b@c", "a@b\r\n",
            // Read byte by byte since issue 15: marks that join a bracket or the @ into one character.
            "<\u{301}a@b>", "<a@b>\u{301}", "<a@b\u{301}>", "a@\u{301}b", "a\u{301}@b", "<<a@b>>", "<a@b>>", "<@>",
            "\u{FEFF}<a@b>", "<a@b>\u{FEFF}", "<a@\u{338}b>", "<", ">", "<a>", "a@b>", "<a@b@c>", "<é@b>",
        ]
        for left in ["<", "", "a", "<a"] {
            for mark in ["\u{301}", "\u{338}", "\u{200D}", "\u{FE0F}", "\u{600}", "é", "🇮🇩"] {
                inputs += [left + mark + "@b>", "<" + left + "@" + mark + ">", "<a" + mark + "@b" + ">" + mark]
            }
        }
        for _ in 0..<3000 {
            let left =
                tricky.generator.next() % 3 == 0
                ? tricky.text(maximumLength: 12, lineBreaks: false) : tricky.asciiText(maximumLength: 12)
            let right = tricky.asciiText(maximumLength: 12)
            inputs.append(left + "@" + right)
            inputs.append("<" + left + "@" + right + ">")
        }
        inputs.append(String(repeating: "a", count: 240) + "@" + String(repeating: "b", count: 9))
        inputs.append(String(repeating: "a", count: 240) + "@" + String(repeating: "b", count: 10))
        for input in inputs {
            #expect((try? MessageID(input))?.value == legacyMessageID(input), "\(input.debugDescription)")
        }
        var one = ByteDrawingSource(SeededGenerator(seed: 16))
        var other = SeededGenerator(seed: 16)
        for count in [0, 1, 8, 16, 33] {
            #expect(randomHex(byteCount: count, using: &one) == legacyRandomHex(byteCount: count, using: &other))
        }
        // One request for the whole hex string: one getrandom(2) from the kernel (none for 0 bytes).
        #expect(one.requests == [0, 1, 8, 16, 33])
    }

    @Test("random messages render to the same bytes, with the same boundary from the same seed, or fail alike")
    func renderedMessages() throws {
        var random = RandomMail(generator: SeededGenerator(seed: 822))
        var tricky = TrickyText(generator: SeededGenerator(seed: 2822))
        for index in 0..<1500 {
            var (message, _) = random.message(index: index)
            if message.messageID == nil { message.messageID = try MessageID("random.\(index)@sekolah.example") }
            if index % 3 == 0 { message.textBody = tricky.text(maximumLength: 500, lineBreaks: true) }
            if index % 5 == 0 { message.to[0].displayName = tricky.text(maximumLength: 60, lineBreaks: false) }
            if index % 7 == 0 { message.subject = tricky.text(maximumLength: 120, lineBreaks: false) }
            if index % 11 == 0 {
                message.extraHeaders.append(
                    MailHeaderField(name: "X-Tricky", value: tricky.text(maximumLength: 80, lineBreaks: false)))
            }
            if index % 13 == 0 { message.subject += "\r\nBcc: x@y" }
            if index % 17 == 0 { message.extraHeaders.append(MailHeaderField(name: "Date", value: "now")) }
            if index % 19 == 0 { message.extraHeaders.append(MailHeaderField(name: "Bad Name", value: "x")) }
            if index % 23 == 0 { message.dateSecondsFromUTC = 7 * 3600 + 30 }
            if index % 29 == 0 { message.to = [] }
            try expectSameRendering(of: message, seed: UInt64(index))
        }
    }

    @Test(
        "the verification e-mail is the same message and the same bytes as before, for every language and purpose",
        arguments: Language.allCases, VerificationMail.Purpose.allCases)
    func verificationMail(language: Language, purpose: VerificationMail.Purpose) throws {
        var random = RandomMail(
            generator: SeededGenerator(
                seed: 1_500 + UInt64(language == .english ? 1 : 0) * 2 + (purpose == .staffVerification ? 1 : 0)))
        var tricky = TrickyText(generator: SeededGenerator(seed: 15_015))
        let sender = Mailbox(try EmailAddress("noreply@dapodik.example"), displayName: "Dapodik")
        for index in 0..<400 {
            var mail = VerificationMail(
                purpose: purpose, recipient: random.mailbox(), username: random.pick(RandomMail.addresses),
                schoolName: random.pick(["SD Negeri 1 Wamena", "SMP \"Bina Bangsa\" & Rekan", "Madrasah Al-Mu'min"]),
                npsn: random.pick(["20100101", "P9990001", "60301234"]), code: String(random.int(100_000...999_999)),
                codeOrdinal: random.int(1...12),
                expiresAt: Date(timeIntervalSince1970: Double(random.int(-100_000_000...4_102_444_800))),
                timeZone: random.pick(SchoolTimeZone.allCases), language: language)
            switch index % 8 {
            case 0: mail.recipient.displayName = tricky.text(maximumLength: 50, lineBreaks: false)
            case 1: mail.username = tricky.text(maximumLength: 30, lineBreaks: false)
            case 2: mail.schoolName = tricky.text(maximumLength: 60, lineBreaks: false)
            case 3: mail.npsn = tricky.text(maximumLength: 10, lineBreaks: false)
            case 4:
                mail.code = random.pick(["<b>1</b>", "&#39;", "1'2\"3", "", "12 34", "\u{301}&", "123\n4", "1\u{0}"])
            case 5: mail.codeOrdinal = random.int(-2...1)
            case 6: mail.recipient.displayName = tricky.text(maximumLength: 30, lineBreaks: true)
            default: break
            }
            let date = Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800)))
            let messageID = try MessageID("v\(index)@dapodik.example")
            let new = Result { () throws(MailError) in try mail.message(from: sender, date: date, messageID: messageID)
            }
            let old = Result { () throws(MailError) in
                try LegacyVerificationMail(mail: mail).message(from: sender, date: date, messageID: messageID)
            }
            #expect(new == old, "\(mail)")
            if case .success(let message) = new { try expectSameRendering(of: message, seed: UInt64(index)) }
        }
    }

    @Test("the address-change notice is the same message and the same bytes as before", arguments: Language.allCases)
    func addressChangeNotice(language: Language) throws {
        var random = RandomMail(generator: SeededGenerator(seed: 7_1 + (language == .english ? 1 : 0)))
        var tricky = TrickyText(generator: SeededGenerator(seed: 7_100))
        let sender = Mailbox(try EmailAddress("noreply@dapodik.example"), displayName: "Dapodik")
        for index in 0..<300 {
            var notice = AddressChangeNotice(
                recipient: random.mailbox(), username: random.pick(RandomMail.addresses),
                newAddress: try EmailAddress(random.pick(RandomMail.addresses)),
                changedBy: random.pick(RandomMail.names) + " (Operator Sekolah)",
                changedAt: Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800))),
                schoolName: "SD Negeri \(index) <Contoh> & 'Rekan'", npsn: "20100101",
                timeZone: random.pick(SchoolTimeZone.allCases), language: language)
            switch index % 5 {
            case 0: notice.changedBy = tricky.text(maximumLength: 50, lineBreaks: index % 10 == 0)
            case 1: notice.recipient.displayName = tricky.text(maximumLength: 50, lineBreaks: false)
            case 2: notice.schoolName = tricky.text(maximumLength: 50, lineBreaks: false)
            default: break
            }
            let date = Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800)))
            let new = Result { () throws(MailError) in try notice.message(from: sender, date: date) }
            let old = Result { () throws(MailError) in try legacyNoticeMessage(notice, from: sender, date: date) }
            #expect(new == old, "\(notice)")
            if case .success(var message) = new {
                message.messageID = try MessageID("n\(index)@dapodik.example")
                try expectSameRendering(of: message, seed: UInt64(index))
            }
        }
    }

    /// Renders `message` with the new and the old renderer from two generators of the same seed.
    private func expectSameRendering(of message: MailMessage, seed: UInt64) throws {
        var one = ByteDrawingSource(SeededGenerator(seed: seed))
        var other = SeededGenerator(seed: seed)
        let new = Result { () throws(MailError) in try message.rendered(using: &one) }
        let old = Result { () throws(MailError) in try legacyRendered(message, using: &other) }
        #expect(new == old, "\(message)")
        // The boundary of a multipart message is one request of 16 bytes; a plain one draws nothing.
        if case .success = new { #expect(one.requests == (message.htmlBody == nil ? [] : [16])) }
    }

    /// The old `MessageID.init` validation, on the old dot-atom check.
    private func legacyMessageID(_ string: String) -> String? {
        guard (try? legacyCheckHeaderInput(string, field: "Message-ID")) != nil else { return nil }
        var text = Substring(string)
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2 { text = text.dropFirst().dropLast() }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, legacyIsDotAtom(parts[0]), legacyIsDotAtom(parts[1]), text.utf8.count <= 250 else {
            return nil
        }
        return String(text)
    }
}

/// Random text made of what breaks byte-level shortcuts: the five HTML specials, combining marks
/// (U+0301, U+0338), ZWJ and variation selectors after them, prepended marks (U+0600) before them,
/// regional indicators, emoji, non-ASCII letters, `=?`, dots, `From `, runs of spaces and tabs.
struct TrickyText {
    var generator: SeededGenerator

    static let pieces = [
        "&", "<", ">", "\"", "'", "\u{301}", "\u{338}", "\u{200D}", "\u{FE0F}", "\u{600}", "\u{D4E}", "🇮🇩", "🇮", "👩🏽‍🏫",
        "🏫", "é", "e\u{301}", "Ñ", "中", "ꦱ", "=?", "?=", "=", "?", ".", "From ", "F", " ", "  ", "\t", "_", "\\",
        "a", "Budi", "Siti", "x", "0", "@", "(", ")", ",", ":", ";", "\u{7F}", "\u{85}", "\u{A0}",
        String(repeating: "b", count: 70), String(repeating: "é", count: 30),
    ]
    static let asciiPieces = [
        "a", "Z", "0", ".", "..", "-", "_", "!", "#", "$", "%", "&", "'", "*", "+", "/", "=", "?", "^", "`", "{",
        "|", "}", "~", " ", "  ", "\t", "\"", "\\", "(", ")", "<", ">", ",", ";", ":", "@", "[", "]", "=?",
        String(repeating: "k", count: 40),
    ]

    mutating func text(maximumLength: Int, lineBreaks: Bool) -> String {
        var out = ""
        let target = Int.random(in: 0...maximumLength, using: &generator)
        while out.unicodeScalars.count < target {
            if lineBreaks && Int.random(in: 0..<12, using: &generator) == 0 {
                out += ["\n", "\r\n", "\r", "\0"][Int.random(in: 0..<4, using: &generator)]
            } else {
                out += Self.pieces[Int.random(in: 0..<Self.pieces.count, using: &generator)]
            }
        }
        return out
    }

    mutating func asciiText(maximumLength: Int) -> String {
        var out = ""
        let target = Int.random(in: 0...maximumLength, using: &generator)
        while out.utf8.count < target {
            out += Self.asciiPieces[Int.random(in: 0..<Self.asciiPieces.count, using: &generator)]
        }
        return out
    }
}
