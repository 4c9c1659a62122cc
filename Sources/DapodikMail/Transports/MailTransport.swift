/// Something that hands a rendered message to the mail system: an SMTP relay, a local `sendmail`,
/// a Maildir, a test double.
///
/// Implementations are `Sendable` and may be called concurrently. A transport tries once: retrying
/// with backoff is the outbox dispatcher's job, guided by ``MailTransportError/disposition``.
public protocol MailTransport: Sendable {
    /// A short name for receipts, errors and logs, such as `"sendmail"` or `"maildir"`.
    var name: String { get }

    /// Hands one message over for delivery.
    /// - Parameters:
    ///   - message: The rendered message, sent byte for byte.
    ///   - envelope: The envelope sender and recipients.
    /// - Returns: A receipt saying when the message was handed over and what the other side said.
    ///   A receipt means the message was *accepted* for delivery, not that it reached the inbox.
    /// - Throws: ``MailTransportError`` with a ``MailTransportError/Disposition`` saying whether to
    ///   retry (`.transient`), give up (`.permanent`) or alert an administrator (`.misconfigured`).
    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt

    /// The longest one ``send(_:envelope:)`` can take, every timeout and its grace included, when
    /// the transport bounds it; `nil` (the default) when it does not say. A dispatcher leases a
    /// message for at least this long, so no other dispatcher sends it while this one still may.
    var longestSend: Duration? { get }
}

extension MailTransport {
    /// Not said: the dispatcher's own lease applies.
    public var longestSend: Duration? { nil }
}
