import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

@testable import dapodik_verify

@Suite("mailbox: reading the Maildir")
struct MailboxTests {
    static let multipart = [
        "Date: Sun, 29 Nov 2026 10:02:00 +0700",
        "From: Dapodik <noreply@dapodik.example>",
        "To: =?UTF-8?Q?Budi_Santoso_=E2=9C=93?=",
        " <budi@gmail.com>",
        "Subject: =?UTF-8?B?S29kZSB2ZXJpZmlrYXNp?= =?UTF-8?Q?_Dapodik?=",
        "Message-ID: <abc@dapodik.example>",
        "MIME-Version: 1.0",
        "Content-Type: multipart/alternative; boundary=\"b1\"",
        "",
        "--b1",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Yth. Budi,",
        "",
        "482913",
        "",
        "Berlaku sampai pukul 10.32 WIB. Kata yang sangat panjang dipotong di sini =",
        "dan disambung =E2=9C=93",
        "--b1",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>999999</p>",
        "--b1--",
        "",
    ].joined(separator: "\r\n")

    @Test("decodes folded, encoded headers and the quoted-printable text part of multipart/alternative")
    func parse() {
        let message = ReceivedMessage(bytes: Array(Self.multipart.utf8))
        #expect(message.header("subject") == "Kode verifikasi Dapodik")
        #expect(message.header("To") == "Budi Santoso ✓ <budi@gmail.com>")
        #expect(message.text.contains("dipotong di sini dan disambung ✓"))
        #expect(message.codes == ["482913"])
        #expect(MailboxCommands.address(in: message.header("To")!) == "budi@gmail.com")
    }

    @Test("mailbox list and code read a Maildir in delivery order", .timeLimit(.minutes(10)))
    func commands() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.url
        let new = data.appendingPathComponent("mail/new")
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: data.appendingPathComponent("mail/cur"), withIntermediateDirectories: true)
        let first = Self.multipart
        let second = Self.multipart.replacingOccurrences(of: "482913", with: "105577")
        try Data(first.utf8).write(to: new.appendingPathComponent("1000.A.host"))
        try Data(second.utf8).write(to: new.appendingPathComponent("1001.B.host"))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1000)],
            ofItemAtPath: new.appendingPathComponent("1000.A.host").path)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1001)],
            ofItemAtPath: new.appendingPathComponent("1001.B.host").path)

        let latest = try await ExampleProcess.run(
            "dapodik-verify", ["mailbox", "code", "--to", "Budi@Gmail.com", "--data", data.path])
        #expect(latest.status == 0)
        #expect(latest.standardOutput == "105577\n")
        let firstCode = try await ExampleProcess.run(
            "dapodik-verify", ["mailbox", "code", "--to", "budi@gmail.com", "--nth", "1", "--data", data.path])
        #expect(firstCode.standardOutput == "482913\n")
        let nobody = try await ExampleProcess.run(
            "dapodik-verify", ["mailbox", "code", "--to", "siti@gmail.com", "--data", data.path, "--lang", "en"])
        #expect(nobody.status == 1)
        #expect(nobody.standardError.contains("No message for siti@gmail.com yet."))
        let beyond = try await ExampleProcess.run(
            "dapodik-verify",
            ["mailbox", "code", "--to", "budi@gmail.com", "--nth", "3", "--data", data.path, "--lang", "en"])
        #expect(beyond.status == 1)
        #expect(
            beyond.standardError.contains("There are only 2 messages to budi@gmail.com; there is no message 3."),
            "\(beyond.standardError)")
        let list = try await ExampleProcess.run("dapodik-verify", ["mailbox", "list", "--json", "--data", data.path])
        let items = try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]]
        #expect(items?.map { $0["number"] as? Int } == [1, 2])
        #expect(items?.first?["subject"] as? String == "Kode verifikasi Dapodik")
        let show = try await ExampleProcess.run("dapodik-verify", ["mailbox", "show", "2", "--data", data.path])
        #expect(show.standardOutput.contains("105577"))
        #expect(!show.standardOutput.contains("999999"))
    }
}
