import DapodikLocking
import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// The watch that lets a waiting command blame the mail server only while a send is under way.
@Suite("dapodik-verify watches its mail transport")
struct WatchedTransportTests {
    /// A transport whose sends wait until the test lets them go.
    final class GatedTransport: MailTransport {
        let name = "gated"
        let started = LockedValue(false)
        let gate = LockedValue<CheckedContinuation<Void, Never>?>(nil)

        func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
            await withCheckedContinuation { continuation in
                gate.withLock { $0 = continuation }
                started.withLock { $0 = true }
            }
            return DeliveryReceipt(transport: name, handedOverAt: Date(), messageID: message.messageID)
        }

        func open() { gate.withLock { $0?.resume() } }
    }

    @Test("a send under way for a while is seen, and no longer once it has ended")
    func sendUnderWay() async throws {
        let gated = GatedTransport()
        let watched = WatchedTransport(gated)
        #expect(!watched.hasBeenSending(for: .zero), "nothing is sent yet")
        let address = try EmailAddress("budi@gmail.com")
        let message = RenderedMessage(
            bytes: Array("Subject: x\r\n\r\nx\r\n".utf8), messageID: try MessageID("a@b.example"))
        let send = Task { try await watched.send(message, envelope: Envelope(sender: address, recipients: [address])) }
        while !gated.started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        #expect(watched.hasBeenSending(for: .zero))
        #expect(!watched.hasBeenSending(for: .seconds(60)), "not yet for a minute")
        try await Task.sleep(for: .milliseconds(50))
        #expect(watched.hasBeenSending(for: .milliseconds(50)))
        gated.open()
        _ = try await send.value
        #expect(!watched.hasBeenSending(for: .zero), "the send has ended")
    }
}
