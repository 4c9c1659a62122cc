import DapodikAccounts
import DapodikMail
import Foundation
import Testing

struct InMemoryMailTransportTests {
    static let now = Date(timeIntervalSince1970: 1_795_922_262)

    static func sample(to recipient: String = "siti@gmail.com") throws -> (RenderedMessage, Envelope) {
        let message = MailMessage(
            from: Mailbox(try EmailAddress("noreply@dapodik.example")), to: [Mailbox(try EmailAddress(recipient))],
            subject: "Kode", textBody: "482913", date: now)
        return (try message.rendered(), message.envelope)
    }

    @Test("it records what it accepts, with receipts from the injected clock", .timeLimit(.minutes(10)))
    func records() async throws {
        let transport = InMemoryMailTransport(now: { Self.now })
        let (message, envelope) = try Self.sample()
        let receipt = try await transport.send(message, envelope: envelope)
        #expect(receipt.handedOverAt == Self.now)
        #expect(receipt.transport == "in-memory")
        #expect(receipt.messageID == message.messageID)
        #expect(transport.deliveries.map(\.message) == [message])
        #expect(transport.deliveries(to: try EmailAddress("SITI@gmail.com")).count == 1)
        #expect(transport.deliveries.first?.message.plainText == "482913\n")
    }

    @Test(
        "removing all deliveries forgets them and the attempt count, but keeps scripted failures",
        .timeLimit(.minutes(10)))
    func removeAllDeliveries() async throws {
        let transport = InMemoryMailTransport(now: { Self.now })
        let (message, envelope) = try Self.sample()
        _ = try await transport.send(message, envelope: envelope)
        transport.failNext(1, disposition: .transient, smtpReplyCode: 451)
        transport.removeAllDeliveries()
        #expect(transport.deliveries.isEmpty)
        #expect(transport.attemptCount == 0)
        await #expect(throws: MailTransportError.self) { _ = try await transport.send(message, envelope: envelope) }
        _ = try await transport.send(message, envelope: envelope)
        #expect(transport.deliveries.count == 1)
        #expect(transport.attemptCount == 2)
    }

    @Test("scripted failures come first, in order, then it recovers", .timeLimit(.minutes(10)))
    func scripted() async throws {
        let transport = InMemoryMailTransport(now: { Self.now })
        transport.failNext(2, disposition: .transient, smtpReplyCode: 451)
        transport.failNext(1, disposition: .misconfigured)
        let (message, envelope) = try Self.sample()
        var dispositions: [MailTransportError.Disposition] = []
        for _ in 0..<3 {
            let error = await #expect(throws: MailTransportError.self) {
                try await transport.send(message, envelope: envelope)
            }
            if let error { dispositions.append(error.disposition) }
        }
        #expect(dispositions == [.transient, .transient, .misconfigured])
        _ = try await transport.send(message, envelope: envelope)
        #expect(transport.attemptCount == 4)
        #expect(transport.deliveries.count == 1)
    }

    @Test("a recipient can be made undeliverable, and deliverable again", .timeLimit(.minutes(10)))
    func undeliverable() async throws {
        let transport = InMemoryMailTransport()
        let bad = try EmailAddress("typo@gmial.com")
        transport.failAlways(
            for: bad,
            with: MailTransportError(
                .rejected, disposition: .permanent, transport: "in-memory", smtpReplyCode: 550, detail: "no such user"))
        let (message, envelope) = try Self.sample(to: "typo@gmial.com")
        await #expect(throws: MailTransportError.self) { try await transport.send(message, envelope: envelope) }
        let (other, otherEnvelope) = try Self.sample()
        _ = try await transport.send(other, envelope: otherEnvelope)
        transport.stopFailing(for: bad)
        _ = try await transport.send(message, envelope: envelope)
        #expect(transport.deliveries.count == 2)
    }

    @Test("it can be used from many tasks at once", .timeLimit(.minutes(10)))
    func concurrent() async throws {
        let transport = InMemoryMailTransport()
        let (message, envelope) = try Self.sample()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<100 {
                group.addTask { _ = try? await transport.send(message, envelope: envelope) }
            }
        }
        let detached = Task.detached { try await transport.send(message, envelope: envelope) }
        _ = try await detached.value
        #expect(transport.deliveries.count == 101)
    }
}

