import DapodikAccounts
import DapodikLanguage
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

struct SendmailTransportTests {
    static let now = InMemoryMailTransportTests.now

    /// A fake sendmail: a shell script in a fresh directory, run by `/bin/sh` (executing a file
    /// this process has just written can fail with ETXTBSY while parallel tests spawn children that
    /// still hold the writing descriptor).
    static func fakeSendmail(
        _ body: String, in directory: TemporaryDirectory, timeout: Duration = .seconds(60)
    ) throws -> SendmailTransport {
        let path = directory.url.appendingPathComponent("sendmail").path
        try Data((body + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return SendmailTransport(
            executablePath: "/bin/sh", leadingArguments: [path], timeout: timeout, now: { Self.now })
    }

    /// The error sending `message` (a sample by default) throws; the test stops when it throws none.
    static func sendFailing(
        _ transport: SendmailTransport, message: RenderedMessage? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> MailTransportError {
        let (sample, envelope) = try InMemoryMailTransportTests.sample()
        let error = await #expect(throws: MailTransportError.self, sourceLocation: sourceLocation) {
            try await transport.send(message ?? sample, envelope: envelope)
        }
        return try #require(error, sourceLocation: sourceLocation)
    }

    @Test("it runs `sendmail -i -f sender -- recipient` and writes the message to its input", .timeLimit(.minutes(10)))
    func invocation() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        let fake = try Self.fakeSendmail(
            "printf '%s\\n' \"$@\" > '\(out)/args'; cat > '\(out)/stdin'; echo 'queued as ABC'", in: directory)
        let transport = SendmailTransport(
            executablePath: fake.executablePath, leadingArguments: fake.leadingArguments + ["-C", "/etc/msmtprc"],
            now: { Self.now })
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let receipt = try await transport.send(message, envelope: envelope)
        #expect(receipt.response == "queued as ABC")
        #expect(receipt.handedOverAt == Self.now)
        let args = try String(contentsOfFile: out + "/args", encoding: .utf8)
        #expect(args == "-C\n/etc/msmtprc\n-i\n-f\nnoreply@dapodik.example\n--\nsiti@gmail.com\n")
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: out + "/stdin"))) == message.bytes)
    }

    @Test(
        "exit statuses are read as sysexits.h means them", .timeLimit(.minutes(10)),
        arguments: [
            (Int32(75), MailTransportError.Disposition.transient), (71, .transient), (74, .transient),
            (64, .misconfigured), (78, .misconfigured), (126, .misconfigured), (127, .misconfigured),
            (65, .permanent), (67, .permanent), (68, .misconfigured), (69, .misconfigured), (70, .misconfigured),
            (76, .misconfigured), (77, .misconfigured), (1, .misconfigured),
        ])
    func exitStatuses(status: Int32, expected: MailTransportError.Disposition) async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try Self.fakeSendmail(
            "cat > /dev/null; echo 'first line' >&2; echo 'sendmail: password=hunter2 refused' >&2; exit \(status)",
            in: directory)
        let error = try await Self.sendFailing(fake)
        #expect(error.disposition == expected)
        #expect(error.exitStatus == status)
        #expect(error.detail.contains("sendmail: password=[REDACTED] refused"), "\(error.detail)")
        #expect(!error.detail.contains("hunter2"))
    }

    @Test("a missing or non-executable program is a misconfiguration", .timeLimit(.minutes(10)))
    func missingProgram() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let missing = try await Self.sendFailing(SendmailTransport(executablePath: directory.path + "/nope"))
        #expect(missing.disposition == .misconfigured)
        #expect(missing.code == .programUnavailable)
        let plain = directory.url.appendingPathComponent("plain").path
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: plain))
        let notExecutable = try await Self.sendFailing(SendmailTransport(executablePath: plain))
        #expect(notExecutable.disposition == .misconfigured)
        #expect(notExecutable.detail == SendmailTransport.programProblem(at: plain)?.english)
        #expect(missing.detail.contains("does not exist"), "\(missing.detail)")
    }

    @Test("why a program cannot run is said in both languages, naming it; a runnable one has no problem")
    func programProblem() throws {
        let directory = try TemporaryDirectory("sendmail")
        let plain = directory.url.appendingPathComponent("plain").path
        try Data("#!/bin/sh\nexit 0\n".utf8).write(to: URL(fileURLWithPath: plain))
        let cases: [(path: String, indonesian: String, english: String)] = [
            (directory.path + "/nope", "tidak ada", "does not exist"),
            (plain + "/below", "bukan direktori", "is not a directory"),
            (directory.path, "adalah direktori", "is a directory"),
            ("/dev/null", "bukan berkas program biasa", "not a regular program file"),
            (plain, "izin eksekusinya tidak ada", "lacks the execute permission"),
            ("", "jalurnya kosong", "the path is empty"),
        ]
        for (path, indonesian, english) in cases {
            let problem = try #require(SendmailTransport.programProblem(at: path), "\(path)")
            let named = path.isEmpty || problem.indonesian.contains(path) && problem.english.contains(path)
            #expect(problem.indonesian.contains(indonesian) && named, "\(problem.indonesian)")
            #expect(problem.english.contains(english) && named, "\(problem.english)")
        }
        #expect(chmod(plain, 0o700) == 0)
        #expect(SendmailTransport(executablePath: plain).programProblem == nil)
        #expect(SendmailTransport.programProblem(at: "/bin/sh") == nil)
    }

    @Test("a program that exits without reading a large message does not kill us (SIGPIPE)", .timeLimit(.minutes(10)))
    func survivesSIGPIPE() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try Self.fakeSendmail("exec 0<&-; echo 'sendmail: queue full' >&2; exit 75", in: directory)
        let big = MailMessage(
            from: Mailbox(try EmailAddress("a@b.example")), to: [Mailbox(try EmailAddress("c@d.example"))],
            subject: "big", textBody: String(repeating: "0123456789 abcdefghij\n", count: 200_000), date: Self.now)
        let error = try await Self.sendFailing(fake, message: try big.rendered())
        #expect(error.disposition == .transient)
        #expect(error.detail.contains("queue full"))
    }

    @Test("a program that floods both output streams before reading does not deadlock", .timeLimit(.minutes(10)))
    func noDeadlock() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try Self.fakeSendmail(
            "head -c 300000 /dev/zero | tr '\\0' x; echo; head -c 300000 /dev/zero | tr '\\0' y >&2; "
                + "wc -c > '\(directory.path)/count'; echo done",
            in: directory)
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let receipt = try await fake.send(message, envelope: envelope)
        #expect(receipt.response == "done")
        let count = try String(contentsOfFile: directory.path + "/count", encoding: .utf8)
        #expect(Int(count.trimmingCharacters(in: .whitespacesAndNewlines)) == message.bytes.count)
    }

    @Test("a program that hangs is stopped at the time limit: transient", .timeLimit(.minutes(10)))
    func timeout() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try Self.fakeSendmail("exec sleep 60", in: directory, timeout: .milliseconds(300))
        let error = try await Self.sendFailing(fake)
        #expect(error.disposition == .transient)
        #expect(error.code == .timedOut)
    }

    @Test(
        "the server's reply printed by the program is kept apart from the program's own words", .timeLimit(.minutes(10))
    )
    func serverReplyApart() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try Self.fakeSendmail(
            """
            cat > /dev/null
            echo 'msmtp: recipient address siti@gmail.com not accepted by the server' >&2
            echo 'msmtp: server message: 550 5.1.1 <siti@gmail.com>: Recipient address rejected' >&2
            echo 'msmtp: could not send mail (account default from /etc/msmtprc)' >&2
            exit 65
            """, in: directory)
        let error = try await Self.sendFailing(fake)
        #expect(error.disposition == .permanent)
        #expect(error.smtpReplyCode == 550)
        #expect(error.serverReply == "550 5.1.1 <siti@gmail.com>: Recipient address rejected")
        #expect(error.detail.contains("/etc/msmtprc"), "\(error.detail)")

        let quiet = try Self.fakeSendmail(
            "cat > /dev/null; echo 'sendmail: cannot open /etc/mail/aliases' >&2; exit 67", in: directory)
        let noReply = try await Self.sendFailing(quiet)
        #expect(noReply.disposition == .permanent)
        #expect(noReply.serverReply == nil, "\(noReply.serverReply ?? "")")
    }

    @Test("an SMTP reply printed by the program decides over its exit status, except an outright EX_TEMPFAIL")
    func smtpReplyDecides() {
        #expect(SendmailTransport.disposition(exitStatus: 69, smtpReplyCode: 451) == (.deferred, .transient))
        #expect(SendmailTransport.disposition(exitStatus: 69, smtpReplyCode: 550) == (.rejected, .permanent))
        #expect(SendmailTransport.disposition(exitStatus: 75, smtpReplyCode: nil) == (.deferred, .transient))
        // "Try again later" is believed even beside a 5yz line: a wrong "refused for good" blames the address.
        #expect(SendmailTransport.disposition(exitStatus: 75, smtpReplyCode: 550) == (.deferred, .transient))
    }
}

