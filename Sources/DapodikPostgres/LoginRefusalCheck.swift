#if PostgreSQL
    import DapodikLocking
    package import DapodikStorage
    package import Logging

    /// Tells an operation that ran out of time waiting for the database whether the server in fact refuses the
    /// store's login (``LoginProbe``). The pool retries a refused login until the operation's time runs
    /// out, so a login that stopped working after the store was opened (a password rotated, the role's
    /// `LOGIN` taken away, the database dropped) would otherwise read as "unavailable, try again" for
    /// as long as it lasts.
    ///
    /// A probe's answer serves every caller whose operation began before the probe did (it saw the
    /// server after whatever made the operation fail), so a pool failing under many callers opens about
    /// one extra connection per operation timeout, not one per caller. A caller waits for the answer
    /// at most ``patience``: a server that refuses a login says so at once, and one out of reach adds
    /// no more than that to the caller's wait.
    package struct LoginRefusalCheck: Sendable {
        /// Asks the server directly: its refusal of the login, `nil` when it accepts it or cannot be reached.
        private let ask: @Sendable (Logger) async -> StoreError?
        /// The latest probe: when it started, and its answer.
        private let latest = LockedValue<(started: ContinuousClock.Instant, answer: Task<StoreError?, Never>)?>(nil)

        /// How long a caller waits for an answer.
        let patience: Duration

        /// The usual ``patience``: a server that refuses a login says so within it.
        package static let defaultPatience = Duration.seconds(1)

        /// A check that asks over a direct connection (``LoginProbe``).
        init(probe: LoginProbe, patience: Duration) {
            self.init(patience: patience) { logger in await probe.refusal(logger: logger) }
        }

        /// A check that asks with `ask` (the tests count and hold its probes).
        /// - Parameters:
        ///   - patience: How long a caller waits for an answer.
        ///   - ask: One probe: the server's refusal of the login, `nil` when it accepts it or cannot be
        ///     reached.
        package init(
            patience: Duration = defaultPatience, ask: @escaping @Sendable (Logger) async -> StoreError?
        ) {
            self.patience = patience
            self.ask = ask
        }

        /// The server's refusal of the login, `nil` when it accepts it, cannot be reached, or has not
        /// answered within ``patience``.
        /// - Parameters:
        ///   - since: The earliest start of a probe whose answer will do: when the failed operation
        ///     began (a probe from before then cannot tell what made it fail).
        ///   - logger: Where the probe's connection logs.
        package func refusal(since: ContinuousClock.Instant, logger: Logger) async -> StoreError? {
            let answer = latest.withLock { latest in
                let now = ContinuousClock.now
                if let latest, latest.started >= since { return latest.answer }
                let answer = Task { [ask] in await ask(logger) }
                latest = (now, answer)
                return answer
            }
            // Only the wait ends at the limit: the probe goes on, and its answer serves the next callers.
            return (try? await withTimeLimit(patience) { await answer.value }) ?? nil
        }
    }
#endif
