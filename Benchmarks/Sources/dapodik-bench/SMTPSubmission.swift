import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikMail
import DapodikSMTP
import Foundation

/// Messages per second over one reused TLS connection (implicit TLS, AUTH once) to a local aiosmtpd,
/// the peer of `Scripts/smtplib_send.py`, which sends the very same bytes with Python's smtplib.
enum SMTPSubmission {
    /// The environment variable holding the test server's password (never on the command line).
    static let passwordVariable = "DAPODIK_BENCH_SMTP_PASSWORD"

    static func run(
        port: Int, authority: String, user: String, messages: Int, warmUp: Int, round: Int
    ) async throws -> BenchmarkResult {
        let password = ProcessInfo.processInfo.environment[passwordVariable] ?? ""
        let transport = SMTPTransport(
            configuration: SMTPConfiguration(
                host: "127.0.0.1", port: port, security: .implicitTLS,
                credentials: .password(username: user, password: password),
                trustRoots: .pem(Array(try Data(contentsOf: URL(fileURLWithPath: authority)))),
                clientName: "bench.dapodik.test", maximumMessagesPerConnection: warmUp + messages + 1))
        let envelope = Envelope(
            sender: try EmailAddress("noreply@dapodik.test"), recipients: [try EmailAddress("guru.siti@sekolah.test")])
        let rendered = try (0..<(warmUp + messages)).map { try message($0) }
        let statistics = try await Measure.concurrent(clients: 1, warmUp: warmUp, operationsPerClient: messages) {
            _, iteration in
            _ = try await transport.send(rendered[iteration], envelope: envelope)
        }
        let connections = await transport.openedConnectionCount
        await transport.shutdown()
        return BenchmarkResult(
            scenario: "smtp.submission", variant: "1 TLS connection (implicit TLS, AUTH PLAIN)",
            subject: "SMTPTransport", round: round, statistics: statistics,
            figures: ["connections": Double(connections), "bytesPerMessage": Double(rendered[0].bytes.count)],
            notes: ["server": "aiosmtpd on 127.0.0.1 (Tests/DapodikSMTPTests/Python/tls_server.py)"])
    }

    /// Message `n`: the shape of a verification mail, the same bytes `smtplib_send.py` builds.
    static func message(_ n: Int) throws -> RenderedMessage {
        let id = "bench-\(n)@dapodik.test"
        let text =
            "From: Dapodik <noreply@dapodik.test>\r\nTo: guru.siti@sekolah.test\r\n"
            + "Subject: Kode verifikasi Dapodik\r\nMessage-ID: <\(id)>\r\nMIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=us-ascii\r\n\r\nKode verifikasi Anda:\r\n\(100_000 + n)\r\n"
            + String(repeating: "Kode ini berlaku 30 menit. Jangan berikan kepada siapa pun.\r\n", count: 12)
        return RenderedMessage(bytes: Array(text.utf8), messageID: try MessageID(id))
    }
}
