#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// Proof that a transport accepted a message for delivery: which transport, when, and what the
/// other side answered.
public struct DeliveryReceipt: Sendable, Hashable, Codable {
    /// The ``MailTransport/name`` of the transport that accepted the message.
    public var transport: String
    /// When the message was handed over (from the transport's injected clock).
    public var handedOverAt: Date
    /// The Message-ID of the message.
    public var messageID: MessageID
    /// What the other side said, if anything: an SMTP server's final reply (`250 2.0.0 Ok: queued
    /// as 4F2A1`), the file a Maildir transport wrote, …. Never contains a credential.
    public var response: String?
    /// Failures of transports tried before this one succeeded (see ``FailoverMailTransport``), so a
    /// broken primary is noticed even while a backup keeps mail flowing.
    public var earlierFailures: [MailTransportError]

    /// Creates a receipt.
    /// - Parameters:
    ///   - transport: The transport's name.
    ///   - handedOverAt: When the message was accepted.
    ///   - messageID: The message's Message-ID.
    ///   - response: What the other side said, if anything.
    ///   - earlierFailures: Failures of transports tried before, if any.
    public init(
        transport: String, handedOverAt: Date, messageID: MessageID, response: String? = nil,
        earlierFailures: [MailTransportError] = []
    ) {
        self.transport = transport
        self.handedOverAt = handedOverAt
        self.messageID = messageID
        self.response = response
        self.earlierFailures = earlierFailures
    }
}
