import DapodikLocking
import DapodikMail
import DapodikVerification
import Foundation
import Testing

/// A transport that runs a closure for each send and says how long a send may take.
final class SlowTransport: MailTransport {
    let name: String
    let longestSend: Duration?
    private let sends = LockedValue(0)
    private let behaviour: @Sendable () async throws(MailTransportError) -> Void

    init(
        _ name: String, longestSend: Duration?,
        _ behaviour: @escaping @Sendable () async throws(MailTransportError) -> Void
    ) {
        self.name = name
        self.longestSend = longestSend
        self.behaviour = behaviour
    }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        sends.withLock { $0 += 1 }
        try await behaviour()
        return DeliveryReceipt(transport: name, handedOverAt: Date(), messageID: message.messageID, response: "250 ok")
    }

    var count: Int { sends.withLock { $0 } }
}

@Suite(.timeLimit(.minutes(10)))
struct LeaseCoversSendTests {
    @Test("a lease lasts at least the transport's longest send and a margin; the configured one when longer")
    func leaseLength() {
        let options = VerificationService.DispatchOptions()
        let sendmail = SendmailTransport(timeout: .seconds(60))
        let failover = FailoverMailTransport([sendmail, SendmailTransport(timeout: .seconds(60))])
        #expect(options.lease(sendingThrough: InMemoryMailTransport()) == .seconds(120))
        #expect(options.lease(sendingThrough: sendmail) == .seconds(120), "67.25 s + 30 s is under 2 minutes")
        #expect(failover.longestSend == .milliseconds(134_500))
        #expect(options.lease(sendingThrough: failover) == .milliseconds(164_500))
        #expect(FailoverMailTransport([sendmail, InMemoryMailTransport()]).longestSend == nil)
    }

    @Test("a failover slower than the configured lease is not sent again by a second dispatcher meanwhile")
    func slowFailoverKeepsItsLease() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.sibling { $0.dispatch.sendImmediately = false }.requestCode(for: ptk.id, by: ptk.id)

        let other = SlowTransport("other-host", longestSend: nil) {}
        let secondDispatcher = harness.sibling { $0.transport = other }
        let clock = harness.clock
        // Two sendmails of 60 s: the first hangs to its timeout and its grace, the second succeeds
        // at 122 s, when the cron dispatcher of another host runs.
        let hanging = SlowTransport("primary", longestSend: .seconds(72)) { () throws(MailTransportError) in
            clock.advance(by: 72)
            throw MailTransportError(.timedOut, disposition: .transient, transport: "primary", detail: "timeout")
        }
        let slowBackup = SlowTransport("backup", longestSend: .seconds(72)) {
            clock.advance(by: 50)
            _ = try? await secondDispatcher.drainOutbox()
        }
        let first = harness.sibling { $0.transport = FailoverMailTransport([hanging, slowBackup]) }
        let summary = try await first.drainOutbox()
        #expect(summary.handedOver == 1)
        #expect(slowBackup.count == 1)
        #expect(other.count == 0, "the second dispatcher sent it while the first still held it")
    }
}
