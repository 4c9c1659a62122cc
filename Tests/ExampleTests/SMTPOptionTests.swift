#if SMTP
    import Foundation
    import Testing

    /// Whether the SMTP tests' Python servers can run here.
    enum SMTPTestServer {
        static let python = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DapodikSMTPTests/Python")
        static let required = ProcessInfo.processInfo.environment["CI"] == "true"
        static let missing: Comment = "python3 with aiosmtpd and cryptography is not installed (pip install aiosmtpd)"
        static let isAvailable: Bool = {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", "-c", "import aiosmtpd, cryptography"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }()
    }

    /// `--smtp` against aiosmtpd with implicit TLS (the SMTP tests' server and throw-away CA): the
    /// code goes out, and the CLI ends its session with `QUIT` before it exits.
    @Suite(.enabled(if: SMTPTestServer.isAvailable || SMTPTestServer.required, SMTPTestServer.missing))
    struct SMTPOptionTests {
        @Test("the operator's code goes out over --smtp, and the session ends with QUIT", .timeLimit(.minutes(2)))
        func codeSentAndSessionClosed() async throws {
            let folder = try TemporaryDirectory.make()
            defer { try? FileManager.default.removeItem(at: folder) }
            let certificates = folder.appendingPathComponent("certificates")
            let inbox = folder.appendingPathComponent("inbox")
            for directory in [certificates, inbox] {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            let maker = Process()
            maker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            maker.arguments = [
                "python3", SMTPTestServer.python.appendingPathComponent("make_certificates.py").path, certificates.path,
            ]
            try maker.run()
            maker.waitUntilExit()
            try #require(maker.terminationStatus == 0)
            let server = Process()
            let input = Pipe()
            let output = Pipe()
            server.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            server.arguments = [
                "python3", SMTPTestServer.python.appendingPathComponent("tls_server.py").path, inbox.path, "--mode",
                "implicit",
                "--cert", certificates.appendingPathComponent("server.pem").path, "--key",
                certificates.appendingPathComponent("server.key").path, "--user", "siti", "--password", "rahasia-smtp",
            ]
            server.standardInput = input
            server.standardOutput = output
            server.standardError = FileHandle.nullDevice
            try server.run()
            defer {
                try? input.fileHandleForWriting.close()
                server.waitUntilExit()
            }
            var line: [UInt8] = []
            var byte: UInt8 = 0
            while read(output.fileHandleForReading.fileDescriptor, &byte, 1) == 1, byte != UInt8(ascii: "\n") {
                line.append(byte)
            }
            let port = try #require(
                String(decoding: line, as: UTF8.self).split(separator: " ").last.flatMap { Int($0) })

            let data = folder.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
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
                    "smtps://siti@127.0.0.1:\(port)",
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
