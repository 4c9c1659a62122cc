#if PostgreSQL
    import DapodikLocking
    import DapodikStorage
    import Logging
    import NIOCore
    import PostgresNIO

    /// The listening side of a ``PostgresRecordStore``'s change signals: keeps one pooled connection on
    /// `LISTEN` for the schema's channel and signals each notification's collection.
    ///
    /// Each attempt runs in a task of its own, which the loop never awaits: an attempt that does not
    /// listen within `attemptLimit` (no connection from the pool, or a `LISTEN` that is never
    /// answered) is given up, its task cancelled and its connection closed, and the next attempt asks
    /// the pool for a fresh connection. An attempt also ends as soon as its connection closes (the
    /// server ended the backend, the network broke), whether or not postgres-nio ends the
    /// notifications. So the loop always comes back to listening, and it ends at once when cancelled.
    struct ChangeListener: Sendable {
        /// The channel listened on.
        let channel: String
        /// The store's connection pool.
        let client: PostgresClient
        /// Where notifications are signalled.
        let signals: ChangeSignals
        /// The longest an attempt may take to start listening.
        let attemptLimit: Duration
        /// Where lost connections are noted (at debug level).
        let logger: Logger

        /// What an attempt reports to the loop.
        private enum Event {
            /// The `LISTEN` was answered.
            case listening
            /// The attempt's connection closed.
            case connectionClosed
            /// The attempt's task ended (its connection went back to the pool, or was lost).
            case finished
            /// `attemptLimit` passed.
            case timedOut
        }

        /// Listens until cancelled; after an attempt ends it tries again after 0.1 s, then twice as
        /// long after each attempt in a row that did not listen, at most 2 s.
        func run() async {
            var pause = Duration.milliseconds(100)
            while !Task.isCancelled {
                let listened = await attempt()
                if listened { pause = .milliseconds(100) }
                do { try await Task.sleep(for: pause) } catch { return }
                if !listened { pause = min(pause * 2, .seconds(2)) }
            }
        }

        /// One attempt: returns when it ended, when it did not listen within `attemptLimit` (then it
        /// is given up), or when the task is cancelled.
        /// - Returns: Whether it listened.
        private func attempt() async -> Bool {
            let (events, sink) = AsyncStream.makeStream(of: Event.self)
            let leased = LockedValue<PostgresConnection?>(nil)
            let listening = Task { [self] in
                do {
                    try await client.withConnection { connection in
                        leased.withLock { $0 = connection }
                        connection.closeFuture.whenComplete { _ in sink.yield(.connectionClosed) }
                        try await connection.listen(on: channel) { notifications in
                            sink.yield(.listening)
                            // Listening (again): what was committed before now was not announced here.
                            signals.signalEverything()
                            for try await notification in notifications { signals.signal(notification.payload) }
                        }
                    }
                } catch {
                    logger.debug("listening for changes stopped", metadata: ["error": "\(type(of: error))"])
                }
                sink.yield(.finished)
            }
            let timer = Task {
                do {
                    try await Task.sleep(for: attemptLimit)
                    sink.yield(.timedOut)
                } catch {}
            }
            var listened = false
            var givenUp = true
            loop: for await event in events {
                switch event {
                case .listening:
                    listened = true
                    timer.cancel()
                case .timedOut:
                    if !listened { break loop }
                case .connectionClosed, .finished:
                    givenUp = false
                    break loop
                }
            }
            // The attempt's task is not waited for: a LISTEN on a dying connection may never answer.
            timer.cancel()
            sink.finish()
            listening.cancel()
            if givenUp, let connection = leased.withLock({ $0 }) {
                // Timed out or cancelled while the attempt still holds its connection: closing it ends
                // whatever the attempt waits for there, and the pool replaces it.
                logger.debug(
                    "listening for changes given up; closing its connection", metadata: ["listened": "\(listened)"])
                Task { try? await connection.close() }
            }
            return listened
        }
    }
#endif
