#if SMTP
    import DapodikTestSupport
    import Foundation
    import Testing

    /// `--smtp` against aiosmtpd with implicit TLS (the SMTP tests' server and throw-away CA): the
    /// code goes out, and the CLI ends its session with `QUIT` before it exits.
    @Suite(.requires(.python3, .aiosmtpd, .cryptography))
    struct SMTPOptionTests {
        /// The SMTP tests' Python scripts (the TLS server and the certificate maker).
        static let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DapodikSMTPTests/Python")

        @Test("the operator's code goes out over --smtp, and the session ends with QUIT", .timeLimit(.minutes(2)))
        func codeSentAndSessionClosed() async throws {
            let scratch = try TemporaryDirectory("smtp-option")
            let certificates = scratch.appending("certificates", isDirectory: true)
            let inbox = scratch.appending("inbox", isDirectory: true)
            let data = scratch.appending("data", isDirectory: true)
            for directory in [certificates, inbox, data] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            try PythonServer.run(
                script: Self.python.appendingPathComponent("make_certificates.py"), arguments: [certificates.path])
            let server = try PythonServer(
                script: Self.python.appendingPathComponent("tls_server.py"),
                arguments: [
                    inbox.path, "--mode", "implicit", "--cert", certificates.appendingPathComponent("server.pem").path,
                    "--key", certificates.appendingPathComponent("server.key").path, "--user", "siti", "--password",
                    "rahasia-smtp",
                ])
            defer { server.stop() }

            try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
            let created = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name",
                    "Siti Aminah", "--operator-email", "siti.aminah@gmail.com", "--operator-username", "siti",
                    "--time-zone", "WIB", "--data", data.path,
                ], input: CommandFlowTests.operatorPassword + "\n")
            try #require(created.status == 0, "\(created.standardError)")
            let requested = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "operator", "request-code", "--as", "siti", "--data", data.path, "--smtp",
                    "smtps://siti@\(PythonServer.host):\(server.port)",
                ],
                input: CommandFlowTests.operatorPassword + "\n",
                environment: [
                    "DAPODIK_LANG": "en", "DAPODIK_SMTP_PASSWORD": "rahasia-smtp",
                    "DAPODIK_SMTP_CA_FILE": certificates.appendingPathComponent("ca.pem").path,
                ])
            #expect(requested.status == 0, "\(requested.standardError)")
            let files = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
            #expect(files.filter { $0.hasSuffix(".eml") }.count == 1, "\(files)")
            #expect(files.filter { $0.hasPrefix("quit-") }.count == 1, "the CLI left without QUIT: \(files)")
        }
    }
#endif
