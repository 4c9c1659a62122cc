import DapodikAccounts
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

/// Runs Python/parse_messages.py (Python's email package, policy.default) over rendered messages
/// in one process, and reports what it found.
enum PythonMailChecker {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python/parse_messages.py").path

    struct Case {
        var message: MailMessage
        var rendered: RenderedMessage
        /// A text that must stand alone on a line of the text body, if any.
        var code: String?
    }

    struct Report: Decodable {
        var checked: Int
        var failures: [String]
    }

    private struct Expectation: Encodable {
        struct Box: Encodable {
            var name: String
            var address: String
        }
        var subject: String
        var from: Box
        var to: [Box]
        var reply_to: Box?
        var text: String
        var html: String?
        var code: String?
        var message_id: String
        var date_epoch: Int
        var date_offset: Int
        var extra_headers: [[String]]
    }

    private static func box(_ mailbox: Mailbox) -> Expectation.Box {
        // Names are written with white-space runs collapsed (see Mailbox.displayName).
        let name = (mailbox.displayName ?? "").split(whereSeparator: { $0 == " " || $0 == "\t" })
            .joined(separator: " ")
        return Expectation.Box(name: name, address: mailbox.address.value)
    }

    static func check(_ cases: [Case]) throws -> Report {
        let directory = try TemporaryDirectory("python")
        for (index, item) in cases.enumerated() {
            let message = item.message
            let expectation = Expectation(
                subject: message.subject, from: box(message.from), to: message.to.map(box),
                reply_to: message.replyTo.map(box), text: message.textBody, html: message.htmlBody, code: item.code,
                message_id: item.rendered.messageID.value, date_epoch: Int(message.date.timeIntervalSince1970),
                date_offset: message.dateSecondsFromUTC,
                extra_headers: message.extraHeaders.map { [$0.name, $0.value] })
            let name = String(format: "%04d", index)
            try Data(item.rendered.bytes).write(to: directory.url.appendingPathComponent(name + ".eml"))
            try JSONEncoder().encode(expectation).write(to: directory.url.appendingPathComponent(name + ".json"))
        }
        let result = try ChildProcess.run("python3", [script, directory.path])
        #expect(result.status == 0, "python3 failed: \(result.standardError)")
        return try JSONDecoder().decode(Report.self, from: Data(result.standardOutput.utf8))
    }
}
