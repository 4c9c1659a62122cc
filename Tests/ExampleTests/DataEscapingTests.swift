import DapodikTestSupport
import Foundation
import Testing

/// Data the CLI prints as data (a mail server's reply in a status and the school's report, a
/// message in the Maildir) shows control characters, line separators and bidirectional controls
/// escaped, as messages do; its JSON stays JSON, each character escaped the JSON way.
@Suite("dapodik-verify escapes data it prints", .timeLimit(.minutes(10)))
struct DataEscapingTests {
    /// Whether `text` holds a character a terminal acts on or that reorders or breaks a line: a control
    /// character other than the LF that ends each line, a line or paragraph separator, a
    /// bidirectional control.
    static func hasRawControl(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            line.unicodeScalars.contains {
                switch $0.properties.generalCategory {
                case .control, .lineSeparator, .paragraphSeparator: true
                default: $0.properties.isBidiControl
                }
            }
        }
    }

    /// A sendmail that refuses for good with a reply holding an ESC (a CSI clearing the screen), which
    /// the transport turns into a space as every control character, and a right-to-left override,
    /// which reaches the status as it is.
    static func refusingSendmail(in directory: URL) throws -> URL {
        let script = directory.appendingPathComponent("sendmail-refusing")
        let body = """
            #!/bin/sh
            cat > /dev/null
            printf '550 5.1.1 \\033[2Jgone\\342\\200\\256x\\n' >&2
            exit 67
            """
        try Data(body.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test("a mail server's reply with U+202E is escaped in the status and the report, raw in valid JSON")
    func serverReply() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let sendmail = try Self.refusingSendmail(in: school.data.deletingLastPathComponent())
        let refused = try await school.run(
            ["--sendmail", sendmail.path, "ptk", "continue", "--as", "budi"],
            input: CommandFlowTests.ptkPassword + "\n",
            lang: "en")
        #expect(refused.status == 69, "\(refused.standardError)")
        #expect(refused.standardOutput.contains(#"[2Jgone\u{202E}x]"#), "\(refused.standardOutput)")
        #expect(!Self.hasRawControl(refused.standardOutput), "\(refused.standardOutput.debugDescription)")

        let status = try await school.run(
            ["ptk", "status", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n")
        #expect(status.standardOutput.contains(#"[2Jgone\u{202E}x]"#), "\(status.standardOutput)")
        #expect(!Self.hasRawControl(status.standardOutput), "\(status.standardOutput.debugDescription)")

        let report = try await school.run(["report", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(report.status == 0, "\(report.standardError)")
        #expect(report.standardOutput.contains(#"[2Jgone\u{202E}x]"#), "\(report.standardOutput)")
        // The tabs between the report's columns are its own.
        #expect(
            !Self.hasRawControl(report.standardOutput.replacing("\t", with: " ")),
            "\(report.standardOutput.debugDescription)")
        // Still one row per account, its fields apart by tabs.
        #expect(report.standardOutput.contains("  budi\tBudi Santoso\t"), "\(report.standardOutput)")

        let json = try await school.run(
            ["ptk", "status", "--as", "budi", "--json"], input: CommandFlowTests.ptkPassword + "\n")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let delivery = try #require(object["delivery"] as? [String: Any], "\(json.standardOutput)")
        let reason = try #require(delivery["reason"] as? String, "\(json.standardOutput)")
        #expect(reason.contains("[2Jgone\u{202E}x]"), "\(reason.debugDescription)")
        #expect(!json.standardOutput.contains(#"\u{202E}"#), "escaped twice: \(json.standardOutput)")
    }

    @Test("a Maildir message with ESC, CR, U+2028 and U+202E in its subject and body is shown escaped, line by line")
    func maildirMessage() async throws {
        let school = try await CommandFlowTests.School.make()
        let new = school.data.appendingPathComponent("mail/new", isDirectory: true)
        let file = "1800000000.M1P1.dropped"
        let message = [
            "Date: Mon, 7 Dec 2026 10:00:00 +0700",
            "From: Someone <someone@example.com>",
            "To: Budi <budi@gmail.com>",
            "Subject: =?UTF-8?Q?Kode_=1B[31mmerah=E2=80=AE?=",
            "Message-ID: <dropped@example.com>",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "Baris satu \u{1B}]0;judul\u{07}",
            "Baris dua\rtimpa\u{2028}pisah",
            "",
        ].joined(separator: "\r\n")
        try Data(message.utf8).write(to: new.appendingPathComponent(file))

        let list = try await school.run(["mailbox", "list", "--to", "budi@gmail.com"], lang: "en")
        #expect(list.status == 0, "\(list.standardError)")
        #expect(list.standardOutput.contains(#"Subject: Kode \u{1B}[31mmerah\u{202E}"#), "\(list.standardOutput)")
        #expect(!Self.hasRawControl(list.standardOutput), "\(list.standardOutput.debugDescription)")

        let shown = try await school.run(["mailbox", "show", file])
        #expect(shown.status == 0, "\(shown.standardError)")
        #expect(!Self.hasRawControl(shown.standardOutput), "\(shown.standardOutput.debugDescription)")
        #expect(shown.standardOutput.contains(#"Subject: Kode \u{1B}[31mmerah\u{202E}"#), "\(shown.standardOutput)")
        // The body keeps its lines; what is inside a line is escaped.
        #expect(shown.standardOutput.contains("\n" + #"Baris satu \u{1B}]0;judul\u{7}"# + "\n"))
        #expect(shown.standardOutput.contains("\n" + #"Baris dua\rtimpa\u{2028}pisah"#), "\(shown.standardOutput)")

        let json = try await school.run(["mailbox", "list", "--to", "budi@gmail.com", "--json"])
        let entries = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [[String: Any]])
        #expect(entries.first?["subject"] as? String == "Kode \u{1B}[31mmerah\u{202E}", "\(json.standardOutput)")
    }
}
