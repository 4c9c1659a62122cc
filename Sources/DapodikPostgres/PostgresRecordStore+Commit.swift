#if PostgreSQL
    public import DapodikStorage
    import DapodikCrypto
    import DapodikLanguage
    import Logging
    import PostgresNIO
    import DapodikLocking

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    extension PostgresRecordStore {
        /// The server process behind a connection: its process id and start time, which together name
        /// it even after the id is reused.
        struct Backend: Sendable, Hashable {
            var processID: Int32
            var started: String
        }

        /// Applies a batch atomically and conditionally, in one transaction on the server, which also
        /// notifies the schema's channel of each collection written (see
        /// ``waitForChanges(in:since:atMost:)``). The sequence is returned only once the server has
        /// answered the transaction's `COMMIT`.
        ///
        /// When the connection breaks or the time runs out after the batch was sent, the result is not
        /// guessed: the store ends the server process that ran it (if it still runs), waits until it is
        /// gone, and then looks up the commit's token. Found: the commit was applied and its sequence
        /// is returned. Not found: nothing was written, `unavailable`. Only when the database stays out
        /// of reach for that is the result `outcomeUnknown`.
        /// - Parameter mutations: The batch.
        /// - Returns: The commit's sequence number.
        /// - Throws: ``DapodikStorage/StoreError``: a conflict naming the key, `invalidInput`,
        ///   `unavailable` (nothing written; retry), `outcomeUnknown`, or `databaseFailure`.
        @discardableResult
        public func commit(_ mutations: [Mutation]) async throws -> UInt64 {
            try StoreLimits.validate(mutations)
            // A version the database cannot hold (a `bigint`) is held by no record: the conflict the
            // other stores report, not a failed cast.
            for mutation in mutations {
                if case .version(let expected) = mutation.expectation, expected > UInt64(Int64.max) {
                    throw StoreError.versionMismatch(
                        mutation.key, expected: expected, actual: try await record(for: mutation.key)?.version)
                }
            }
            let began = ContinuousClock.now
            let batch = try IndexEntryCoding.encode(mutations)
            let token = Crypto.randomUUID()
            let sent = LockedValue<Backend?>(nil)
            // The notifications join the commit's transaction: sent when it commits, dropped when it
            // fails, so no reader wakes before the change is there.
            let collections = Array(Set(mutations.map(\.key.collection))).sorted()
            let sql = "CALL \(schema).commit_batch_and_notify($1::uuid, $2::jsonb, $3, $4::text[])"
            do {
                return try await performUnclassified { connection, logger in
                    let backend = try await self.backend(of: connection, logger: logger)
                    sent.withLock { $0 = backend }
                    var binds = PostgresBindings()
                    binds.append(token)
                    binds.append(batch)
                    binds.append(Self.changeChannel(forSchema: self.configuration.schema))
                    binds.append(collections)
                    // One round trip: the procedure commits before it answers (PostgresSchema.version2), so
                    // the sequence arrives only once COMMIT has succeeded. A statement's own implicit
                    // transaction would commit only at the protocol's Sync, after its row may already have
                    // reached us: a failure then (the server process ended, a commit-time error) would
                    // never be reported, and a commit rolled back would count as done.
                    do {
                        let rows = try await connection.query(
                            PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                        var sequence: Int64?
                        for try await value in rows.decode(Int64.self) { sequence = value }
                        guard let sequence else {
                            throw StoreError.databaseFailure(
                                LocalizedText(
                                    indonesian: "commit_batch_and_notify tanpa hasil",
                                    english: "commit_batch_and_notify returned no row"))
                        }
                        return UInt64(sequence)
                    } catch  where Self.mayFollowCommit(error) {
                        // An error after the procedure's COMMIT (a statement timeout or a cancel that fires
                        // on its way out) leaves the commit applied: the call is over, so its token says.
                        if let applied = try await Self.appliedSequence(
                            of: token, in: self.schema, on: connection, logger: logger)
                        {
                            return applied
                        }
                        throw error
                    }
                }
            } catch {
                // A server's error reply means the statement, and so its transaction, failed: settled.
                // A broken connection or the time limit after the batch was sent leaves it open.
                guard let backend = sent.withLock({ $0 }), !Self.isServerReply(error) else {
                    throw await explainedStoreError(for: error, began: began)
                }
                // Settled in a task of its own: a caller cancelled while its commit was on the wire
                // still gets the commit's true outcome, and the settling queries are not cancelled
                // with it (they would fail at once, again and again, until the deadline).
                let settling = Task { () async throws(StoreError) -> UInt64 in
                    try await self.settle(token: token, sentTo: backend)
                }
                return try await settling.value
            }
        }

        /// Finds out whether the commit with `token`, sent to `backend`, was applied.
        private func settle(token: UUID, sentTo backend: Backend) async throws(StoreError) -> UInt64 {
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: configuration.operationTimeout * 3)
            var lastError: StoreError?
            while clock.now < deadline {
                let found: UInt64?
                do {
                    found = try await perform { connection, logger in
                        try await Self.endBackend(backend, on: connection, logger: logger)
                        return try await Self.appliedSequence(
                            of: token, in: self.schema, on: connection, logger: logger)
                    }
                } catch let error where error.code == .unavailable {
                    lastError = error
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                guard let found else {
                    throw .unavailable(
                        LocalizedText(indonesian: "commit tidak diterapkan", english: "the commit was not applied"))
                }
                return found
            }
            throw .outcomeUnknown(
                lastError?.message ?? LocalizedText(indonesian: "tidak ada koneksi", english: "no connection"))
        }

        /// Whether a commit's error may have come after its procedure's `COMMIT`: a reply of the
        /// server other than the procedure's own refusals (`DV001`–`DV003`, raised before anything is
        /// written).
        private static func mayFollowCommit(_ error: any Error) -> Bool {
            guard let error = error as? PSQLError, error.code == .server else { return false }
            return error.serverInfo?[.sqlState]?.hasPrefix("DV") != true
        }

        /// The sequence of the commit with `token`, if it was applied.
        private static func appliedSequence(
            of token: UUID, in schema: String, on connection: PostgresConnection, logger: Logger
        ) async throws -> UInt64? {
            var binds = PostgresBindings()
            binds.append(token)
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT sequence FROM \(schema).commits WHERE token = $1", binds: binds),
                logger: logger)
            for try await sequence in rows.decode(Int64.self) { return UInt64(sequence) }
            return nil
        }

        /// Ends the server process `backend` if it still runs, and returns once it is gone: from then
        /// on its transaction is settled, committed or not.
        private static func endBackend(_ backend: Backend, on connection: PostgresConnection, logger: Logger)
            async throws
        {
            var binds = PostgresBindings()
            binds.append(backend.processID)
            binds.append(backend.started)
            let match = "FROM pg_stat_activity WHERE pid = $1 AND backend_start = $2::timestamptz"
            try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_terminate_backend(pid) \(match)", binds: binds), logger: logger)
            for _ in 0..<200 {
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT count(*) \(match)", binds: binds), logger: logger)
                var running: Int64 = 0
                for try await count in rows.decode(Int64.self) { running = count }
                if running == 0 { return }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw StoreError.unavailable(
                LocalizedText(indonesian: "proses server tidak berhenti", english: "the server process did not end"))
        }

        /// The server process behind a pooled connection, asked once per connection.
        func backend(of connection: PostgresConnection, logger: Logger) async throws -> Backend {
            if let known = backends.withLock({ $0[connection.id] }) { return known }
            let rows = try await connection.query(
                "SELECT pid, backend_start::text FROM pg_stat_activity WHERE pid = pg_backend_pid()", logger: logger)
            for try await (processID, started) in rows.decode((Int32, String).self) {
                let backend = Backend(processID: processID, started: started)
                backends.withLock { $0[connection.id] = backend }
                return backend
            }
            throw StoreError.databaseFailure(
                LocalizedText(
                    indonesian: "pg_stat_activity tidak memuat proses ini",
                    english: "pg_stat_activity does not list this process"))
        }
    }

#endif
