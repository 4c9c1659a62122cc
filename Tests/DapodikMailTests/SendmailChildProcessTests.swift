import DapodikAccounts
import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

/// How the sendmail child is started, waited for and stopped: what a real sendmail, msmtp or a
/// queueing wrapper does that a simple script does not.
@Suite(.timeLimit(.minutes(10)))
struct SendmailChildProcessTests {
    /// Whether process `pid` still runs: not gone, and not a zombie waiting to be reaped by whoever
    /// adopted it. Waits up to a second for it to stop.
    static func isRunning(_ pid: Int32) async throws -> Bool {
        for _ in 0..<50 {
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            let state = stat.split(separator: ")").last?.split(separator: " ").first
            if state == nil || state == "Z" { return false }
            try await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// The pid a fake sendmail wrote to `file`.
    static func pid(in file: String) throws -> Int32 {
        try #require(
            Int32(try String(contentsOfFile: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("a sendmail that queues the message and leaves a delivery process running has succeeded when it exits")
    func backgroundDeliveryIsASuccess() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        // Exim's background delivery (-odb), msmtpq, nullmailer: queue, start a runner, exit 0. One
        // runner's work points its descriptors away as a daemon does, the other's keeps the output
        // pipes; either way the subshell around it holds them until it ends. The
        // send must not wait for either (nor time out over it): the runner is still working when
        // the receipt comes. It works until the test lets it finish, after its check (at most twenty
        // minutes, beyond the suite's time limit): on a busy machine a test may resume a minute or
        // more after its send returned, and must not find the runner done by then.
        for (number, keepsPipes) in [(1, false), (2, true)] {
            let finish = "\(out)/finish-\(number)"
            let delivered = "\(out)/delivered-\(number)"
            let work = "i=0; while [ ! -e '\(finish)' ] && [ $i -lt 24000 ]; do sleep 0.05; i=$((i+1)); done"
            let runner = keepsPipes ? work : "{ \(work); } </dev/null >/dev/null 2>&1"
            let fake = try SendmailTransportTests.fakeSendmail(
                "cat > '\(out)/queued'; (\(runner); touch '\(delivered)') & echo $! > '\(out)/runner'; "
                    + "echo 'queued as ABC'; exit 0",
                in: directory, timeout: .seconds(3))
            let (message, envelope) = try InMemoryMailTransportTests.sample()
            let receipt = try await fake.send(message, envelope: envelope)
            #expect(receipt.response == "queued as ABC", "runner \(number)")
            #expect(!FileManager.default.fileExists(atPath: delivered), "runner \(number)")
            #expect(FileManager.default.createFile(atPath: finish, contents: nil))
            kill(try Self.pid(in: out + "/runner"), SIGKILL)
        }
    }

    @Test("a child that ignores SIGTERM is killed after the grace, with what it started")
    func hangingChildAndItsGroupAreStopped() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        let fake = try SendmailTransportTests.fakeSendmail(
            "trap '' TERM; echo $$ > '\(out)/shell'; cat > /dev/null; (sleep 40; touch '\(out)/survivor') & "
                + "echo $! > '\(out)/pid'; sleep 40",
            in: directory, timeout: .milliseconds(500))
        let error = try await SendmailTransportTests.sendFailing(fake)
        #expect(error.code == .timedOut)
        #expect(error.disposition == .transient)
        #expect(try await !Self.isRunning(try Self.pid(in: out + "/shell")), "SIGKILL followed SIGTERM")
        #expect(try await !Self.isRunning(try Self.pid(in: out + "/pid")), "what it started was stopped with it")
    }

    @Test("a program the system refuses to run (executable, but no program format) is a misconfiguration")
    func spawnRefused() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let garbage = directory.url.appendingPathComponent("garbage").path
        // Passes the executable-bit check; posix_spawn's exec fails (ENOEXEC, or ETXTBSY should a
        // child of a parallel test still hold the writing descriptor): either way launchFailed.
        try Data([0x00, 0x01, 0x02, 0x03]).write(to: URL(fileURLWithPath: garbage))
        #expect(chmod(garbage, 0o700) == 0)
        let error = try await SendmailTransportTests.sendFailing(SendmailTransport(executablePath: garbage))
        #expect(error.code == .programUnavailable)
        #expect(error.disposition == .misconfigured)
        #expect(error.detail.contains("could not be started"), "\(error.detail)")
    }

    @Test("a timeout of centuries means no timeout, and does not trap")
    func practicallyNoTimeout() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try SendmailTransportTests.fakeSendmail(
            "cat > /dev/null; echo ok", in: directory, timeout: .seconds(300 * 365 * 86_400))
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        #expect(try await fake.send(message, envelope: envelope).response == "ok")
    }

    @Test("a cancelled send lets a child that has the whole message finish: it may have passed it on")
    func cancellationAfterTheWholeMessage() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        let fake = try SendmailTransportTests.fakeSendmail(
            "cat > '\(out)/message'; sleep 1; touch '\(out)/relay-said-250'; echo 'queued as ABC'", in: directory)
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let task = Task { try await fake.send(message, envelope: envelope) }
        while !FileManager.default.fileExists(atPath: out + "/message") { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(100))
        task.cancel()  // What SIGTERM to `outbox run` does.
        let receipt = try await task.value
        #expect(receipt.response == "queued as ABC")
        #expect(FileManager.default.fileExists(atPath: out + "/relay-said-250"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/message")).count == message.bytes.count)
    }

