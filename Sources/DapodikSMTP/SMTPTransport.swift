#if SMTP
    import DapodikAccounts
    public import DapodikMail
    public import NIOCore
    public import NIOPosix
    import NIOSSL

    #if canImport(FoundationEssentials)
        public import FoundationEssentials
    #else
        public import Foundation
    #endif

    /// Submits mail straight to an SMTP server (a relay of the ministry, a provider) over TLS, with
    /// a login: RFC 5321, RFC 6409 submission, RFC 8314 implicit TLS or RFC 3207 STARTTLS.
    ///
    /// TLS is never optional: with ``SMTPConfiguration/Security/startTLS`` a server that does not
    /// offer `STARTTLS` gets nothing but `EHLO`, and plaintext exists only for loopback addresses.
    /// Certificates are checked against ``SMTPConfiguration/host``; TLS 1.2 is the least accepted.
    ///
    /// One connection carries several messages (up to
    /// ``SMTPConfiguration/maximumMessagesPerConnection``) and is closed after
    /// ``SMTPConfiguration/idleTimeout`` unused. Concurrent sends use separate connections.
    ///
    /// Each send maps the server's answer onto ``MailTransportError/Disposition``: 4yz (421 at any
    /// step included) transient, 5yz permanent, a TLS or login failure misconfigured; a lost
    /// connection or a timeout after the whole message was sent is
    /// ``MailTransportError/Code/outcomeUnknown`` (transient), because the server may have it.
    /// A whole submission is bounded by ``SMTPTimeouts/submission``, and so is ``longestSend``.
    /// When the server accepts some recipients and refuses others, the message went to those it
    /// accepted: the receipt's response names the refused ones.
    public actor SMTPTransport: MailTransport {
        private struct Lease {
            var connection: SMTPConnection
            var messagesSent: Int
            var number: Int
            var reused: Bool
        }

        /// What finished first: the submission, or its time limit (`passed` false when cancelled).
        private enum SubmissionRace: Sendable {
            case submitted(Result<DeliveryReceipt, MailTransportError>)
            case limit(passed: Bool)
        }

        private struct IdleConnection {
            var lease: Lease
            var idleSince: Duration
            /// Closes the connection once the idle timeout has passed; cancelled when it is reused.
            var closer: Task<Void, Never>
        }

        /// The name in receipts and errors (`"smtp"` unless given).
        public nonisolated let name: String
        /// Where and how mail is submitted.
        public nonisolated let configuration: SMTPConfiguration
        private let group: any EventLoopGroup
        private let timer: SMTPTimer
        private let now: @Sendable () -> Date
        private var tlsContext: NIOSSLContext?
        private var idle: [IdleConnection] = []
        private var connectionsOpened = 0

        /// Creates a transport; nothing is connected until the first message.
        /// - Parameters:
        ///   - configuration: The server, security, login and limits.
        ///   - name: The name in receipts and errors; `"smtp"` by default.
        ///   - eventLoopGroup: Where the connections run; SwiftNIO's shared group by default.
        ///   - clock: The clock the time limits and the idle timeout are measured on (a test clock
        ///     in tests); the continuous clock by default.
        ///   - now: The wall clock for receipts.
        public init(
            configuration: SMTPConfiguration, name: String = "smtp",
            eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
            clock: some Clock<Duration> = ContinuousClock(), now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.configuration = configuration
            self.name = name
            self.group = eventLoopGroup
            self.timer = SMTPTimer(clock)
            self.now = now
        }

        /// The longest one ``send(_:envelope:)`` takes: ``SMTPTimeouts/submission`` and 5 seconds
        /// for closing the connection when it passes.
        public nonisolated var longestSend: Duration? { configuration.timeouts.submission + .seconds(5) }

        /// Submits one message: `MAIL FROM` is the envelope's sender, `RCPT TO` each recipient.
        /// - Parameters:
        ///   - message: The rendered message; line ends become CRLF and lines starting with "."
        ///     are dot-stuffed on the way.
        ///   - envelope: The sender and recipients.
        /// - Returns: A receipt with the server's reply to the message (`250 2.0.0 Ok: queued …`).
        /// - Throws: `MailTransportError` as the type's overview says. A refusal of some recipients
        ///   while others are accepted is *not* an error. A submission that outlasts
        ///   ``SMTPTimeouts/submission`` is ended: ``MailTransportError/Code/timedOut`` before the
        ///   whole message was sent, ``MailTransportError/Code/outcomeUnknown`` after.
        public func send(
            _ message: RenderedMessage, envelope: Envelope
        ) async throws(MailTransportError) -> DeliveryReceipt {
            guard !envelope.recipients.isEmpty else {
                throw MailTransportError(
                    .noRecipients, disposition: .permanent, transport: name, detail: "the envelope has no recipients")
            }
            let limit = configuration.timeouts.submission
            let timer = self.timer
            // The submission races its limit; when the limit wins, the submission is cancelled,
            // which closes its connection at once, and its own failure says how far it got.
            let (result, limitPassed) = await withTaskGroup(of: SubmissionRace.self) { group in
                group.addTask {
                    do throws(MailTransportError) {
                        return .submitted(.success(try await self.submit(message, envelope: envelope)))
                    } catch {
                        return .submitted(.failure(error))
                    }
                }
                group.addTask {
                    // Cancelled when the submission ends first, or when the caller cancels the send.
                    do { try await timer.sleep(limit) } catch { return .limit(passed: false) }
                    return .limit(passed: true)
                }
                var result: Result<DeliveryReceipt, MailTransportError>?
                var limitPassed = false
                for await finished in group {
                    switch finished {
                    case .submitted(let submitted):
                        result = submitted
                        group.cancelAll()
                    case .limit(let passed):
                        guard passed else { continue }
                        limitPassed = true
                        group.cancelAll()
                    }
                }
                return (result!, limitPassed)
            }
            switch result {
            case .success(let receipt):
                return receipt
            case .failure(let error) where limitPassed:
                throw MailTransportError(
                    error.code == .outcomeUnknown ? .outcomeUnknown : .timedOut, disposition: .transient,
                    transport: name, smtpReplyCode: error.smtpReplyCode,
                    detail: "the submission did not finish within \(limit) and was ended: " + error.detail)
            case .failure(let error):
                throw error
            }
        }

        /// One submission, on a kept connection or a new one, without the overall limit.
        private func submit(
            _ message: RenderedMessage, envelope: Envelope
        ) async throws(MailTransportError) -> DeliveryReceipt {
            while true {
                var lease = try await acquire()
                do throws(SMTPTransactionFailure) {
                    let result = try await lease.connection.transact(message, envelope: envelope)
                    lease.messagesSent += 1
                    release(lease)
                    var response = result.reply.description
                    if !result.refused.isEmpty {
                        response += " (refused: "
                        response +=
                            result.refused.map { "<\($0.recipient.value)> \($0.reply)" }
                            .joined(separator: "; ") + ")"
                    }
                    return DeliveryReceipt(
                        transport: name, handedOverAt: now(), messageID: message.messageID, response: response)
                } catch {
                    if error.connectionReusable {
                        release(lease)
                    } else {
                        lease.connection.channel.close()
                    }
                    // A kept connection the server had closed meanwhile: try again on another.
                    if error.connectionWasStale && lease.reused { continue }
                    throw error.error
                }
            }
        }

        /// Says `QUIT` on every unused connection and closes it. Connections in use close when
        /// their message is done.
        public func shutdown() async {
            let connections = idle.map(\.lease.connection)
            for connection in idle { connection.closer.cancel() }
            idle.removeAll()
            for connection in connections { await connection.quit() }
        }

        /// How many connections this transport has opened so far (to see reuse at work).
        public var openedConnectionCount: Int { connectionsOpened }

        private func acquire() async throws(MailTransportError) -> Lease {
            while let candidate = idle.popLast() {
                candidate.closer.cancel()
                let fresh = timer.elapsed() - candidate.idleSince < configuration.idleTimeout
                if fresh && candidate.lease.connection.channel.channel.isActive {
                    var lease = candidate.lease
                    lease.reused = true
                    return lease
                }
                candidate.lease.connection.channel.close()
            }
            if tlsContext == nil && configuration.security != .plaintextOnLoopback {
                tlsContext = try makeTLSContext()
            }
            let connection = try await SMTPConnection.open(
                configuration, tlsContext: tlsContext, group: group, timer: timer, transportName: name)
            connectionsOpened += 1
            return Lease(connection: connection, messagesSent: 0, number: connectionsOpened, reused: false)
        }

        private func release(_ lease: Lease) {
            guard lease.messagesSent < configuration.maximumMessagesPerConnection,
                idle.count < configuration.maximumIdleConnections
            else {
                Task { await lease.connection.quit() }
                return
            }
            let timer = self.timer
            let limit = configuration.idleTimeout
            let closer = Task { [weak self] in
                guard (try? await timer.sleep(limit)) != nil else { return }
                await self?.closeIfStillIdle(lease.number)
            }
            idle.append(IdleConnection(lease: lease, idleSince: timer.elapsed(), closer: closer))
        }

        private func closeIfStillIdle(_ number: Int) async {
            guard let index = idle.firstIndex(where: { $0.lease.number == number }),
                timer.elapsed() - idle[index].idleSince >= configuration.idleTimeout
            else { return }
            let connection = idle.remove(at: index).lease.connection
            await connection.quit()
        }

        private func makeTLSContext() throws(MailTransportError) -> NIOSSLContext {
            let failures = SMTPFailures(transport: name)
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.minimumTLSVersion = .tlsv12
            tls.certificateVerification = .fullVerification
            do {
                if case .pem(let bytes) = configuration.trustRoots {
                    let roots = try NIOSSLCertificate.fromPEMBytes(bytes)
                    guard !roots.isEmpty else {
                        throw failures.tlsConfiguration("the trust roots hold no PEM certificate")
                    }
                    tls.trustRoots = .certificates(roots)
                }
                return try NIOSSLContext(configuration: tls)
            } catch let error as MailTransportError {
                throw error
            } catch {
                throw failures.tlsConfiguration("\(error)")
            }
        }
    }
#endif
