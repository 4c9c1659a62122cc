import DapodikMail
import DapodikVerification
import Foundation
import Testing

/// An attempt's outcome is dated when it was known, the clock after the send: a send that took a
/// minute (a mail server's timeout) is not recorded as failed, refused or handed over a minute early.
@Suite(.timeLimit(.minutes(10)))
struct DeliveryOutcomeTimeTests {
    /// How an attempt of 60 s ends.
    enum Ending: String, CaseIterable, CustomTestStringConvertible {
        /// Handed over to the mail server.
        case handedOver
        /// A transient failure (deferred: retried later).
        case deferred
        /// A permanent refusal.
        case refused
        /// The whole message went out and the server's answer was lost (interrupted).
        case interrupted
        /// The sending side is misconfigured.
        case misconfigured

        var testDescription: String { rawValue }

        var event: VerificationEvent.Kind { self == .handedOver ? .codeDelivered : .deliveryFailed }
    }

    @Test(
        "an attempt that takes 60 s has its outcome's event, and its state, dated when the attempt ended",
        arguments: StoreKind.allCases, Ending.allCases)
    func outcomeIsDatedAtTheEnd(_ kind: StoreKind, _ ending: Ending) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let clock = harness.clock
        let slow = SlowTransport("slow", longestSend: .seconds(70)) { () throws(MailTransportError) in
            clock.advance(by: 60)
            switch ending {
            case .handedOver: return
            case .deferred:
                throw MailTransportError(.timedOut, disposition: .transient, transport: "slow", detail: "timeout")
            case .refused:
                throw MailTransportError(
                    .rejected, disposition: .permanent, transport: "slow", smtpReplyCode: 550,
                    detail: "550 5.1.1 no such user", serverReply: "550 5.1.1 no such user")
            case .interrupted:
                throw MailTransportError(
                    .outcomeUnknown, disposition: .transient, transport: "slow", detail: "the reply never came")
            case .misconfigured:
                throw MailTransportError(
                    .configuration, disposition: .misconfigured, transport: "slow", detail: "no such program")
            }
        }
        let service = harness.sibling { $0.transport = slow }
        let start = clock.now
        let status = try await service.requestCode(for: ptk.id, by: ptk.id)
        #expect(slow.count == 1)
        let end = start.addingTimeInterval(60)
        let events = try await service.events(after: .start, limit: 1_000).filter { $0.account == ptk.id }
        let outcome = try #require(events.last { $0.kind == ending.event }, "\(events.map(\.kind))")
        #expect(outcome.time == end, "dated \(outcome.time.timeIntervalSince(start)) s after the attempt began")
        switch (ending, status.state) {
        case (.handedOver, .handedOver(let at, _)):
            #expect(at == end, "handed over \(at.timeIntervalSince(start)) s after the attempt began")
            // The code's lifetime runs from when its e-mail was made, the expiry that e-mail states.
            #expect(status.codeExpiresAt == start.addingTimeInterval(30 * 60))
        case (.handedOver, _): Issue.record("expected handedOver, got \(status.state)")
        case (.deferred, .retrying), (.interrupted, .retrying), (.misconfigured, .retrying), (.refused, .failed):
            break
        default: Issue.record("\(ending): unexpected \(status.state)")
        }
    }
}
