#if SMTP
    import DapodikHostSystem
    import NIOCore
    import NIOSSL

    /// A connected channel to an SMTP server: writes commands, and waits for their replies within
    /// a time limit on the transport's clock.
    struct SMTPChannel: Sendable {
        /// Why waiting for a reply or a write did not succeed.
        enum Failure: Error, Equatable {
            /// The time limit passed; the channel has been closed.
            case timedOut
            /// The connection was closed or lost.
            case closed(String)
            /// The TLS handshake or the TLS layer failed.
            case tls(String)
            /// The server broke the protocol; the channel has been closed.
            case protocolViolation(String)
        }

        let channel: any Channel
        let handler: NIOLoopBound<SMTPReplyHandler>
        let timer: SMTPTimer

        /// Writes the commands in one flush (several at once only where the server offers
        /// PIPELINING, RFC 2920) and returns the futures of their replies, in order.
        func send(_ commands: [String]) async -> [EventLoopFuture<SMTPReply>] {
            let channel = self.channel
            let handler = self.handler
            let submitted = channel.eventLoop.submit {
                var buffer = channel.allocator.buffer(capacity: 128)
                var replies: [EventLoopFuture<SMTPReply>] = []
                for command in commands {
                    replies.append(handler.value.nextReply(on: channel.eventLoop))
                    buffer.writeString(command)
                    buffer.writeString("\r\n")
                }
                channel.writeAndFlush(buffer, promise: nil)
                return replies
            }
            do {
                return try await submitted.get()
            } catch {
                return commands.map { _ in channel.eventLoop.makeFailedFuture(error) }
            }
        }

        /// Sends one command and waits for its reply.
        func command(_ line: String, within limit: Duration) async throws(Failure) -> SMTPReply {
            let replies = await send([line])
            return try await wait(for: replies[0], within: limit)
        }

        /// Waits for a reply nobody asked for yet (the greeting).
        func unsolicitedReply(within limit: Duration) async throws(Failure) -> SMTPReply {
            let channel = self.channel
            let handler = self.handler
            return try await wait(
                for: channel.eventLoop.flatSubmit { handler.value.nextReply(on: channel.eventLoop) }, within: limit)
        }

        /// Writes bytes and waits until they are handed to the operating system.
        func write(_ bytes: ByteBuffer, within limit: Duration) async throws(Failure) {
            try await wait(for: channel.writeAndFlush(bytes), within: limit)
        }

        /// Puts TLS under the session, after the server's 220 to `STARTTLS` (RFC 3207). Refuses if
        /// anything was received after that reply: such bytes came in plaintext and must not be
        /// read as if they came through TLS.
        func startTLS(context: NIOSSLContext, serverName: String?, within limit: Duration) async throws(Failure) {
            let channel = self.channel
            let handler = self.handler
            let added = channel.eventLoop.submit {
                guard !handler.value.hasUnclaimedInput else { throw SMTPProtocolError.unexpectedReply }
                let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(tls, position: .first)
            }
            try await wait(for: added, within: limit)
        }

        /// Closes the channel without a word (after 421, a timeout, a protocol error).
        func close() {
            channel.close(promise: nil)
        }

        /// Waits for the future, closing the channel if the limit passes first (or the task is
        /// cancelled), which also fails every other reply still awaited.
        func wait<Value: Sendable>(
            for future: EventLoopFuture<Value>, within limit: Duration
        ) async throws(Failure) -> Value {
            let timer = self.timer
            let channel = self.channel
            let first: Result<Value, any Error>? = await withTaskGroup(of: Result<Value, any Error>?.self) { group in
                group.addTask {
                    do { return .success(try await future.get()) } catch { return .failure(error) }
                }
                group.addTask {
                    do {
                        try await timer.sleep(limit)
                        return nil
                    } catch {
                        return .failure(CancellationError())
                    }
                }
                let first = await group.next() ?? nil
                if case .success = first {} else { channel.close(promise: nil) }
                group.cancelAll()
                return first
            }
            switch first {
            case .success(let value): return value
            case nil: throw .timedOut
            case .failure(let error): throw Self.classify(error)
            }
        }

        /// Sorts an error from the channel into what it means for the session.
        static func classify(_ error: any Error) -> Failure {
            switch error {
            case let error as SMTPProtocolError: return .protocolViolation("\(error)")
            case NIOSSLError.uncleanShutdown: return .closed("the server closed the TLS connection")
            case let error as NIOSSLError: return .tls(TLSFailureText.cleaned("\(error)"))
            case let error as NIOSSLExtraError: return .tls(TLSFailureText.cleaned("\(error)"))
            case let error as BoringSSLError: return .tls(TLSFailureText.cleaned("\(error)"))
            case is SMTPConnectionClosed: return .closed("the server closed the connection")
            case is CancellationError: return .closed("cancelled")
            default: return .closed("\(error)")
            }
        }
    }
#endif
