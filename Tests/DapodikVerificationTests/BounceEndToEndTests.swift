import DapodikVerification
import Foundation
import Testing

/// The local SMTP server of Tests/DapodikMailTests/Python/smtp_server.py (aiosmtpd), told to
/// deliver a delivery status notification to each accepted message's envelope sender, into a
/// bounce Maildir. Ends when its standard input closes, so it never outlives the test.
final class BouncingSMTPServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DapodikMailTests/Python/smtp_server.py").path

    let port: Int
    let directory: URL
    var bounces: URL { directory.appendingPathComponent("bounces") }
    private let process = Process()
    private let input = Pipe()

    init(status: String) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("smtp-bounce-\(UUID().uuidString)")
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", Self.script, inbox.path, "--bounce-maildir", directory.appendingPathComponent("bounces").path,
            "--bounce-status", status,
        ]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let words = String(decoding: line, as: UTF8.self).split(separator: " ")
        guard words.count == 2, words[0] == "ready", let port = Int(words[1]) else {
            try? input.fileHandleForWriting.close()
            process.waitUntilExit()
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the SMTP server did not start"])
        }
        self.port = port
    }

    /// The envelope senders (MAIL FROM) of the messages it accepted.
    func envelopeSenders() throws -> [String] {
        let inbox = directory.appendingPathComponent("inbox")
        return try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { name in
                let data = try Data(contentsOf: inbox.appendingPathComponent(name))
                let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                return object?["mail_from"] as? String ?? ""
            }
    }

    func stop() {
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Whether an outside program is there; under `CI=true` a missing one must fail, not skip.
func outsideProgramAvailable(_ path: String) -> Bool {
    ProcessInfo.processInfo.environment["CI"] == "true" || FileManager.default.isExecutableFile(atPath: path)
}

/// The whole loop for real: a code mailed through sendmail (msmtp) to a local SMTP server that
/// accepts it and then returns a delivery status notification to the VERP address; the bounce
/// Maildir is read, and the PTK's next status, the feed and the school report say it.
@Suite(
    .enabled(if: outsideProgramAvailable("/usr/bin/msmtp"), "needs msmtp (apt-get install msmtp) and python3 aiosmtpd"),
    .timeLimit(.minutes(2)))
struct BounceEndToEndTests {
    @Test("a code accepted by the server and then returned (mailbox full) shows up in the status, feed and report")
    func returnedAfterAcceptance() async throws {
        let server = try BouncingSMTPServer(status: "5.2.2")
        defer { server.stop() }
        let harness = try Harness.make(.file)
        defer { harness.tearDown() }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let msmtp = SendmailTransport(
            executablePath: "/usr/bin/msmtp",
            leadingArguments: [
                "--host=127.0.0.1", "--port=\(server.port)", "--auth=off", "--tls=off", "--domain=sekolah.test",
                "--logfile=-",
            ],
            timeout: .seconds(30), name: "msmtp", now: { harness.clock.now })
        let service = harness.sibling { $0.transport = msmtp }

        let sent = try await service.requestCode(for: ptk.id, by: ptk.id)
        guard case .handedOver = sent.state else {
            Issue.record("not handed over: \(sent.explanation.english)")
            return
        }
        let senders = try server.envelopeSenders()
        #expect(senders.count == 1)
        #expect(senders.first?.hasPrefix("bounce+") == true, "\(senders)")
        #expect(senders.first?.hasSuffix("@dapodik.example.id") == true)

        harness.clock.advance(by: 120)
        let results = try await service.processBounces(in: MaildirInbox(directory: server.bounces))
        #expect(results.map(\.outcome) == [.recorded])
        #expect(results.first?.report?.kind == .deliveryStatusNotification)

        let status = try await service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.returned?.statusCode.description == "5.2.2")
        #expect(
            status.explanation.indonesian.contains(
                "Kode ke-1 dikembalikan oleh server penerima pukul 10.02 WIB: kotak surat penuh (5.2.2)"),
            "\(status.explanation.indonesian)")
        #expect(status.explanation.indonesian.contains("Alamatnya benar"))
        let events = try await service.events()
        #expect(events.last?.kind == .deliveryReturned)
        #expect(events.last?.account == ptk.id)
        let report = try await service.schoolReport(by: manager.id)
        #expect(report.returnedCount == 1)
        #expect(report.undeliverableCount == 1)
        #expect(report.flaggedAddresses.isEmpty)
        #expect(try await service.processBounces(in: MaildirInbox(directory: server.bounces)).isEmpty)
    }
}
