public import Foundation

/// aiosmtpd on 127.0.0.1 with STARTTLS or implicit TLS and AUTH required, its certificate issued by
/// a throw-away CA made for the test, saving every message it accepts in an inbox directory.
///
/// The scripts are `tls_server.py` and `make_certificates.py` of `Tests/DapodikSMTPTests/Python`
/// (where the benchmarks find them too). Tests using it declare `.requires(.python3, .aiosmtpd,
/// .cryptography)`, so they are skipped with the reason where these are missing, and fail under
/// `CI=true`.
public final class TLSSMTPServer: Sendable {
    /// The user name the server accepts unless another is given.
    public static let defaultUser = "operator@sekolah.test"
    /// The password the server accepts unless another is given.
    public static let defaultPassword = "kata-sandi-rahasia-7Q"

    /// The folder of the Python scripts.
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DapodikSMTPTests/Python")

    private let certificates: TemporaryDirectory
    private let inbox: TemporaryDirectory
    private let server: PythonServer

    /// The port it listens on, at ``PythonServer/host``.
    public var port: Int { server.port }
    /// The test CA's certificate (PEM), which clients must trust.
    public var authorityFile: URL { certificates.appending("ca.pem") }
    /// The bytes of ``authorityFile``, or none when it cannot be read.
    public var authority: [UInt8] { Array((try? Data(contentsOf: authorityFile)) ?? Data()) }

    /// Makes the CA and the certificates, starts the server, and waits until it listens.
    /// - Parameters:
    ///   - mode: `starttls` or `implicit`.
    ///   - certificate: Which certificate the server shows: `server` (for 127.0.0.1, issued by the
    ///     test CA), `untrusted` (another CA's) or `wrong-name` (a DNS name only).
    ///   - user: The user name AUTH accepts.
    ///   - password: The password AUTH accepts.
    ///   - token: An XOAUTH2 access token AUTH accepts as well.
    ///   - maximumTLS: The newest TLS version offered (`1.1` for an outdated server).
    ///   - dropsAfterData: Whether the server saves each message and then drops the connection
    ///     without answering the final dot (the message arrived; the client cannot know it).
    /// - Throws: When a script fails or the server does not start.
    public init(
        mode: String, certificate: String = "server", user: String = defaultUser, password: String = defaultPassword,
        token: String? = nil, maximumTLS: String? = nil, dropsAfterData: Bool = false
    ) throws {
        certificates = try TemporaryDirectory("smtp-certificates")
        inbox = try TemporaryDirectory("smtp-inbox")
        try PythonServer.run(
            script: Self.scripts.appendingPathComponent("make_certificates.py"), arguments: [certificates.path])
        var arguments = [
            inbox.path, "--mode", mode, "--cert", certificates.file("\(certificate).pem"), "--key",
            certificates.file("\(certificate).key"), "--user", user, "--password", password,
        ]
        if let token { arguments += ["--token", token] }
        if let maximumTLS { arguments += ["--max-tls", maximumTLS] }
        if dropsAfterData { arguments.append("--drop-after-data") }
        server = try PythonServer(script: Self.scripts.appendingPathComponent("tls_server.py"), arguments: arguments)
    }

    /// The messages accepted so far, in the order received, each with its envelope (`mail_from`,
    /// `rcpt_tos`, `peer_port`).
    public func received() throws -> [(message: Data, envelope: [String: Any])] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasSuffix(".eml") }.sorted()
            .map { name in
                let stem = String(name.dropLast(4))
                let json = try Data(contentsOf: inbox.url.appendingPathComponent(stem + ".json"))
                return (
                    try Data(contentsOf: inbox.url.appendingPathComponent(name)),
                    try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
                )
            }
    }

    /// One `quit-<peer port>` entry per session that ended with `QUIT`.
    public func quits() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: inbox.path).filter { $0.hasPrefix("quit-") }
    }

    /// Stops the server (see ``PythonServer/stop()``).
    public func stop() { server.stop() }
}
