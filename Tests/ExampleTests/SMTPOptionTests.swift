#if SMTP
    import DapodikTestSupport
    import Foundation
    import Testing

    /// `--smtp` against aiosmtpd with implicit TLS (``TLSSMTPServer``, the SMTP tests' server and
    /// throw-away CA): the code goes out, and the CLI ends its session with `QUIT` before it exits.
    @Suite(.requires(.python3, .aiosmtpd, .cryptography))
    struct SMTPOptionTests {
        @Test("the operator's code goes out over --smtp, and the session ends with QUIT", .timeLimit(.minutes(10)))
        func codeSentAndSessionClosed() async throws {
            let server = try TLSSMTPServer(mode: "implicit", user: "siti", password: "rahasia-smtp")
            defer { server.stop() }
            let school = try await CommandFlowTests.School.created()
            let requested = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "operator", "request-code", "--as", "siti", "--data", school.data.path, "--smtp",
                    "smtps://siti@\(PythonServer.host):\(server.port)",
                ],
                input: CommandFlowTests.operatorPassword + "\n",
                environment: [
                    "DAPODIK_LANG": "en", "DAPODIK_SMTP_PASSWORD": "rahasia-smtp",
                    "DAPODIK_SMTP_CA_FILE": server.authorityFile.path,
                ])
            #expect(requested.status == 0, "\(requested.standardError)")
            let received = try server.received()
            #expect(received.count == 1)
            #expect(received.first?.envelope["rcpt_tos"] as? [String] == ["siti.aminah@gmail.com"])
            #expect(try server.quits().count == 1, "the CLI left without QUIT")
        }
    }
#endif