struct FailoverMailTransportTests {
    static func error(_ disposition: MailTransportError.Disposition, _ name: String) -> MailTransportError {
        MailTransportError(.scripted, disposition: disposition, transport: name, detail: "\(disposition)")
    }

    @Test(
        "it moves on after transient and misconfigured failures, and keeps them in the receipt",
        .timeLimit(.minutes(10)), arguments: [MailTransportError.Disposition.transient, .misconfigured])
    func movesOn(disposition: MailTransportError.Disposition) async throws {
        let primary = InMemoryMailTransport(name: "primary")
        let backup = InMemoryMailTransport(name: "backup")
        primary.failNext(with: [Self.error(disposition, "primary")])
        let failover = FailoverMailTransport([primary, backup])
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let receipt = try await failover.send(message, envelope: envelope)
        #expect(receipt.transport == "backup")
        #expect(receipt.earlierFailures.map(\.disposition) == [disposition])
        #expect(backup.deliveries.count == 1)
    }

    @Test("a permanent failure stops: the next transport is not tried", .timeLimit(.minutes(10)))
    func permanentStops() async throws {
        let primary = InMemoryMailTransport(name: "primary")
        let backup = InMemoryMailTransport(name: "backup")
        primary.failNext(with: [Self.error(.permanent, "primary")])
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let error = await #expect(throws: MailTransportError.self) {
            try await FailoverMailTransport([primary, backup]).send(message, envelope: envelope)
        }
        #expect(error?.disposition == .permanent)
        #expect(error?.transport == "primary")
        #expect(backup.attemptCount == 0)
    }

    @Test(
        "an unknown outcome stops, as it is, with the failures before it: the message may be delivered already",
        .timeLimit(.minutes(10)))
    func unknownOutcomeStops() async throws {
        let first = InMemoryMailTransport(name: "first")
        let primary = InMemoryMailTransport(name: "primary")
        let backup = InMemoryMailTransport(name: "backup")
        first.failNext(with: [Self.error(.misconfigured, "first")])
        primary.failNext(with: [
            MailTransportError(
                .outcomeUnknown, disposition: .transient, transport: "primary", detail: "no reply after the final dot")
        ])
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        let error = await #expect(throws: MailTransportError.self) {
            try await FailoverMailTransport([first, primary, backup]).send(message, envelope: envelope)
        }
        #expect(error?.code == .outcomeUnknown)
        #expect(error?.disposition == .transient)
        #expect(error?.transport == "primary")
        #expect(error?.detail.contains("no reply after the final dot | after: first: misconfigured") == true)
        #expect(backup.attemptCount == 0)
    }

    @Test("when all fail, the result is transient if any was, misconfigured if all were", .timeLimit(.minutes(10)))
    func allFail() async throws {
        let (message, envelope) = try InMemoryMailTransportTests.sample()
        for (first, second, expected) in [
            (
                MailTransportError.Disposition.misconfigured, MailTransportError.Disposition.transient,
                MailTransportError.Disposition.transient
            ),
            (.misconfigured, .misconfigured, .misconfigured),
        ] {
            let a = InMemoryMailTransport(name: "a")
            let b = InMemoryMailTransport(name: "b")
            a.failNext(with: [Self.error(first, "a")])
            b.failNext(with: [Self.error(second, "b")])
            let error = await #expect(throws: MailTransportError.self) {
                try await FailoverMailTransport([a, b]).send(message, envelope: envelope)
            }
            #expect(error?.code == .allTransportsFailed)
            #expect(error?.disposition == expected)
            #expect(error?.detail.contains("a: ") == true && error?.detail.contains("b: ") == true)
        }
        await #expect(throws: MailTransportError.self) {
            try await FailoverMailTransport([]).send(message, envelope: envelope)
        }
    }
}
