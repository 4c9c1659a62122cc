import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

/// Whether an outside program is there; under `CI=true` a missing one must fail, not skip.
enum OutsideProgram {
    static func available(_ name: String) -> Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }
}

/// Random RFC 3464 reports, read by this reader and by Python's email package, must agree.
struct BounceReportPythonTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Python/parse_dsn.py").path

    struct PythonReport: Decodable {
        struct Recipient: Decodable {
            var final_recipient: String?
            var original_recipient: String?
            var action: String
            var status: String?
            var diagnostic: String?
            var remote_mta: String?
            var will_retry_until: Int?
        }
        var recipients: [Recipient]
        var original_message_id: String?
        var reporting_mta: String?
    }

    static let words = [
        "Mailbox", "full", "user", "unknown", "kotak", "surat", "penuh", "quota", "exceeded", "<a@b.example>:",
        "(in", "reply", "to", "RCPT", "TO", "command)", "550", "5.1.1", "try", "again", "later", "tidak", "ada",
    ]

    /// A random report: 1–4 recipients, random actions and codes, folded diagnostics, LF or CRLF,
    /// the returned header as `text/rfc822-headers` or `message/rfc822`.
    static func randomReport(_ index: Int, using generator: inout SeededGenerator) -> String {
        let newline = Bool.random(using: &generator) ? "\r\n" : "\n"
        let boundary = "b\(index)_\(UInt32.random(in: 0...UInt32.max, using: &generator))=/.+"
        var lines = [
            "From: MAILER-DAEMON@mx\(index).example", "To: bounce+\(index)@sekolah.example",
            "Subject: Undelivered Mail Returned to Sender", "MIME-Version: 1.0",
            "Content-Type: multipart/report; report-type=delivery-status;", "\tboundary=\"\(boundary)\"", "",
            "preamble", "--\(boundary)", "Content-Type: text/plain", "", "The mail system", "",
            "--\(boundary)", "Content-Type: message/delivery-status", "",
            "Reporting-MTA: dns; mx\(index).example", "Arrival-Date: Tue, 1 Dec 2026 10:20:03 +0700",
        ]
        for recipient in 0..<Int.random(in: 1...4, using: &generator) {
            let action = ["failed", "delayed", "delivered", "relayed", "expanded"].randomElement(using: &generator)!
            let statusClass = action == "failed" ? 5 : action == "delayed" ? 4 : 2
            let status =
                "\(statusClass).\(Int.random(in: 1...7, using: &generator)).\(Int.random(in: 0...30, using: &generator))"
            lines += ["", "Final-Recipient: rfc822; r\(recipient)-\(index)@penerima.example"]
            if Bool.random(using: &generator) {
                lines.append("Original-Recipient: rfc822;R\(recipient)-\(index)@Penerima.example")
            }
            lines += [
                "Action: \(action == "failed" && Bool.random(using: &generator) ? "Failed" : action)",
                "Status: \(status)",
            ]
            if Bool.random(using: &generator) { lines.append("Remote-MTA: dns; mx.penerima\(recipient).example") }
            if Bool.random(using: &generator) {
                var diagnostic = "Diagnostic-Code: smtp; \(statusClass)50 \(status)"
                for _ in 0..<Int.random(in: 0...30, using: &generator) {
                    diagnostic += Int.random(in: 0..<6, using: &generator) == 0 ? newline + "    " : " "
                    diagnostic += words.randomElement(using: &generator)!
                }
                lines.append(diagnostic)
            }
            if action == "delayed", Bool.random(using: &generator) {
                let day = Int.random(in: 2...9, using: &generator)
                let zone = ["+0700", "+0800", "-0500", "+0000"].randomElement(using: &generator)!
                lines.append("Will-Retry-Until: Sat, \(day) Jan 2027 0\(day):1\(day):0\(day) \(zone)")
            }
        }
        let messageID = "m\(index).\(UInt16.random(in: 0...UInt16.max, using: &generator))@sekolah.example"
        if Bool.random(using: &generator) {
            lines += ["", "--\(boundary)", "Content-Type: text/rfc822-headers", ""]
        } else {
            lines += ["", "--\(boundary)", "Content-Type: message/rfc822", ""]
        }
        lines += [
            "Return-Path: <bounce+\(index)@sekolah.example>", "Message-ID: <\(messageID)>",
            "Subject: Kode verifikasi", "", "--\(boundary)--", "",
        ]
        return lines.joined(separator: newline)
    }

    @Test(
        "200 random RFC 3464 reports: this reader and Python's email package agree",
        .enabled(if: OutsideProgram.available("python3"), "needs python3"), .timeLimit(.minutes(10)))
    func crossCheck() throws {
        var generator = SeededGenerator(seed: 3464)
        let directory = try TemporaryDirectory("dsn")
        var reports: [String: BounceReport] = [:]
        for index in 0..<200 {
            let text = Self.randomReport(index, using: &generator)
            let name = String(format: "%04d", index)
            try Data(text.utf8).write(to: directory.url.appendingPathComponent(name + ".eml"))
            reports[name] = try BounceReport(bytes: Array(text.utf8))
        }
        let result = try ChildProcess.run("python3", [Self.script, directory.path])
        try #require(result.status == 0, "python3 failed: \(result.standardError)")
        let python = try JSONDecoder().decode([String: PythonReport].self, from: Data(result.standardOutput.utf8))
        #expect(python.count == 200)
        for (name, theirs) in python.sorted(by: { $0.key < $1.key }) {
            let ours = try #require(reports[name])
            #expect(ours.kind == .deliveryStatusNotification, "\(name)")
            #expect(ours.originalMessageID == theirs.original_message_id, "\(name)")
            #expect(ours.reportingMTA == theirs.reporting_mta, "\(name)")
            #expect(ours.recipients.count == theirs.recipients.count, "\(name)")
            for (mine, other) in zip(ours.recipients, theirs.recipients) {
                #expect(mine.finalRecipient == other.final_recipient, "\(name)")
                #expect(mine.originalRecipient == other.original_recipient, "\(name)")
                #expect(mine.action.rawValue == other.action, "\(name)")
                #expect(mine.status.description == other.status, "\(name)")
                #expect(
                    mine.diagnostic == other.diagnostic.map { String($0.prefix(BounceReport.maximumDiagnosticLength)) },
                    "\(name)")
                #expect(mine.remoteMTA == other.remote_mta, "\(name)")
                #expect(mine.willRetryUntil.map { Int($0.timeIntervalSince1970) } == other.will_retry_until, "\(name)")
            }
        }
    }
}
