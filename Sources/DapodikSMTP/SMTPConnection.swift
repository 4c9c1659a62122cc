#if SMTP
    import DapodikMail
    import NIOCore
    import NIOPosix
    import NIOSSL

    /// An open, ready session with an SMTP server: greeted, TLS in place, logged in, and what the
    /// server offers known from its last `EHLO` reply.
    struct SMTPConnection: Sendable {
        let channel: SMTPChannel
        let extensions: SMTPExtensions
        let configuration: SMTPConfiguration
        let transportName: String

        /// Connects and prepares a session: greeting, `EHLO`, TLS (implicit, or `STARTTLS` which
        /// must be offered), `EHLO` again, `AUTH`.
        /// - Throws: `MailTransportError`: transient for a refused or lost connection, a 4yz
        ///   reply, a timeout; misconfigured for a TLS or login failure, a server that does not
        ///   offer `STARTTLS` (then nothing but `EHLO` was sent), plaintext to a non-loopback
        ///   address (then nothing at all was sent).
        static func open(
            _ configuration: SMTPConfiguration, tlsContext: NIOSSLContext?, group: any EventLoopGroup,
            timer: SMTPTimer, transportName: String
        ) async throws(MailTransportError) -> SMTPConnection {
            let failures = SMTPFailures(transport: transportName)
            let serverName = SMTPConnection.tlsServerName(for: configuration.host)
            let implicitTLS = configuration.security == .implicitTLS ? tlsContext : nil
            // The reply handler is made on the channel's loop before connecting, so it is there
            // even when the channel closes at once (a refused TLS handshake tears the pipeline down).
            let eventLoop = group.next()
            let channel: SMTPChannel
            do {
                let handler = try await eventLoop.submit { NIOLoopBound(SMTPReplyHandler(), eventLoop: eventLoop) }
                    .get()
                // NIO's own connect timeout is a backstop on the system clock; the limit that counts
                // is measured on the transport's clock, by `connect(_:within:timer:)`.
                let bootstrap = ClientBootstrap(group: eventLoop)
                    .connectTimeout(.nanoseconds(Int64(configuration.timeouts.connect / .nanoseconds(1))))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            if let implicitTLS {
                                try channel.pipeline.syncOperations.addHandler(
                                    try NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                            }
                            try channel.pipeline.syncOperations.addHandler(handler.value)
                        }
                    }
                let connected = try await connect(
                    bootstrap.connect(host: configuration.host, port: configuration.port),
                    within: configuration.timeouts.connect, timer: timer)
                channel = SMTPChannel(channel: connected, handler: handler, timer: timer)
            } catch is ConnectTimedOut {
                throw failures.channelFailure(.timedOut, at: "connect")
            } catch {
                throw failures.connection(error, to: configuration)
            }
            do {
                return try await prepare(channel, configuration, tlsContext: tlsContext, failures: failures)
            } catch {
                channel.close()
                throw error
            }
        }

        /// The connection attempt did not finish within ``SMTPTimeouts/connect``.
        private struct ConnectTimedOut: Error {}

        /// Waits for a connection attempt until the limit passes on the transport's clock; a
        /// connection made after that is closed at once.
        private static func connect(
            _ attempt: EventLoopFuture<any Channel>, within limit: Duration, timer: SMTPTimer
        ) async throws -> any Channel {
            let eventLoop = attempt.eventLoop
            let outcome = eventLoop.makePromise(of: (any Channel).self)
            // Whichever comes first, the attempt or the limit, settles the outcome; it lives on the
            // event loop, where both callbacks run.
            let settled = NIOLoopBoundBox.makeBoxSendingValue(false, eventLoop: eventLoop)
            attempt.hop(to: eventLoop).whenComplete { result in
                guard !settled.value else {
                    if case .success(let late) = result { late.close(promise: nil) }
                    return
                }
                settled.value = true
                outcome.completeWith(result)
            }
            let deadline = Task {
                guard (try? await timer.sleep(limit)) != nil else { return }
                eventLoop.execute {
                    guard !settled.value else { return }
                    settled.value = true
                    outcome.fail(ConnectTimedOut())
                }
            }
            defer { deadline.cancel() }
            return try await outcome.futureResult.get()
        }

        private static func prepare(
            _ channel: SMTPChannel, _ configuration: SMTPConfiguration, tlsContext: NIOSSLContext?,
            failures: SMTPFailures
        ) async throws(MailTransportError) -> SMTPConnection {
            let timeouts = configuration.timeouts
            if configuration.security == .plaintextOnLoopback {
                guard let address = channel.channel.remoteAddress, Self.isLoopback(address) else {
                    throw failures.plaintextNotOnLoopback(configuration.host)
                }
            }
            let greeting = try await failures.step("greeting") { () async throws(SMTPChannel.Failure) in
                try await channel.unsolicitedReply(within: timeouts.greeting)
            }
            try failures.expect(greeting, 2, at: "greeting")
            var extensions = try await ehlo(channel, configuration, failures: failures)

            if configuration.security == .startTLS {
                guard extensions.offers("STARTTLS"), let tlsContext else {
                    throw failures.startTLSNotOffered()
                }
                let reply = try await failures.step("STARTTLS") { () async throws(SMTPChannel.Failure) in
                    try await channel.command("STARTTLS", within: timeouts.mail)
                }
                try failures.expect(reply, 2, at: "STARTTLS")
                try await failures.step("TLS handshake") { () async throws(SMTPChannel.Failure) in
                    try await channel.startTLS(
                        context: tlsContext, serverName: tlsServerName(for: configuration.host), within: timeouts.mail)
                }
                // RFC 3207 §4.2: discard what was learned before TLS and ask again.
                extensions = SMTPExtensions()
                extensions = try await ehlo(channel, configuration, failures: failures)
            }
            if let credentials = configuration.credentials {
                try await SMTPAuthentication.authenticate(
                    credentials, over: channel, offered: extensions, within: timeouts.mail, failures: failures)
            }
            return SMTPConnection(
                channel: channel, extensions: extensions, configuration: configuration,
                transportName: failures.transport)
        }

        private static func ehlo(
            _ channel: SMTPChannel, _ configuration: SMTPConfiguration, failures: SMTPFailures
        ) async throws(MailTransportError) -> SMTPExtensions {
            let reply = try await failures.step("EHLO") { () async throws(SMTPChannel.Failure) in
                try await channel.command("EHLO " + configuration.clientName, within: configuration.timeouts.mail)
            }
            try failures.expect(reply, 2, at: "EHLO")
            return SMTPExtensions(ehloReply: reply)
        }

        /// The name sent in TLS's server name indication and checked against the certificate; none
        /// for an IP address (the certificate is then checked against the address).
        static func tlsServerName(for host: String) -> String? {
            let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
            return (try? SocketAddress(ipAddress: bare, port: 0)) == nil ? host : nil
        }

        /// Whether the address is a loopback one: 127.0.0.0/8 or ::1.
        static func isLoopback(_ address: SocketAddress) -> Bool {
            guard let ip = address.ipAddress else { return false }
            return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
        }

        /// Says goodbye (`QUIT`, RFC 5321 §4.1.1.10) without waiting long, then closes.
        func quit() async {
            _ = try? await channel.command("QUIT", within: .seconds(5))
            channel.close()
        }
    }
#endif
