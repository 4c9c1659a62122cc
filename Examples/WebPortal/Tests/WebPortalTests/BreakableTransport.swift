import DapodikVerification
import Synchronization

/// A transport that sends through another until a test breaks it: then every send fails with the
/// error it was given, as a real transport fails (a refused certificate, a refused login).
final class BreakableTransport: MailTransport {
    private let base: any MailTransport
    private let failure = Mutex<MailTransportError?>(nil)

    init(_ base: any MailTransport) {
        self.base = base
    }

    var name: String { base.name }

    /// Makes every later send fail with `error`.
    func breakDown(with error: MailTransportError) {
        failure.withLock { $0 = error }
    }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        if let error = failure.withLock({ $0 }) { throw error }
        return try await base.send(message, envelope: envelope)
    }
}
