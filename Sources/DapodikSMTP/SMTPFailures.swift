#if SMTP
    import DapodikMail

    /// Turns what went wrong at a step of the session into the `MailTransportError` the outbox
    /// acts on. One home for the mapping: 421 and other 4yz replies are transient, 5yz replies
    /// permanent (for the message or recipient) or misconfigured (for the session), TLS and login
    /// failures misconfigured, a lost connection or a timeout transient.
    struct SMTPFailures: Sendable {
        let transport: String

        /// Runs a step of the session, turning a channel failure into a transport error.
        func step<Value>(
            _ stage: String, _ body: () async throws(SMTPChannel.Failure) -> Value
        ) async throws(MailTransportError) -> Value {
            do {
                return try await body()
            } catch {
                throw channelFailure(error, at: stage)
            }
        }

        /// A channel failure at a step.
        func channelFailure(_ failure: SMTPChannel.Failure, at stage: String) -> MailTransportError {
            switch failure {
            case .timedOut:
                MailTransportError(
                    .timedOut, disposition: .transient, transport: transport,
                    detail: "no reply to \(stage) within the time limit (RFC 5321 §4.5.3.2)")
            case .closed(let reason):
                MailTransportError(
                    .connectionFailed, disposition: .transient, transport: transport,
                    detail: "connection lost at \(stage): \(reason)")
            case .tls(let reason):
                MailTransportError(
                    .tlsFailed, disposition: .misconfigured, transport: transport,
                    detail: "TLS failed at \(stage) (untrusted certificate, wrong host name or TLS < 1.2?): \(reason)")
            case .protocolViolation(let reason):
                MailTransportError(
                    .protocolViolation, disposition: .transient, transport: transport,
                    detail: "the server broke the SMTP protocol at \(stage): \(reason)")
            }
        }

        /// Throws unless the reply is of the expected class (2 for done, 3 for "go on"); a
        /// refusal of the session itself (greeting, `EHLO`, `STARTTLS`) is transient for 4yz and
        /// misconfigured for 5yz: the message is not at fault.
        func expect(_ reply: SMTPReply, _ replyClass: Int, at stage: String) throws(MailTransportError) {
            guard reply.code / 100 != replyClass else { return }
            throw refusal(reply, at: stage, permanently: .misconfigured)
        }

        /// A refusal by reply: 4yz (421 included) transient, 5yz with the given disposition, any
        /// other unexpected reply a protocol violation.
        func refusal(
            _ reply: SMTPReply, at stage: String, permanently: MailTransportError.Disposition
        ) -> MailTransportError {
            let detail = "\(stage): \(reply)"
            switch reply.code / 100 {
            case 4:
                return MailTransportError(
                    .deferred, disposition: .transient, transport: transport, smtpReplyCode: reply.code, detail: detail,
                    serverReply: reply.description)
            case 5:
                return MailTransportError(
                    .rejected, disposition: permanently, transport: transport, smtpReplyCode: reply.code,
                    detail: detail,
                    serverReply: reply.description)
            default:
                return MailTransportError(
                    .protocolViolation, disposition: .transient, transport: transport, smtpReplyCode: reply.code,
                    detail: "unexpected reply to " + detail)
            }
        }

        /// The TCP connection (or the TLS setup before it) could not be made.
        func connection(_ error: any Error, to configuration: SMTPConfiguration) -> MailTransportError {
            let failure = SMTPChannel.classify(error)
            if case .tls = failure { return channelFailure(failure, at: "connect") }
            return MailTransportError(
                .connectionFailed, disposition: .transient, transport: transport,
                detail: "cannot connect to \(configuration.host):\(configuration.port): \(error)")
        }

        /// Plaintext was configured but the server's address is not a loopback one.
        func plaintextNotOnLoopback(_ host: String) -> MailTransportError {
            MailTransportError(
                .configuration, disposition: .misconfigured, transport: transport,
                detail: "plaintext SMTP is allowed only to a loopback address; \(host) is not one (use TLS)")
        }

        /// The server did not offer `STARTTLS`.
        func startTLSNotOffered() -> MailTransportError {
            MailTransportError(
                .startTLSNotOffered, disposition: .misconfigured, transport: transport,
                detail: "the server does not offer STARTTLS; nothing was sent (plaintext is never used)")
        }

        /// The TLS configuration could not be made (unreadable trust roots, say).
        func tlsConfiguration(_ reason: String) -> MailTransportError {
            MailTransportError(
                .configuration, disposition: .misconfigured, transport: transport,
                detail: "the TLS configuration is invalid: " + reason)
        }
    }
#endif