/// The real chain: SendmailTransport → msmtp → aiosmtpd on 127.0.0.1.
@Suite(.requires(.python3, .aiosmtpd, .msmtp))
struct SendmailEndToEndTests {
    static func msmtp(port: Int) -> SendmailTransport {
        SendmailTransport(
            executablePath: ExternalTool.path(of: "msmtp") ?? "/usr/bin/msmtp",
            leadingArguments: [
                "--host=127.0.0.1", "--port=\(port)", "--auth=off", "--tls=off", "--domain=sekolah.test",
                "--logfile=-",
            ],
            timeout: .seconds(30), name: "msmtp", now: { InMemoryMailTransportTests.now })
    }

    static func verificationMessage() throws -> (RenderedMessage, Envelope) {
        let mail = try VerificationMailTests.mail(ordinal: 2)
        let message = try mail.message(
            from: VerificationMailTests.sender, date: InMemoryMailTransportTests.now,
            messageID: try MessageID("outbox-1@dapodik.example"))
        return (try message.rendered(), message.envelope)
    }

    @Test("the message arrives intact and the code can be read from it", .timeLimit(.minutes(10)))
    func delivered() async throws {
        let server = try SMTPServer()
        defer { server.stop() }
        let (message, envelope) = try Self.verificationMessage()
        let receipt = try await Self.msmtp(port: server.port).send(message, envelope: envelope)
        #expect(receipt.response?.contains("250 2.0.0 Ok: queued as Q00001") == true, "\(receipt.response ?? "")")
        let received = try server.received()
        #expect(received.count == 1)
        let arrived = RenderedMessage(bytes: [UInt8](try #require(received.first)), messageID: message.messageID)
        #expect(arrived.bytes == message.bytes)
        let lines = try #require(arrived.plainText).split(separator: "\n")
        #expect(lines.contains("482913"))
        #expect(lines.contains { $0.contains("kode ke-2") })
    }

    @Test("451 from the server is a transient failure", .timeLimit(.minutes(10)), arguments: ["rcpt", "data"])
    func deferred(stage: String) async throws {
        let server = try SMTPServer(rcptReply: stage == "rcpt" ? 451 : 250, dataReply: stage == "data" ? 451 : 250)
        defer { server.stop() }
        let (message, _) = try Self.verificationMessage()
        let error = try await SendmailTransportTests.sendFailing(Self.msmtp(port: server.port), message: message)
        #expect(error.disposition == .transient)
        #expect(error.smtpReplyCode == 451)
        #expect(error.detail.contains("451 4.3.0"))
        #expect(error.serverReply?.hasPrefix("451 4.3.0") == true, "\(error.serverReply ?? "")")
        #expect(try server.received().isEmpty)
    }

    @Test("550 from the server is a permanent failure", .timeLimit(.minutes(10)), arguments: ["rcpt", "data"])
    func rejected(stage: String) async throws {
        let server = try SMTPServer(rcptReply: stage == "rcpt" ? 550 : 250, dataReply: stage == "data" ? 550 : 250)
        defer { server.stop() }
        let (message, _) = try Self.verificationMessage()
        let error = try await SendmailTransportTests.sendFailing(Self.msmtp(port: server.port), message: message)
        #expect(error.disposition == .permanent)
        #expect(error.smtpReplyCode == 550)
        #expect(error.serverReply == "550 5.1.1 Mailbox unavailable: no such user here", "\(error.serverReply ?? "")")
        #expect(error.detail.contains("msmtp"), "\(error.detail)")
    }

    @Test("a wrong sendmail path is a misconfiguration; a refused connection is transient", .timeLimit(.minutes(10)))
    func wrongPathAndNoServer() async throws {
        let wrong = SendmailTransport(executablePath: "/usr/bin/msmtp-does-not-exist")
        #expect(try await SendmailTransportTests.sendFailing(wrong).disposition == .misconfigured)
        // Port 1 on 127.0.0.1 has no listener: msmtp exits with EX_TEMPFAIL.
        let refused = try await SendmailTransportTests.sendFailing(Self.msmtp(port: 1))
        #expect(refused.disposition == .transient)
        #expect(refused.exitStatus == 75)
    }
}
