#if PostgreSQL
    public import DapodikStorage
    import DapodikLocking
    import Logging
    import PostgresNIO

    extension PostgresRecordStore {
        /// The notification channel of a schema: `<schema>_changes`, the schema's name cut to 55 bytes
        /// so the channel fits PostgreSQL's 63-byte identifiers. Every commit into the schema notifies
        /// it once per collection it wrote (the payload is the collection's name), so stores on other
        /// schemas of the database hear nothing (two schemas whose names share their first 55 bytes
        /// share a channel, and only wake each other needlessly). Schema names are plain identifiers
        /// (lower-case letters, digits, `_`), so the channel needs no escaping where postgres-nio
        /// quotes it for `LISTEN`.
        /// - Parameter schema: The schema's name, unquoted.
        /// - Returns: The channel's name.
        public static func changeChannel(forSchema schema: String) -> String {
            String(decoding: schema.utf8.prefix(55), as: UTF8.self) + "_changes"
        }

        /// The notification channel of this store's schema (see ``changeChannel(forSchema:)``): what
        /// an operator sees in `pg_stat_activity` as the listening connection's `LISTEN`.
        public var changeChannel: String { Self.changeChannel(forSchema: configuration.schema) }

        /// The point in the change signals for `collection` now. The first call starts the store's
        /// listening connection (unless ``Configuration/listensForChanges`` is off).
        /// - Parameter collection: The collection whose changes the reader waits for.
        /// - Returns: The mark.
        public func changeSignalMark(for collection: String) -> ChangeSignalMark {
            startListeningIfNeeded()
            return signals.mark(for: collection)
        }

        /// Waits until a commit of any process into this store's schema may have written to
        /// `collection` since `mark` was taken, at most `limit`, or until the task is cancelled.
        ///
        /// The signal is PostgreSQL's `NOTIFY`, sent by the committing transaction and delivered only
        /// when it commits, so a reader woken by it finds the change. One connection of the pool
        /// listens for the store (from the first call on); when it is lost it reconnects after a short
        /// pause, and every wait returns once it listens again, since what was committed in between
        /// was not announced. While it is down, `limit` is the bound: a poll.
        /// - Parameters:
        ///   - collection: The collection whose changes the caller waits for.
        ///   - mark: What ``changeSignalMark(for:)`` returned before the caller last read.
        ///   - limit: The longest wait.
        public func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration)
            async
        {
            startListeningIfNeeded()
            await signals.wait(for: collection, since: mark, atMost: limit)
        }

        /// Starts the listening task once, unless the store listens for no changes or is shut down.
        private func startListeningIfNeeded() {
            guard configuration.listensForChanges else { return }
            let listener = ChangeListener(
                channel: changeChannel, client: client, signals: signals,
                attemptLimit: configuration.operationTimeout, logger: logger)
            self.listener.withLock { state in
                guard case .notStarted = state else { return }
                state = .running(Task { await listener.run() })
            }
        }
    }
#endif
