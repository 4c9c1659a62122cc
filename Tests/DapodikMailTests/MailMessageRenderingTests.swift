import DapodikAccounts
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

struct MailMessageRenderingTests {
    @Test(
        "random messages parse back with Python's email package, without defects and unchanged", .requires(.python3))
    func randomMessagesParseBack() throws {
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = RandomMail(generator: SeededGenerator(seed: seed))
        var cases: [PythonMailChecker.Case] = []
        for index in 0..<300 {
            let (message, code) = random.message(index: index)
            let rendered = try message.rendered()
            if let fixed = message.messageID { #expect(rendered.messageID == fixed) }
            cases.append(PythonMailChecker.Case(message: message, rendered: rendered, code: code))
        }
        let report = try PythonMailChecker.check(cases)
        #expect(report.checked == cases.count)
        #expect(report.failures.isEmpty, "seed \(seed): \(report.failures.prefix(20).joined(separator: "\n"))")
    }

    @Test("no line is over 998 octets, header lines fold near 78, body lines stay within 76, all CRLF")
    func lineLengths() throws {
        var random = RandomMail(generator: SeededGenerator(seed: 42))
        for index in 0..<100 {
            let rendered = try random.message(index: index).0.rendered()
            #expect(rendered.bytes.allSatisfy { $0 < 0x80 }, "the message is 7-bit")
            let text = rendered.text
            #expect(text.hasSuffix("\r\n"))
            let lines = text.components(separatedBy: "\r\n").dropLast()
            #expect(lines.allSatisfy { !$0.contains("\r") && !$0.contains("\n") }, "no bare CR or LF")
            let headerEnd = lines.firstIndex(of: "")!
            for line in lines[..<headerEnd] {
                // RFC 2047 §2: a line with an encoded-word is at most 76 characters. Otherwise only
                // a single unbreakable token (a long address) may pass 78.
                if line.contains("=?UTF-8?") {
                    #expect(line.utf8.count <= 76, "encoded-word line: \(line)")
                } else {
                    let tokens = line.split(separator: " ").filter { !$0.hasSuffix(":") }
                    #expect(line.utf8.count <= 78 || tokens.count == 1, "unfolded header: \(line)")
                }
            }
            for line in lines[headerEnd...] {
                #expect(line.utf8.count <= 76, "body line of \(line.utf8.count) octets")
                #expect(!line.hasPrefix("."), "a body line starts with a dot")
                #expect(!line.hasPrefix("From "), "a body line starts with From")
            }
        }
    }

    @Test("the header carries Date in English with a numeric zone, Message-ID, Auto-Submitted and MIME-Version")
    func standardHeader() throws {
        let message = MailMessage(
            from: Mailbox(try EmailAddress("noreply@dapodik.example"), displayName: "Dapodik"),
            to: [Mailbox(try EmailAddress("budi@sdn1.sch.id"), displayName: "Budi Santoso")],
            replyTo: Mailbox(try EmailAddress("help@dapodik.example")), subject: "Kode verifikasi",
            textBody: "Halo", date: Date(timeIntervalSince1970: 1_795_922_220), dateSecondsFromUTC: 7 * 3600,
            extraHeaders: [MailHeaderField(name: "X-Dapodik-Purpose", value: "staff")])
        let rendered = try message.rendered()
        let header = rendered.text.components(separatedBy: "\r\n\r\n")[0].components(separatedBy: "\r\n")
        #expect(header.contains("Date: Sun, 29 Nov 2026 10:17:00 +0700"))
        #expect(header.contains("From: Dapodik <noreply@dapodik.example>"))
        #expect(header.contains("To: Budi Santoso <budi@sdn1.sch.id>"))
        #expect(header.contains("Reply-To: help@dapodik.example"))
        #expect(header.contains("Subject: Kode verifikasi"))
        #expect(header.contains("Auto-Submitted: auto-generated"))
        #expect(header.contains("MIME-Version: 1.0"))
        #expect(header.contains("X-Dapodik-Purpose: staff"))
        #expect(header.contains("Content-Type: text/plain; charset=UTF-8"))
        #expect(header.contains("Content-Transfer-Encoding: quoted-printable"))
        #expect(header.contains("Message-ID: \(rendered.messageID)"))
        #expect(rendered.messageID.value.hasSuffix("@dapodik.example"))
        #expect(rendered.plainText == "Halo\n")
    }

    @Test("each rendering without a fixed Message-ID gets a fresh random one; a fixed one is kept")
    func messageIDs() throws {
        var message = MailMessage(
            from: Mailbox(try EmailAddress("noreply@dapodik.example")), to: [Mailbox(try EmailAddress("a@b.example"))],
            subject: "x", textBody: "y", date: Date(timeIntervalSince1970: 0))
        let first = try message.rendered().messageID
        let second = try message.rendered().messageID
        #expect(first != second)
        #expect(first.value.count == 32 + "@dapodik.example".count)
        message.messageID = try MessageID("<outbox-17@dapodik.example>")
        #expect(try message.rendered().messageID.value == "outbox-17@dapodik.example")
        #expect(try message.rendered().text.contains("Message-ID: <outbox-17@dapodik.example>\r\n"))
    }

    // Expected values from Python's datetime.strftime("%a, %d %b %Y %H:%M:%S %z").
    @Test(
        "dates are written with English names whatever the instant",
        arguments: [
            (0.0, 0, "Thu, 1 Jan 1970 00:00:00 +0000"),
            (951_782_400.0, 0, "Tue, 29 Feb 2000 00:00:00 +0000"),
            (1_795_960_800.0, 7 * 3600, "Sun, 29 Nov 2026 21:00:00 +0700"),
            (1_795_960_800.0, 9 * 3600, "Sun, 29 Nov 2026 23:00:00 +0900"),
            (1_795_975_200.0, 9 * 3600, "Mon, 30 Nov 2026 03:00:00 +0900"),
            (1_795_975_200.0, -(5 * 3600 + 1800), "Sun, 29 Nov 2026 12:30:00 -0530"),
            (-86_400.5, 0, "Tue, 30 Dec 1969 23:59:59 +0000"),
        ])
    func dates(seconds: Double, offset: Int, expected: String) throws {
        let message = MailMessage(
            from: Mailbox(try EmailAddress("a@b.example")), to: [Mailbox(try EmailAddress("c@d.example"))],
            subject: "x", textBody: "y", date: Date(timeIntervalSince1970: seconds), dateSecondsFromUTC: offset)
        #expect(try message.rendered().text.contains("Date: \(expected)\r\n"))
    }

    @Test("a multipart message puts text/plain first and text/html second, and reads back its text")
    func multipart() throws {
        let message = MailMessage(
            from: Mailbox(try EmailAddress("a@b.example")), to: [Mailbox(try EmailAddress("c@d.example"))],
            subject: "Kode", textBody: "Kode Anda:\n\n482913\n\nSalam ✓", htmlBody: "<p>482913</p>",
            date: Date(timeIntervalSince1970: 0))
        let text = try message.rendered().text
        let plain = try #require(text.firstRange(of: "Content-Type: text/plain; charset=UTF-8"))
        let html = try #require(text.firstRange(of: "Content-Type: text/html; charset=UTF-8"))
        #expect(plain.lowerBound < html.lowerBound)
        #expect(text.replacing("\r\n ", with: " ").contains("Content-Type: multipart/alternative; boundary=\"=_"))
        #expect(try message.rendered().plainText == "Kode Anda:\n\n482913\n\nSalam ✓\n")
    }
}
