/// Tries several transports in order until one accepts the message.
///
/// It moves on to the next transport only after a transient or misconfigured failure that says the
/// message was not taken: another route may work. A permanent failure (the recipient's server
/// refused the address or the message) stops at once, because another route would reach the same
/// server and be refused again; so does an unknown outcome
/// (``MailTransportError/Code/outcomeUnknown``: the whole message went out and the reply was lost),
/// because the first route may well deliver it, and sending it again at once would give the person
/// two copies. Failures that came before a success are kept in the receipt's
/// ``DeliveryReceipt/earlierFailures``, so a broken primary is noticed.
public struct FailoverMailTransport: MailTransport {
    /// The name in receipts and errors.
    public let name: String
    /// The transports, in the order they are tried.
    public let transports: [any MailTransport]

    /// Creates a failover transport.
    /// - Parameters:
    ///   - transports: The transports to try, first to last.
    ///   - name: The name of the combination in its own errors; `"failover"` unless given.
    public init(_ transports: [any MailTransport], name: String = "failover") {
        self.transports = transports
        self.name = name
    }

    /// The sum of the transports' longest sends (every one may be tried), or `nil` when one of them
    /// does not say.
    public var longestSend: Duration? {
        var total = Duration.zero
        for transport in transports {
            guard let longest = transport.longestSend else { return nil }
            total += longest
        }
        return total
    }

    /// Sends through the first transport that accepts the message.
    /// - Parameters:
    ///   - message: The message.
    ///   - envelope: Its envelope.
    /// - Returns: The accepting transport's receipt, with earlier failures attached.
    /// - Throws: The first permanent or unknown-outcome ``MailTransportError`` as it is (with the
    ///   failures before it in its detail); when every transport failed
    ///   otherwise, an error with code ``MailTransportError/Code/allTransportsFailed`` that is
    ///   transient if any failure was transient (the next attempt may succeed) and misconfigured if
    ///   all were, with every failure in its detail. No transports at all is misconfigured.
    public func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError)
        -> DeliveryReceipt
    {
        var failures: [MailTransportError] = []
        for transport in transports {
            do {
                var receipt = try await transport.send(message, envelope: envelope)
                receipt.earlierFailures = failures + receipt.earlierFailures
                return receipt
            } catch {
                if error.disposition == .permanent || error.code == .outcomeUnknown {
                    var final = error
                    if !failures.isEmpty {
                        final.detail += " | after: " + failures.map(Self.summary).joined(separator: " | ")
                    }
                    throw final
                }
                failures.append(error)
            }
        }
        guard !failures.isEmpty else {
            throw MailTransportError(
                .allTransportsFailed, disposition: .misconfigured, transport: name,
                detail: "no transports are configured")
        }
        let disposition: MailTransportError.Disposition =
            failures.contains { $0.disposition == .transient } ? .transient : .misconfigured
        let last = failures.last!
        throw MailTransportError(
            .allTransportsFailed, disposition: disposition, transport: name, smtpReplyCode: last.smtpReplyCode,
            exitStatus: last.exitStatus,
            detail: failures.map(Self.summary).joined(separator: " | "), serverReply: last.serverReply)
    }

    /// One failure in a combined detail: the transport, the disposition and its own detail.
    static func summary(_ failure: MailTransportError) -> String {
        "\(failure.transport): \(failure.disposition.rawValue): \(failure.detail)"
    }
}
