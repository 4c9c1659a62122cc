#if SMTP
    import NIOCore

    /// Reads replies from the server's bytes and hands each to the command waiting for it, in
    /// order.
    ///
    /// A reply that arrives before anyone waits (the greeting, a 421 sent on the server's own
    /// initiative) is kept for the next waiter. When the connection closes or fails, every waiter
    /// and every later one gets the error, so a lost connection is never mistaken for silence.
    /// Used only on its channel's event loop.
    final class SMTPReplyHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer

        /// How many unclaimed replies are kept before the server is taken to be misbehaving.
        static let maximumEarlyReplies = 16

        private var parser = SMTPReplyParser()
        private var waiters: CircularBuffer<EventLoopPromise<SMTPReply>> = []
        private var early: CircularBuffer<SMTPReply> = []
        private var failure: (any Error)?

        /// Whether bytes or replies were received that nobody has claimed yet.
        var hasUnclaimedInput: Bool { parser.hasBufferedInput || !early.isEmpty }

        /// A future for the next reply not yet claimed.
        func nextReply(on eventLoop: any EventLoop) -> EventLoopFuture<SMTPReply> {
            if let reply = early.popFirst() { return eventLoop.makeSucceededFuture(reply) }
            if let failure { return eventLoop.makeFailedFuture(failure) }
            let promise = eventLoop.makePromise(of: SMTPReply.self)
            waiters.append(promise)
            return promise.futureResult
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard failure == nil else { return }
            parser.append(unwrapInboundIn(data))
            do {
                while let reply = try parser.nextReply() {
                    if let waiter = waiters.popFirst() {
                        waiter.succeed(reply)
                    } else if early.count < Self.maximumEarlyReplies {
                        early.append(reply)
                    } else {
                        throw SMTPProtocolError.unexpectedReply
                    }
                }
            } catch {
                fail(error)
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(SMTPConnectionClosed())
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(error)
            context.close(promise: nil)
        }

        private func fail(_ error: any Error) {
            let failure = self.failure ?? error
            self.failure = failure
            while let waiter = waiters.popFirst() { waiter.fail(failure) }
        }
    }

    /// The server closed the connection (or it was lost) while a reply was awaited.
    struct SMTPConnectionClosed: Error {}
#endif
