import DapodikAccounts
import DapodikMail
import Foundation
import Testing

@Suite("ReceivedMessage: reading a message back")
struct ReceivedMessageTests {
    static func message(_ lines: [String], separator: String = "\r\n") -> ReceivedMessage {
        ReceivedMessage(bytes: Array(lines.joined(separator: separator).utf8))
    }

    static let multipart = [
        "To: =?UTF-8?Q?Budi_Santoso_=E2=9C=93?=",
        " <budi@gmail.com>",
        "Subject: =?UTF-8?B?S29kZSB2ZXJpZmlrYXNp?= =?UTF-8?Q?_Dapodik?= =?x",
        "Content-Type: multipart/alternative; boundary=\"b1\"; x=y",
        "",
        "preamble",
        "--b1",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>999999</p>",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Yth. Budi,",
        "",
        "482913",
        "dipotong di sini =",
        "dan disambung =E2=9C=93 a=3Db",
        "",
        "--b1--",
        "",
    ]

    @Test("unfolds and decodes header fields and reads the first text/plain part, without the CRLF of the boundary")
    func multipartMessage() {
        let message = Self.message(Self.multipart)
        #expect(message.headers.map(\.name) == ["To", "Subject", "Content-Type"])
        #expect(message.header("to") == "Budi Santoso ✓ <budi@gmail.com>")
        #expect(message.header("SUBJECT") == "Kode verifikasi Dapodik =?x")
        #expect(message.header("Date") == nil)
        #expect(message.plainText == "Yth. Budi,\n\n482913\ndipotong di sini dan disambung ✓ a=b\n")
    }

    @Test("reads bare LF line ends like CRLF")
    func bareLineFeeds() {
        #expect(Self.message(Self.multipart, separator: "\n") == Self.message(Self.multipart))
    }

    @Test(
        "reads base64, 7bit and 8bit bodies and gives nil for others",
        arguments: [
            ("base64", "SGFsbyDinJMNCg==", "Halo ✓\n" as String?),
            ("7bit", "Halo\r\n", "Halo\n"),
            ("8bit", "Halo ✓", "Halo ✓"),
            ("x-uuencode", "Halo", nil),
            ("base64", "***", nil),
        ])
    func encodings(encoding: String, body: String, expected: String?) {
        let message = Self.message(["Content-Type: text/plain", "Content-Transfer-Encoding: \(encoding)", "", body])
        #expect(message.plainText == expected)
    }

    @Test(
        "has no plain text without a text/plain part or without a body",
        arguments: [
            ["Content-Type: text/html", "", "<p>x</p>"],
            ["Content-Type: multipart/alternative", "", "--b", "", "x", "--b--"],
            ["Subject: no body"],
        ])
    func noPlainText(lines: [String]) {
        #expect(Self.message(lines).plainText == nil)
    }

    @Test("a message without Content-Type is text/plain in 7bit (RFC 2045 §5.2)")
    func defaults() {
        #expect(Self.message(["Subject: x", "", "482913"]).plainText == "482913")
    }

    @Test("reads back what the library rendered: headers and text")
    func renderedRoundTrip() throws {
        let message = MailMessage(
            from: Mailbox(try EmailAddress("noreply@dapodik.example")),
            to: [Mailbox(try EmailAddress("budi@gmail.com"), displayName: "Budi Santoso ✓")],
            subject: "Kode verifikasi ✓ yang cukup panjang sehingga baris kepala harus dilipat dua kali",
            textBody: "Kode Anda:\n\n482913\n", htmlBody: "<p>482913</p>", date: Date(timeIntervalSince1970: 0))
        let rendered = try message.rendered()
        let received = ReceivedMessage(bytes: rendered.bytes)
        #expect(received.header("Subject") == message.subject)
        #expect(received.header("To") == "Budi Santoso ✓ <budi@gmail.com>")
        #expect(received.plainText == "Kode Anda:\n\n482913\n")
        #expect(rendered.plainText == received.plainText)
    }
}
