import DapodikLocking
import DapodikMail
import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

@Suite(.timeLimit(.minutes(10)))
struct UnknownOutcomeTests {
    @Test(
        "a message whose outcome is unknown (lost after the final dot) is resent only after the longest backoff",
        arguments: StoreKind.allCases)
    func unknownOutcomeWaits(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(with: [
            MailTransportError(
                .outcomeUnknown, disposition: .transient, transport: "smtp",
                detail: "the message was sent but its reply never came")
        ])

        let first = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .retrying(_, let next, let attempts) = first.state else {
            Issue.record("expected retrying, got \(first.state)")
            return
        }
        #expect(attempts == 1)
        // A plain transient failure would be retried after 30 s (see DeliveryTests); this waits
        // the longest backoff, 15 minutes by default.
        #expect(next == harness.clock.now.addingTimeInterval(15 * 60))
        // Read back from the store: the person is told the code may be in the inbox already and works
        // if it is, not that it "has not reached" them; the operator is told the holder should look.
        let stored = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(stored.state == first.state)
        let english = stored.explanation.english
        #expect(english.contains("may already have reached"), "\(english)")
        #expect(english.contains("Check the inbox and the spam folder first"), "\(english)")
        // Until the longest a code lives: no hand-over was recorded to start its shorter lifetime.
        #expect(english.contains("if the code is there, it is valid until"), "\(english)")
        #expect(english.contains("the same message is sent again"), "\(english)")
        #expect(!english.contains("has not reached"), "\(english)")
        #expect(stored.explanation.indonesian.contains("mungkin sudah sampai"), "\(stored.explanation.indonesian)")
        #expect(!stored.explanation.indonesian.contains("belum terkirim"), "\(stored.explanation.indonesian)")
        let seenByOperator = try await harness.service.deliveryStatus(for: ptk.id, by: manager.id)
        #expect(seenByOperator.explanation.english.contains("The account's holder should check the inbox"))
        harness.clock.set(next)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.handedOver == 1)
        #expect(harness.transport.deliveries(to: ptk.email!).count == 1)
    }

    @Test(
        "the code in a message whose answer was lost is accepted before the message is sent again",
        arguments: StoreKind.allCases)
    func lostAnswerCodeWorks(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let losing = AnswerLosingTransport()
        let service = harness.sibling { $0.transport = losing }
        let status = try await service.requestCode(for: ptk.id, by: ptk.id)
        guard case .retrying = status.state else {
            Issue.record("expected retrying, got \(status.state)")
            return
        }
        // The message did reach the inbox: its code works, and the account is verified.
        let text = try #require(losing.messages.last?.text)
        let code = try #require(verificationCode(in: text))
        harness.clock.advance(by: 60)
        let result = try await service.submitCode(code, for: ptk.id, by: ptk.id)
        #expect(result.outcome == .verified, "\(result.outcome)")
        guard case .verified = try await service.deliveryStatus(for: ptk.id, by: ptk.id).state else {
            Issue.record("the status does not say verified")
            return
        }
    }

    @Test("behind a failover, an unknown outcome is neither sent again through the backup nor retried early")
    func unknownOutcomeBehindFailover() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let backup = InMemoryMailTransport(name: "backup", now: { harness.clock.now })
        harness.transport.failNext(with: [
            MailTransportError(
                .outcomeUnknown, disposition: .transient, transport: "smtp",
                detail: "the message was sent but its reply never came")
        ])
        let service = harness.sibling { $0.transport = FailoverMailTransport([harness.transport, backup]) }
        let status = try await service.requestCode(for: ptk.id, by: ptk.id)
        guard case .retrying(_, let next, _) = status.state else {
            Issue.record("expected retrying, got \(status.state)")
            return
        }
        #expect(next == harness.clock.now.addingTimeInterval(15 * 60))
        #expect(backup.attemptCount == 0)
    }
}

/// A transport whose every message goes out whole and whose answer is lost: the recipient has it,
/// the sender cannot know.
private final class AnswerLosingTransport: MailTransport {
    let name = "answer-losing"
    private let sent = LockedValue<[RenderedMessage]>([])

    /// Every message sent, in order.
    var messages: [RenderedMessage] { sent.withLock { $0 } }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        sent.withLock { $0.append(message) }
        throw MailTransportError(
            .outcomeUnknown, disposition: .transient, transport: name, detail: "no answer after the final dot")
    }
}
