import DapodikMail
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
        harness.clock.set(next)
        let summary = try await harness.service.drainOutbox()
        #expect(summary.handedOver == 1)
        #expect(harness.transport.deliveries(to: ptk.email!).count == 1)
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
