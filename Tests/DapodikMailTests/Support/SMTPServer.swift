import DapodikTestSupport
import Foundation

/// The local SMTP server of Python/smtp_server.py (aiosmtpd on 127.0.0.1), for one test, with the
/// inbox it delivers to.
final class SMTPServer {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python/smtp_server.py")

    let inbox: TemporaryDirectory
    private let server: PythonServer
    var port: Int { server.port }

    init(rcptReply: Int = 250, dataReply: Int = 250) throws {
        inbox = try TemporaryDirectory("smtp")
        server = try PythonServer(
            script: Self.script,
            arguments: [inbox.path, "--rcpt-reply", String(rcptReply), "--data-reply", String(dataReply)])
    }

    /// The messages it accepted, oldest first.
    func received() throws -> [Data] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { try Data(contentsOf: inbox.url.appendingPathComponent($0)) }
    }

    func stop() { server.stop() }
}