    @Test("a cancelled send stops a child that has not read the message: nothing was handed over")
    func cancellationBeforeTheMessage() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        // Waits before reading; a message larger than a pipe's buffer cannot have been written whole.
        let fake = try SendmailTransportTests.fakeSendmail(
            "echo $$ > '\(out)/shell'; touch '\(out)/started'; sleep 40; cat > /dev/null", in: directory)
        let (sample, envelope) = try InMemoryMailTransportTests.sample()
        let big = RenderedMessage(
            bytes: sample.bytes + Array(repeating: UInt8(ascii: "a"), count: 1 << 20), messageID: sample.messageID)
        let task = Task { try await fake.send(big, envelope: envelope) }
        while !FileManager.default.fileExists(atPath: out + "/started") { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        let error = await #expect(throws: MailTransportError.self) { try await task.value }
        #expect(error?.disposition == .transient)
        #expect(try await !Self.isRunning(try Self.pid(in: out + "/shell")), "the child was stopped")
    }

    @Test("the child gets no descriptor but its three, and no secret from the environment")
    func childInheritsNothingElse() async throws {
        let directory = try TemporaryDirectory("sendmail")
        let out = directory.path
        // An open descriptor without O_CLOEXEC, as a careless library might leave.
        let leaked = open(out + "/leaked", O_CREAT | O_WRONLY, 0o600)
        #expect(leaked >= 0)
        defer { close(leaked) }
        setenv("DAPODIK_TEST_CHILD_SECRET", "rahasia-jangan-diwariskan", 1)
        let fake = try SendmailTransportTests.fakeSendmail(
            "cat > /dev/null; env > '\(out)/env'; exec > '\(out)/fds'; exec ls -l /proc/self/fd", in: directory)
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        _ = try await fake.send(message, envelope: envelope)
        // Beyond 0, 1 and 2 only what the shell and `ls` opened themselves (the script, the listing's
        // file and directory): no pipe, socket or file of this process.
        let listing = try String(contentsOfFile: out + "/fds", encoding: .utf8).split(whereSeparator: \.isNewline)
        let inherited = listing.filter { line in
            guard let arrow = line.range(of: " -> ") else { return false }
            let number = line[..<arrow.lowerBound].split(separator: " ").last.flatMap { Int($0) } ?? -1
            let target = line[arrow.upperBound...]
            return number > 2
                && (target.hasPrefix("pipe:") || target.hasPrefix("socket:") || target.hasSuffix("/leaked"))
        }
        #expect(listing.count >= 4, "\(listing)")
        #expect(inherited.isEmpty, "\(listing)")
        let environment = try String(contentsOfFile: out + "/env", encoding: .utf8)
        #expect(!environment.contains("rahasia-jangan-diwariskan"))
        #expect(environment.contains("PATH="))
    }

    @Test(
        "msmtp's exit statuses for a relay it cannot find, reach or trust do not blame the address",
        arguments: [
            (Int32(68), "msmtp: cannot locate host smtp.sekolah.example: Temporary failure in name resolution"),
            (74, "msmtp: cannot read from smtp.sekolah.example: Connection reset by peer"),
            (74, "msmtp: cannot read from smtp.sekolah.example: operation timed out"),
            (76, "msmtp: TLS handshake failed: The TLS connection was non-properly terminated."),
            (69, "msmtp: TLS certificate verification failed: the certificate is not trusted"),
        ])
    func relayTroubleIsNotARefusal(status: Int32, stderr: String) async throws {
        let directory = try TemporaryDirectory("sendmail")
        let fake = try SendmailTransportTests.fakeSendmail(
            "cat > /dev/null; echo '\(stderr)' >&2; "
                + "echo 'msmtp: could not send mail (account default from /etc/msmtprc)' >&2; exit \(status)",
            in: directory)
        let error = try await SendmailTransportTests.sendFailing(fake)
        #expect(error.disposition != .permanent, "exit \(status) → \(error.code) \(error.disposition)")
        #expect(error.code != .rejected)
    }
}
