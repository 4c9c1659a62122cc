import DapodikLocking
import DapodikVerification
import Foundation

/// A mail transport that notes when a send is under way, so that a command waiting on a request can
/// say what it waits for: the mail server (a send going on for a while) or the store.
final class WatchedTransport: MailTransport {
    /// The transport that sends.
    let wrapped: any MailTransport
    /// When each send under way began.
    private let sending = LockedValue<[UUID: ContinuousClock.Instant]>([:])

    /// Watches `wrapped`.
    init(_ wrapped: any MailTransport) {
        self.wrapped = wrapped
    }

    var name: String { wrapped.name }
    var longestSend: Duration? { wrapped.longestSend }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        let id = UUID()
        sending.withLock { $0[id] = .now }
        defer { sending.withLock { $0[id] = nil } }
        return try await wrapped.send(message, envelope: envelope)
    }

    /// Whether a send has been under way for at least `duration`.
    func hasBeenSending(for duration: Duration) -> Bool {
        let now = ContinuousClock.now
        return sending.withLock { $0.values.contains { now - $0 >= duration } }
    }
}
