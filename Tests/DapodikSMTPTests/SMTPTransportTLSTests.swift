#if SMTP
    import DapodikLanguage
    import DapodikMail
    import DapodikAccounts
    import DapodikSMTP
    import DapodikTestSupport
    import Foundation
    import Testing

    /// The transport against aiosmtpd on 127.0.0.1 with STARTTLS or implicit TLS, a certificate of
    /// a throw-away CA made for the test, and AUTH required (``TLSSMTPServer``).
    @Suite(.requires(.python3, .aiosmtpd, .cryptography))
    struct SMTPTransportTLSTests {
        static let user = TLSSMTPServer.defaultUser
        static let password = TLSSMTPServer.defaultPassword

        static func transport(
            _ server: TLSSMTPServer, security: SMTPConfiguration.Security,
            credentials: SMTPCredentials? = .password(username: user, password: password),
            trustRoots: SMTPConfiguration.TrustRoots? = nil
        ) -> SMTPTransport {
            SMTPTransport(
                configuration: SMTPConfiguration(
                    // By address: this machine's resolver may wait for seconds on AAAA queries for a
                    // name. The certificate is then checked against the address (IP SAN 127.0.0.1),
                    // and "wrong-name" carries only a DNS name, so the check is still exercised.
                    host: "127.0.0.1", port: server.port, security: security, credentials: credentials,
                    trustRoots: trustRoots ?? .pem(server.authority), clientName: "app.sekolah.test"),
                now: { Samples.now })
        }

        @Test(
            "STARTTLS and AUTH: the message and its code arrive byte for byte, dots and all",
            .timeLimit(.minutes(10)), arguments: ["starttls", "implicit"])
        func delivered(mode: String) async throws {
            let server = try TLSSMTPServer(mode: mode)
            defer { server.stop() }
            let transport = Self.transport(server, security: mode == "starttls" ? .startTLS : .implicitTLS)
            let message = Samples.message(code: "482913")
            let receipt = try await transport.send(message, envelope: Samples.envelope())
            await transport.shutdown()
            #expect(receipt.response == "250 2.0.0 Ok: queued as Q00001")
            #expect(receipt.handedOverAt == Samples.now)
            #expect(receipt.messageID == message.messageID)
            let received = try server.received()
            try #require(received.count == 1)
            #expect([UInt8](received[0].message) == message.bytes)
            #expect(String(decoding: received[0].message, as: UTF8.self).contains("\r\n482913\r\n"))
            #expect(received[0].envelope["mail_from"] as? String == Samples.sender.value)
            #expect(received[0].envelope["rcpt_tos"] as? [String] == [Samples.recipient.value])
        }

        @Test("several messages go over one TLS connection", .timeLimit(.minutes(10)))
        func reused() async throws {
            let server = try TLSSMTPServer(mode: "implicit")
            defer { server.stop() }
            let transport = Self.transport(server, security: .implicitTLS)
            for number in 1...3 {
                _ = try await transport.send(Samples.message(number: number), envelope: Samples.envelope())
            }
            #expect(await transport.openedConnectionCount == 1)
            await transport.shutdown()
            let ports = Set(try server.received().compactMap { $0.envelope["peer_port"] as? Int })
            #expect(try server.received().count == 3)
            #expect(ports.count == 1)
            #expect(try server.quits() == ports.map { "quit-\($0)" }, "shutdown() says QUIT on the kept connection")
        }

        @Test("concurrent sends from detached tasks each get a connection of their own", .timeLimit(.minutes(10)))
        func concurrentSends() async throws {
            let server = try TLSSMTPServer(mode: "starttls")
            defer { server.stop() }
            let transport = Self.transport(server, security: .startTLS)
            try await withThrowingTaskGroup(of: DeliveryReceipt.self) { group in
                for number in 1...4 {
                    group.addTask {
                        try await Task.detached {
                            try await transport.send(Samples.message(number: number), envelope: Samples.envelope())
                        }.value
                    }
                }
                for try await receipt in group { #expect(receipt.response?.hasPrefix("250 2.0.0 Ok") == true) }
            }
            let opened = await transport.openedConnectionCount
            #expect((1...4).contains(opened))
            await transport.shutdown()
            #expect(try server.received().count == 4)
        }

        @Test(
            "a wrong password is a misconfiguration, and the password is in no error text",
            .timeLimit(.minutes(10)), arguments: ["starttls", "implicit"])
        func wrongPassword(mode: String) async throws {
            let server = try TLSSMTPServer(mode: mode)
            defer { server.stop() }
            let wrong = "salah-sandi-9X"
            let transport = Self.transport(
                server, security: mode == "starttls" ? .startTLS : .implicitTLS,
                credentials: .password(username: Self.user, password: wrong))
            let error = try #require(await Samples.sendFailing(transport))
            #expect(error.disposition == .misconfigured)
            #expect(error.code == .authenticationFailed)
            #expect(error.smtpReplyCode == 535)
            for text in [error.detail, error.message.indonesian, error.message.english, "\(error)"] {
                #expect(!text.contains(wrong))
            }
            #expect(try server.received().isEmpty)
        }

        @Test("XOAUTH2 with the caller's token logs in; a wrong token is a misconfiguration", .timeLimit(.minutes(10)))
        func xoauth2() async throws {
            let server = try TLSSMTPServer(mode: "implicit", token: "ya29.token-abc")
            defer { server.stop() }
            let good = Self.transport(
                server, security: .implicitTLS, credentials: .oauth2(username: Self.user, accessToken: "ya29.token-abc")
            )
            _ = try await good.send(Samples.message(), envelope: Samples.envelope())
            await good.shutdown()
            let bad = Self.transport(
                server, security: .implicitTLS, credentials: .oauth2(username: Self.user, accessToken: "ya29.stolen"))
            let error = try #require(await Samples.sendFailing(bad))
            #expect(error.disposition == .misconfigured)
            #expect(!error.detail.contains("ya29.stolen"))
            #expect(try server.received().count == 1)
        }

        @Test(
            "an untrusted certificate or one for another host name is refused before anything is sent",
            .timeLimit(.minutes(10)),
            arguments: [
                ("untrusted", "starttls"), ("untrusted", "implicit"), ("wrong-name", "starttls"),
                ("wrong-name", "implicit"),
            ])
        func refusedCertificate(certificate: String, mode: String) async throws {
            let server = try TLSSMTPServer(mode: mode, certificate: certificate)
            defer { server.stop() }
            let transport = Self.transport(server, security: mode == "starttls" ? .startTLS : .implicitTLS)
            let error = try #require(await Samples.sendFailing(transport))
            #expect(error.disposition == .misconfigured)
            #expect(error.code == .tlsFailed)
            #expect(!error.detail.contains(Self.password))
            // The TLS library's reason, without its error numbers and the paths of its build.
            #expect(!error.detail.contains(" at /") && !error.detail.contains("OPENSSL_internal"), "\(error.detail)")
            #expect(try server.received().isEmpty)
        }

        @Test(
            "a server offering only TLS 1.0 and 1.1 is refused: TLS 1.2 is the least accepted",
            .timeLimit(.minutes(10)), arguments: ["starttls", "implicit"])
        func oldTLSRefused(mode: String) async throws {
            let server = try TLSSMTPServer(mode: mode, maximumTLS: "1.1")
            defer { server.stop() }
            let transport = Self.transport(server, security: mode == "starttls" ? .startTLS : .implicitTLS)
            let error = try #require(await Samples.sendFailing(transport))
            #expect(error.disposition == .misconfigured)
            #expect(error.code == .tlsFailed, "\(error.detail)")
            #expect(try server.received().isEmpty)
        }

        @Test("the system's trust store does not trust the test CA", .timeLimit(.minutes(10)))
        func systemRoots() async throws {
            let server = try TLSSMTPServer(mode: "implicit")
            defer { server.stop() }
            let transport = Self.transport(server, security: .implicitTLS, trustRoots: .system)
            let error = try #require(await Samples.sendFailing(transport))
            #expect(error.code == .tlsFailed, "\(error.detail)")
        }
    }
#endif
