#if SMTP
    /// The clock the transport waits on, erased to closures so any `Clock` works (the continuous
    /// clock in use, a test clock in tests).
    struct SMTPTimer: Sendable {
        /// Sleeps for the duration (or until cancelled: then it throws).
        let sleep: @Sendable (Duration) async throws -> Void
        /// The time elapsed since the timer was made.
        let elapsed: @Sendable () -> Duration

        init<C: Clock>(_ clock: C) where C.Duration == Duration {
            let start = clock.now
            sleep = { try await clock.sleep(for: $0) }
            elapsed = { start.duration(to: clock.now) }
        }
    }
#endif
