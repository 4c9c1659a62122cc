#if SMTP
    import DapodikAccounts
    import DapodikMail
    import DapodikSMTP
    import DapodikTestSupport
    import Testing

    /// The edges a real server will not show on demand, against Python/scripted_server.py.
    @Suite(.requires(.python3))
    struct SMTPTransportEdgeTests {
        typealias Step = ScriptedServer.Step

        @Test("a server that does not offer STARTTLS gets nothing but EHLO", .timeLimit(.minutes(10)))
        func startTLSNotOffered() async throws {
            let server = try ScriptedServer([[.greeting, .ehlo(["PIPELINING", "AUTH PLAIN LOGIN", "8BITMIME"])]])
            defer { server.stop() }
            let error = try #require(await Samples.sendFailing(server.transport(security: .startTLS)))
            #expect(error.disposition == .misconfigured)
            #expect(error.code == .startTLSNotOffered)
            #expect(try server.lines() == ["EHLO app.sekolah.test"])
            #expect(try server.messages().isEmpty)
        }

        @Test(
            "421 at any step ends the session as a transient failure, pipelined or not", .timeLimit(.minutes(10)),
            arguments: ["EHLO", "MAIL FROM", "RCPT TO", "DATA", "<DATA>"], [false, true])
        func serviceClosing(at stage: String, pipelining: Bool) async throws {
            let closing = Step(stage, ["421 4.3.2 Layanan ditutup, coba lagi nanti"], then: "close")
            let keywords = pipelining ? ["PIPELINING", "ENHANCEDSTATUSCODES"] : ["ENHANCEDSTATUSCODES"]
            let steps: [Step] = [.greeting, .ehlo(keywords)] + Step.transaction
            let stageIndex = steps.firstIndex { $0.expect == stage }!
            let server = try ScriptedServer([Array(steps[..<stageIndex]) + [closing]])
            defer { server.stop() }
            let transport = server.transport()
            let error = try #require(await Samples.sendFailing(transport))
            #expect(error.disposition == .transient)
            #expect(error.smtpReplyCode == 421)
            #expect(error.detail.contains("4.3.2"))
            #expect(try server.transcript().allSatisfy { $0.unexpected == nil })
            // Nothing is sent after the 421 (no RSET, no QUIT): the session is over.
            #expect(
                try server.lines().last.map { $0.uppercased().hasPrefix(stage == "<DATA>" ? "DATA" : stage) } == true)
        }

        @Test(
            "multi-line replies, pipelining and dot-stuffing: the message goes out with every line intact",
            .timeLimit(.minutes(10)))
        func multiLineAndPipelining() async throws {
            let server = try ScriptedServer([
                [
                    Step(nil, ["220-smtp.test ESMTP", "220-Selamat datang", "220 siap"]),
                    .ehlo(["PIPELINING", "SIZE 1000000", "ENHANCEDSTATUSCODES", "8BITMIME"]),
                    .accepted("MAIL FROM"), .accepted("RCPT TO"), .data,
                    Step("<DATA>", ["250-2.0.0 Ok", "250 2.0.0 queued as P1"]),
                ]
            ])
            defer { server.stop() }
            let transport = server.transport()
            let message = Samples.message()
            let receipt = try await transport.send(message, envelope: Samples.envelope())
            #expect(receipt.response == "250 2.0.0 Ok 2.0.0 queued as P1")
            let lines = try server.lines()
            #expect(
                lines == [
                    "EHLO app.sekolah.test", "MAIL FROM:<noreply@dapodik.test> SIZE=\(message.bytes.count)",
                    "RCPT TO:<guru.siti@sekolah.test>", "DATA",
                ])
            let data = try #require(try server.messages().first)
            #expect(data.hasSuffix("\r\n..\r\n...dua titik\r\n.. satu titik lalu spasi\r\nSalam.\r\n.\r\n"))
            #expect(data.contains("\r\n482913\r\n"))
        }

        @Test(
            "451 and 550 per recipient keep their enhanced codes; RSET clears the transaction", .timeLimit(.minutes(10))
        )
        func perRecipient() async throws {
            let other = try EmailAddress("tidak.ada@sekolah.test")
            let server = try ScriptedServer([
                [
                    .greeting, .ehlo(["ENHANCEDSTATUSCODES"]), .accepted("MAIL FROM"),
                    Step("RCPT TO:<guru", ["451 4.2.1 Kotak surat sibuk"]),
                    Step("RCPT TO:<tidak", ["550 5.1.1 Pengguna tidak dikenal"]), .accepted("RSET"),
                    .accepted("MAIL FROM"), Step("RCPT TO:<tidak", ["550 5.1.1 Pengguna tidak dikenal"]),
                    .accepted("RSET"),
                    .accepted("MAIL FROM"), .accepted("RCPT TO:<guru"),
                    Step("RCPT TO:<tidak", ["550 5.1.1 Pengguna tidak dikenal"]), .data, .queued,
                ]
            ])
            defer { server.stop() }
            let transport = server.transport()
            let both = Samples.envelope([Samples.recipient, other])

            let deferred = try #require(await Samples.sendFailing(transport, envelope: both))
            #expect(deferred.disposition == .transient)
            #expect(deferred.smtpReplyCode == 451)
            #expect(deferred.detail.contains("451 4.2.1") && deferred.detail.contains("550 5.1.1"))
            #expect(deferred.serverReply == "451 4.2.1 Kotak surat sibuk")

            let refused = try #require(await Samples.sendFailing(transport, envelope: Samples.envelope([other])))
            #expect(refused.disposition == .permanent)
            #expect(refused.code == .rejected)
            #expect(refused.smtpReplyCode == 550)
            #expect(refused.detail.contains("5.1.1"))
            #expect(refused.serverReply == "550 5.1.1 Pengguna tidak dikenal")

            let receipt = try await transport.send(Samples.message(), envelope: both)
            #expect(receipt.response?.contains("refused: <tidak.ada@sekolah.test> 550 5.1.1") == true)
            #expect(await transport.openedConnectionCount == 1)
            #expect(try server.transcript().allSatisfy { $0.unexpected == nil })
            #expect(try server.lines().filter { $0 == "RSET" }.count == 2)
        }

        @Test(
            "552 to RCPT is a mailbox over its quota: tried again later, as 452 (RFC 5321 §4.5.3.1.10), not refused",
            .timeLimit(.minutes(10)))
        func mailboxFullIsTransient() async throws {
            let server = try ScriptedServer([
                [
                    .greeting, .ehlo(["ENHANCEDSTATUSCODES"]), .accepted("MAIL FROM"),
                    Step("RCPT TO", ["552 5.2.2 Kotak surat penuh"]), .accepted("RSET"),
                ]
            ])
            defer { server.stop() }
            let error = try #require(await Samples.sendFailing(server.transport()))
            #expect(error.disposition == .transient)
            #expect(error.smtpReplyCode == 552)
            #expect(error.serverReply == "552 5.2.2 Kotak surat penuh")
            #expect(try server.transcript().allSatisfy { $0.unexpected == nil })
        }

        @Test(
            "a pipelined DATA answered 354 after a refused MAIL gets an empty message, then RSET",
            .timeLimit(.minutes(10)))
        func dataOpenedAfterRefusal() async throws {
            let server = try ScriptedServer([
                [
                    .greeting, .ehlo(["PIPELINING", "ENHANCEDSTATUSCODES"]),
                    Step("MAIL FROM", ["550 5.1.8 Domain pengirim ditolak"]),
                    Step("RCPT TO", ["503 5.5.1 Perlu MAIL dulu"]), .data,
                    Step("<DATA>", ["554 5.5.1 Tidak ada penerima"]), .accepted("RSET"),
                ]
            ])
            defer { server.stop() }
            let error = try #require(await Samples.sendFailing(server.transport()))
            #expect(error.disposition == .permanent)
            #expect(error.smtpReplyCode == 550)
            #expect(error.serverReply == "550 5.1.8 Domain pengirim ditolak")
            #expect(try server.messages() == [".\r\n"])
            #expect(try server.lines().last == "RSET")
            #expect(try server.transcript().allSatisfy { $0.unexpected == nil })
        }

        @Test("a connection dropped after the final dot is an unknown outcome", .timeLimit(.minutes(10)))
        func droppedAfterFinalDot() async throws {
            let steps: [Step] = [.greeting, .ehlo([]), .accepted("MAIL FROM"), .accepted("RCPT TO"), .data]
            let server = try ScriptedServer([steps + [Step("<DATA>", [], then: "close")]])
            defer { server.stop() }
            let error = try #require(await Samples.sendFailing(server.transport()))
            #expect(error.code == .outcomeUnknown)
            #expect(error.disposition == .transient)
            #expect(try server.messages().count == 1)
        }

        @Test("a dropped connection before the message is complete is transient, not unknown", .timeLimit(.minutes(10)))
        func droppedBeforeData() async throws {
            let server = try ScriptedServer([
                [.greeting, .ehlo([]), .accepted("MAIL FROM"), Step("RCPT TO", [], then: "close")]
            ])
            defer { server.stop() }
            let error = try #require(await Samples.sendFailing(server.transport()))
            #expect(error.code == .connectionFailed)
            #expect(error.disposition == .transient)
        }

        @Test(
            "a silent server: the greeting's time limit (5 minutes) fires on the test's clock", .timeLimit(.minutes(10))
        )
        func slowGreeting() async throws {
            let server = try ScriptedServer([[Step(nil, [], then: "hang")]])
            defer { server.stop() }
            let clock = ManualClock()
            let transport = server.transport(clock: clock)
            let sending = Task { await Samples.sendFailing(transport) }
            await clock.waitForSleeper(lasting: .seconds(300))
            clock.advance(by: .seconds(300))
            let error = try #require(await sending.value)
            #expect(error.code == .timedOut)
            #expect(error.disposition == .transient)
        }

        @Test(
            "no reply to the final dot: after 10 minutes on the test's clock, an unknown outcome",
            .timeLimit(.minutes(10)))
        func slowFinalReply() async throws {
            let steps: [Step] = [.greeting, .ehlo([]), .accepted("MAIL FROM"), .accepted("RCPT TO"), .data]
            let server = try ScriptedServer([steps + [Step("<DATA>", [], then: "hang")]])
            defer { server.stop() }
            let clock = ManualClock()
            // The whole submission's limit (10 minutes too, by default) set apart, so the step's fires.
            let transport = server.transport(clock: clock, timeouts: SMTPTimeouts(submission: .seconds(3_600)))
            let sending = Task { await Samples.sendFailing(transport) }
            await clock.waitForSleeper(lasting: .seconds(600))
            clock.advance(by: .seconds(599))
            clock.advance(by: .seconds(1))
            let error = try #require(await sending.value)
            #expect(error.code == .outcomeUnknown)
        }

        @Test(
            "a submission slower than its limit is ended there, every step within its own: transient before the data, unknown after",
            .timeLimit(.minutes(10)), arguments: [false, true])
        func submissionLimit(afterData: Bool) async throws {
            var steps: [Step] = [.greeting, .ehlo([]), .accepted("MAIL FROM")]
            steps +=
                afterData
                ? [.accepted("RCPT TO"), .data, Step("<DATA>", [], then: "hang")] : [Step("RCPT TO", [], then: "hang")]
            let server = try ScriptedServer([steps])
            defer { server.stop() }
            let clock = ManualClock()
            let transport = server.transport(clock: clock, timeouts: SMTPTimeouts(submission: .seconds(90)))
            #expect(transport.longestSend == .seconds(95))
            let sending = Task { await Samples.sendFailing(transport) }
            // The submission's limit and then the hanging step's (5 or 10 minutes) are waited on.
            await clock.waitForSleeper(lasting: afterData ? .seconds(600) : .seconds(300))
            clock.advance(by: .seconds(90))
            let error = try #require(await sending.value)
            #expect(error.code == (afterData ? .outcomeUnknown : .timedOut), "\(error.detail)")
            #expect(error.disposition == .transient)
            #expect(error.detail.hasPrefix("the submission did not finish within 90.0 seconds and was ended: "))
            #expect(try server.messages().count == (afterData ? 1 : 0))
        }

        @Test(
            "a kept connection the server closed (silently, or with 421 to the next MAIL) is replaced",
            .timeLimit(.minutes(10)), arguments: [false, true])
        func staleConnection(sayingGoodbye: Bool) async throws {
            var first: [Step] = [.greeting, .ehlo([])] + Step.transaction.dropLast()
            if sayingGoodbye {
                first += [.queued, Step("MAIL FROM", ["421 4.4.2 Waktu habis"], then: "close")]
            } else {
                first += [Step("<DATA>", ["250 2.0.0 Ok: queued as S1"], then: "close")]
            }
            let second: [Step] = [.greeting, .ehlo([])] + Step.transaction
            let server = try ScriptedServer([first, second])
            defer { server.stop() }
            let transport = server.transport()
            _ = try await transport.send(Samples.message(number: 1), envelope: Samples.envelope())
            _ = try await transport.send(Samples.message(number: 2), envelope: Samples.envelope())
            #expect(await transport.openedConnectionCount == 2)
            #expect(try server.messages().count == 2)
        }

        @Test("connections are reused up to the bound, and not after the idle timeout", .timeLimit(.minutes(10)))
        func boundAndIdleTimeout() async throws {
            let session: [Step] = [.greeting, .ehlo([])] + Step.transaction + Step.transaction
            let server = try ScriptedServer([session, session, session])
            defer { server.stop() }
            let clock = ManualClock()
            let transport = server.transport(clock: clock, maximumMessagesPerConnection: 2)
            for number in 1...3 {
                _ = try await transport.send(Samples.message(number: number), envelope: Samples.envelope())
            }
            #expect(await transport.openedConnectionCount == 2)
            clock.advance(by: .seconds(60))
            _ = try await transport.send(Samples.message(number: 4), envelope: Samples.envelope())
            #expect(await transport.openedConnectionCount == 3)
            await transport.shutdown()
            #expect(try server.messages().count == 4)
        }
    }
#endif
