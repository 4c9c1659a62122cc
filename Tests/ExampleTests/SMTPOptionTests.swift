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

        @Test(
            "a server that takes the whole message and drops the connection before answering: the operator is told the code may already be in the inbox, and it works",
            .timeLimit(.minutes(10)))
        func answerLostAfterTheMessage() async throws {
            let server = try TLSSMTPServer(
                mode: "implicit", user: "siti", password: "rahasia-smtp", dropsAfterData: true)
            defer { server.stop() }
            let school = try await CommandFlowTests.School.created()
            let environment = [
                "DAPODIK_LANG": "en", "DAPODIK_SMTP_PASSWORD": "rahasia-smtp",
                "DAPODIK_SMTP_CA_FILE": server.authorityFile.path,
            ]
            let requested = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "operator", "request-code", "--as", "siti", "--data", school.data.path, "--smtp",
                    "smtps://siti@\(PythonServer.host):\(server.port)",
                ],
                input: CommandFlowTests.operatorPassword + "\n", environment: environment)
            #expect(requested.status == 0, "\(requested.standardError)")
            #expect(requested.standardOutput.contains("may already have reached"), "\(requested.standardOutput)")
            #expect(requested.standardOutput.contains("Check the inbox and the spam folder first"))
            #expect(!requested.standardOutput.contains("has not reached"), "\(requested.standardOutput)")
            // It did arrive, and its code verifies the address.
            let received = try server.received()
            try #require(received.count == 1)
            let code = try #require(verificationCode(in: String(decoding: received[0].message, as: UTF8.self)))
            let submitted = try await school.run(
                ["operator", "confirm", "--as", "siti", code, "--json"], input: CommandFlowTests.operatorPassword + "\n"
            )
            #expect(submitted.status == 0, "\(submitted.standardError)")
            #expect(submitted.standardOutput.contains("\"outcome\" : \"verified\""), "\(submitted.standardOutput)")
        }
    }

    /// What `--smtp` can check on this machine is checked before a code is issued: a code whose mail
    /// the server must refuse would spend one of the day's codes and start the cooldown.
    struct SMTPSettingsTests {
        @Test(
            "a user without a password, an open or missing password file, a CA file without a certificate: refused, no code",
            .timeLimit(.minutes(10)))
        func refusedBeforeACode() async throws {
            let school = try await CommandFlowTests.School.created()
            let files = school.data.deletingLastPathComponent()
            let openFile = files.appendingPathComponent("smtp-password-open")
            try Data("rahasia-smtp\n".utf8).write(to: openFile)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: openFile.path)
            let notPEM = files.appendingPathComponent("ca.txt")
            try Data("not a certificate".utf8).write(to: notPEM)
            // A DER certificate (binary, not text), as `openssl x509 -outform der` writes.
            let der = files.appendingPathComponent("ca.der")
            try Data([0x30, 0x82, 0x03, 0xFF, 0xA0, 0x03, 0x02, 0x01, 0x02, 0xC3, 0x28]).write(to: der)
            let url = "smtps://siti@127.0.0.1:1"
            let cases: [(environment: [String: String], status: Int32, says: String)] = [
                ([:], 65, "names a user, but its password is missing or empty"),
                (["DAPODIK_SMTP_PASSWORD": ""], 65, "names a user, but its password is missing or empty"),
                (["DAPODIK_SMTP_PASSWORD_FILE": openFile.path], 65, "chmod 600"),
                (["DAPODIK_SMTP_PASSWORD_FILE": files.appendingPathComponent("nothing").path], 66, "does not exist"),
                (
                    ["DAPODIK_SMTP_PASSWORD": "rahasia-smtp", "DAPODIK_SMTP_CA_FILE": notPEM.path], 65,
                    "no PEM certificate"
                ),
                (["DAPODIK_SMTP_PASSWORD": "rahasia-smtp", "DAPODIK_SMTP_CA_FILE": der.path], 65, "is not UTF-8 text"),
            ]
            for (environment, status, says) in cases {
                let refused = try await ExampleProcess.run(
                    "dapodik-verify",
                    ["operator", "request-code", "--as", "siti", "--data", school.data.path, "--smtp", url],
                    input: CommandFlowTests.operatorPassword + "\n",
                    environment: environment.merging(["DAPODIK_LANG": "en"]) { $1 })
                #expect(refused.status == status, "\(environment): \(refused.standardError)")
                #expect(refused.standardError.contains(says), "\(environment): \(refused.standardError)")
            }
            let feed = try await school.run(["feed", "--json"])
            #expect(feed.status == 0, "\(feed.standardError)")
            #expect(!feed.standardOutput.contains("codeIssued"), "a code was issued: \(feed.standardOutput)")
            // The same request without --smtp issues a code, and the feed shows it.
            let requested = try await school.run(
                ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
            #expect(requested.status == 0, "\(requested.standardError)")
            #expect(try await school.run(["feed", "--json"]).standardOutput.contains("codeIssued"))
        }
    }
#endif
