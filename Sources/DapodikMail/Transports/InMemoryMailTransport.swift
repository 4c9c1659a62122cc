public import DapodikAccounts
internal import DapodikLocking

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A transport that keeps what it is given, for tests and for apps that show or forward mail
/// themselves (like swift-log's `InMemoryLogging`).
///
/// It can be scripted to fail: ``failNext(with:)`` queues failures for the next sends (say, three
/// transient failures and then success, to exercise a dispatcher's retries), and
/// ``failAlways(for:with:)`` makes every send to one address fail (an undeliverable mailbox).
/// Failed sends are not recorded as deliveries, but counted in ``attemptCount``.
public final class InMemoryMailTransport: MailTransport {
    /// One accepted message.
    public struct Delivery: Sendable, Hashable {
        /// The message as it was handed over.
        public var message: RenderedMessage
        /// Its envelope.
        public var envelope: Envelope
        /// The receipt the send returned.
        public var receipt: DeliveryReceipt
    }

    private struct State {
        var deliveries: [Delivery] = []
        var attempts = 0
        var queuedFailures: [MailTransportError] = []
        var failingRecipients: [String: MailTransportError] = [:]
    }

    /// The name in receipts and errors.
    public let name: String
    private let now: @Sendable () -> Date
    private let state = LockedValue(State())

    /// Creates an empty transport that accepts everything until told otherwise.
    /// - Parameters:
    ///   - name: The name in receipts and errors; `"in-memory"` unless given.
    ///   - now: The clock for receipts; the system clock unless given.
    public init(name: String = "in-memory", now: @escaping @Sendable () -> Date = { Date() }) {
        self.name = name
        self.now = now
    }

    /// Records the message, or fails as scripted.
    /// - Parameters:
    ///   - message: The message.
    ///   - envelope: Its envelope.
    /// - Returns: A receipt with response `"accepted"`.
    /// - Throws: The next queued failure if there is one; else the failure set for a recipient with
    ///   ``failAlways(for:with:)``; else ``MailTransportError/Code/noRecipients`` (permanent) for an
    ///   envelope without recipients.
    public func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError)
        -> DeliveryReceipt
    {
        let handedOverAt = now()
        let result: Result<DeliveryReceipt, MailTransportError> = state.withLock { state in
            state.attempts += 1
            if !state.queuedFailures.isEmpty { return .failure(state.queuedFailures.removeFirst()) }
            for recipient in envelope.recipients {
                if let failure = state.failingRecipients[recipient.canonical] { return .failure(failure) }
            }
            guard !envelope.recipients.isEmpty else {
                return .failure(
                    MailTransportError(
                        .noRecipients, disposition: .permanent, transport: name,
                        detail: "the envelope has no recipients"))
            }
            let receipt = DeliveryReceipt(
                transport: name, handedOverAt: handedOverAt, messageID: message.messageID, response: "accepted")
            state.deliveries.append(Delivery(message: message, envelope: envelope, receipt: receipt))
            return .success(receipt)
        }
        return try result.get()
    }

    /// Everything accepted so far, oldest first.
    public var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// The messages accepted for `recipient`, oldest first.
    /// - Parameter recipient: A recipient address (compared in canonical form).
    /// - Returns: The deliveries whose envelope names the recipient.
    public func deliveries(to recipient: EmailAddress) -> [Delivery] {
        deliveries.filter { $0.envelope.recipients.contains { $0.canonical == recipient.canonical } }
    }

    /// How many sends were attempted, failed ones included.
    public var attemptCount: Int { state.withLock { $0.attempts } }

    /// Makes the next sends fail with these errors, in order, before any recipient rule applies.
    /// - Parameter failures: The errors, one per coming send.
    public func failNext(with failures: [MailTransportError]) {
        state.withLock { $0.queuedFailures += failures }
    }

    /// Makes the next `count` sends fail with a generic scripted error of the given disposition.
    /// - Parameters:
    ///   - count: How many sends fail.
    ///   - disposition: Their disposition.
    ///   - smtpReplyCode: The SMTP reply code they carry, if any (such as 451 or 550).
    public func failNext(
        _ count: Int, disposition: MailTransportError.Disposition, smtpReplyCode: Int? = nil
    ) {
        let error = MailTransportError(
            .scripted, disposition: disposition, transport: name, smtpReplyCode: smtpReplyCode,
            detail: "scripted \(disposition.rawValue) failure")
        failNext(with: Array(repeating: error, count: count))
    }

    /// Makes every send to `recipient` fail with `error` until ``stopFailing(for:)``.
    /// - Parameters:
    ///   - recipient: The address (compared in canonical form).
    ///   - error: The failure; a permanent one models an undeliverable mailbox.
    public func failAlways(for recipient: EmailAddress, with error: MailTransportError) {
        state.withLock { $0.failingRecipients[recipient.canonical] = error }
    }

    /// Lets sends to `recipient` succeed again.
    /// - Parameter recipient: The address.
    public func stopFailing(for recipient: EmailAddress) {
        _ = state.withLock { $0.failingRecipients.removeValue(forKey: recipient.canonical) }
    }

    /// Forgets the deliveries and the attempt count; scripted failures stay.
    public func removeAllDeliveries() {
        state.withLock { state in
            state.deliveries = []
            state.attempts = 0
        }
    }
}
