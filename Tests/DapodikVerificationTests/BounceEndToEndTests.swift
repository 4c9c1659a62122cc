import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// The local SMTP server of Tests/DapodikMailTests/Python/smtp_server.py (aiosmtpd), told to
/// deliver a delivery status notification to each accepted message's envelope sender, into a
/// bounce Maildir.
final class BouncingSMTPServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DapodikMailTests/Python/smtp_server.py")

    private let directory: TemporaryDirectory
    private let server: PythonServer
    var port: Int { server.port }
    var bounces: URL { directory.appending("bounces") }
    private var inbox: URL { directory.appending("inbox") }

    init(status: String) throws {
        directory = try TemporaryDirectory("smtp-bounce")
        try FileManager.default.createDirectory(
            at: directory.appending("inbox"), withIntermediateDirectories: true)
        server = try PythonServer(
            script: Self.script,
            arguments: [
                directory.file("inbox"), "--bounce-maildir", directory.file("bounces"), "--bounce-status", status,
            ])
    }

    /// The envelope senders (MAIL FROM) of the messages it accepted.
    func envelopeSenders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".json") }.sorted()
            .map { name in
                let data = try Data(contentsOf: inbox.appendingPathComponent(name))
                let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                return object?["mail_from"] as? String ?? ""
            }
    }

    func stop() { server.stop() }
}

/// The whole loop for real: a code mailed through sendmail (msmtp) to a local SMTP server that
/// accepts it and then returns a delivery status notification to the VERP address; the bounce
/// Maildir is read, and the PTK's next status, the feed and the school report say it.
@Suite(
    .requires(.python3, .aiosmtpd, .msmtp),
    .timeLimit(.minutes(10)))
struct BounceEndToEndTests {
    /// A file store with a verified operator and one PTK, and a service over it whose transport is
    /// msmtp, submitting to 127.0.0.1 at `port`.
    static func ptkSendingThroughMSMTP(
        to port: Int
    ) async throws -> (harness: Harness, manager: Account, ptk: Account, service: VerificationService) {
        let harness = try Harness.make(.file)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let msmtp = SendmailTransport(
            executablePath: "/usr/bin/msmtp",
            leadingArguments: [
                "--host=127.0.0.1", "--port=\(port)", "--auth=off", "--tls=off", "--domain=sekolah.test",
                "--logfile=-",
            ],
            timeout: .seconds(30), name: "msmtp", now: { harness.clock.now })
        return (harness, manager, ptk, harness.sibling { $0.transport = msmtp })
    }

    @Test("a code accepted by the server and then returned (mailbox full) shows up in the status, feed and report")
    func returnedAfterAcceptance() async throws {
        let server = try BouncingSMTPServer(status: "5.2.2")
        defer { server.stop() }
        let (harness, manager, ptk, service) = try await Self.ptkSendingThroughMSMTP(to: server.port)

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

    @Test("a code refused by the server at RCPT shows the PTK the server's words, never msmtp's or its configuration's")
    func refusedAtRecipient() async throws {
        let directory = try TemporaryDirectory("smtp-refuse")
        let server = try PythonServer(
            script: BouncingSMTPServer.script, arguments: [directory.path, "--rcpt-reply", "550"])
        defer { server.stop() }
        // The transport's clock holds the harness, and so its store's directory, for the service's life.
        let (_, _, ptk, service) = try await Self.ptkSendingThroughMSMTP(to: server.port)

        let sent = try await service.requestCode(for: ptk.id, by: ptk.id)
        guard case .failed(let reason, _) = sent.state else {
            Issue.record("not refused: \(sent.explanation.english)")
            return
        }
        for text in [reason.indonesian, reason.english, sent.explanation.indonesian, sent.explanation.english] {
            #expect(text.contains("(550) [550 5.1.1 Mailbox unavailable: no such user here]"), "\(text)")
            for word in ["msmtp", "/usr/bin", "exited", "EX_", "could not send"] {
                #expect(!text.contains(word), "\(word) in \(text)")
            }
        }
    }
}
