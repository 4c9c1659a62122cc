import DapodikAccounts
import Foundation
import Testing

@testable import DapodikMail

struct MailMessageRenderingTests {
    static let pythonChecker = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Python/parse_messages.py").path

    struct Expectation: Encodable {
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
        var code: String
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

    @Test("random messages parse back with Python's email package, without defects and unchanged")
    func randomMessagesParseBack() throws {
        let directory = try TemporaryDirectory("render")
        defer { directory.remove() }
        let seed = UInt64.random(in: 0...UInt64.max)
        var random = RandomMail(generator: SeededGenerator(seed: seed))
        let count = 300
        for index in 0..<count {
            let (message, code) = random.message(index: index)
            let rendered = try message.rendered()
            if let fixed = message.messageID { #expect(rendered.messageID == fixed) }
            let expectation = Expectation(
                subject: message.subject, from: Self.box(message.from), to: message.to.map(Self.box),
                reply_to: message.replyTo.map(Self.box), text: message.textBody, html: message.htmlBody, code: code,
                message_id: rendered.messageID.value, date_epoch: Int(message.date.timeIntervalSince1970),
                date_offset: message.dateSecondsFromUTC,
                extra_headers: message.extraHeaders.map { [$0.name, $0.value] })
            let name = String(format: "%04d", index)
            try Data(rendered.bytes).write(to: directory.url.appendingPathComponent(name + ".eml"))
            try JSONEncoder().encode(expectation).write(to: directory.url.appendingPathComponent(name + ".json"))
        }
        let result = try ChildProcess.run("python3", [Self.pythonChecker, directory.path])
        #expect(result.status == 0, "python3 failed: \(result.stderr)")
        struct Report: Decodable {
            var checked: Int
            var failures: [String]
        }
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.checked == count)
        #expect(report.failures.isEmpty, "seed \(seed): \(report.failures.prefix(20).joined(separator: "\n"))")
    }
}
