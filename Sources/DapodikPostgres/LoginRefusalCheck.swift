#if PostgreSQL
    import DapodikLocking
    import DapodikStorage
    import Logging

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
    struct LoginRefusalCheck: Sendable {
        /// The direct connection that asks.
        let probe: LoginProbe
        /// The latest probe: when it started, and its answer.
        private let latest = LockedValue<(started: ContinuousClock.Instant, answer: Task<StoreError?, Never>)?>(nil)

        /// How long a caller waits for an answer.
        static let patience = Duration.seconds(1)

        init(probe: LoginProbe) {
            self.probe = probe
        }

        /// The server's refusal of the login, `nil` when it accepts it, cannot be reached, or has not
        /// answered within ``patience``.
        /// - Parameters:
        ///   - since: The earliest start of a probe whose answer will do: when the failed operation
        ///     began (a probe from before then cannot tell what made it fail).
        ///   - logger: Where the probe's connection logs.
        func refusal(since: ContinuousClock.Instant, logger: Logger) async -> StoreError? {
            let answer = latest.withLock { latest in
                let now = ContinuousClock.now
                if let latest, latest.started >= since { return latest.answer }
                let answer = Task { [probe] in await probe.refusal(logger: logger) }
                latest = (now, answer)
                return answer
            }
            // Only the wait ends at the limit: the probe goes on, and its answer serves the next callers.
            return (try? await withTimeLimit(Self.patience) { await answer.value }) ?? nil
        }
    }
#endif
