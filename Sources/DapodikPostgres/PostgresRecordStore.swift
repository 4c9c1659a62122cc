#if PostgreSQL
    public import DapodikStorage
    public import Logging
    import PostgresNIO
    import DapodikLocking

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    /// A ``DapodikStorage/RecordStore`` on PostgreSQL, for when one machine is not enough: any number
    /// of processes on any number of machines share one database.
    ///
    /// It keeps exactly the contract of the other stores (the `DapodikStorageContract` checks run
    /// against a real server in its tests):
    /// - a commit is one statement, `commit_batch`, run as its own transaction: its conditions are
    ///   checked in it, and a lost condition or a unique value already held is a conflict with nothing
    ///   written; the unique index values are also a primary key, so the database itself refuses a
    ///   value held twice;
    /// - sequences come from one counter row that each commit increments first and keeps locked until
    ///   it commits, so the change feed is in commit order with no gap a tailing reader could skip;
    /// - every read is one statement over committed state;
    /// - every commit notifies the schema's channel (`NOTIFY`, delivered when it commits) of the
    ///   collections it wrote, so a reader waiting in ``waitForChanges(in:since:atMost:)`` in any
    ///   process wakes up at once (the outbox dispatcher does);
    /// - an operation that times out waiting for a connection (`unavailable`) asks the server once
    ///   directly whether it refuses the store's login, and reports a refusal as `databaseFailure`, for
    ///   a configuration read from a URL.
    ///
    /// Call ``migrate()`` once before use (it is idempotent and safe from several processes at once)
    /// and ``shutdown()`` at the end. The SQL is in `Documentation/Operations.md`.
    public final class PostgresRecordStore: RecordStore {
        let client: PostgresClient
        let configuration: Configuration
        /// The schema's name, quoted, for building statements.
        let schema: String
        let logger: Logger
        private let runner: Task<Void, Never>
        /// The server process behind each pooled connection, to settle a commit whose result was lost.
        let backends = LockedValue<[PostgresConnection.ID: Backend]>([:])
        /// The change signals heard on the schema's notification channel.
        let signals = ChangeSignals()
        /// The task listening for them, started by the first reader that waits.
        let listener = LockedValue(Listener.notStarted)
        /// Whether the server refuses the login, asked when an operation runs out of time waiting for
        /// the database; `nil` for a configuration not read from a URL (nothing to make a direct connection with).
        let loginCheck: LoginRefusalCheck?

        /// Where the listening task is.
        enum Listener {
            case notStarted
            case running(Task<Void, Never>)
            case stopped
        }

        /// Creates a store and starts its connection pool; no connection is made until first use.
        /// - Parameters:
        ///   - configuration: Where the database is and how to reach it.
        ///   - logger: Where postgres-nio logs its background work (nothing by default). Queries and
        ///     their values are never logged by the store.
        /// - Throws: ``DapodikStorage/StoreError`` `invalidInput` for a schema name that is not a plain
        ///   identifier.
        public init(
            configuration: Configuration,
            logger: Logger = Logger(label: "dapodik.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        ) throws(StoreError) {
            let name = configuration.schema
            guard !name.isEmpty, name.utf8.count <= 63, name.utf8.first.map({ !(48...57).contains($0) }) == true,
                name.utf8.allSatisfy({ (97...122).contains($0) || (48...57).contains($0) || $0 == 95 })
            else {
                throw .invalidInput(
                    "Nama skema \(name) harus huruf kecil, angka atau _, paling banyak 63 byte.",
                    "The schema name \(name) must be lower-case letters, digits or _, at most 63 bytes.")
            }
            let client = PostgresClient(configuration: configuration.client, backgroundLogger: logger)
            self.client = client
            self.configuration = configuration
            self.schema = "\"\(name)\""
            self.logger = logger
            self.loginCheck = configuration.loginProbe.flatMap {
                $0.matches(configuration.client)
                    ? LoginRefusalCheck(probe: $0, patience: configuration.loginCheckPatience) : nil
            }
            self.runner = Task { await client.run() }
        }

        deinit {
            if case .running(let task) = listener.withLock({ $0 }) { task.cancel() }
            runner.cancel()
        }

        /// Stops listening for changes and closes the pool's connections. Later calls fail as
        /// ``DapodikStorage/StoreError/Code-swift.struct/unavailable``; waits for changes then last
        /// their full bound.
        public func shutdown() async {
            let listening = listener.withLock { listener in
                defer { listener = .stopped }
                if case .running(let task) = listener { return Optional(task) }
                return nil
            }
            // The loop returns at once when cancelled (it never waits for an attempt's LISTEN, which
            // on a dying connection may not answer), closing the connection an attempt still holds.
            listening?.cancel()
            await listening?.value
            runner.cancel()
            await runner.value
        }

        /// The record stored under a key.
        /// - Parameter key: The key.
        /// - Returns: The record, or `nil` when the key does not exist (not an error).
        /// - Throws: ``DapodikStorage/StoreError``: `unavailable` when the database cannot be reached.
        public func record(for key: RecordKey) async throws -> Record? {
            // No stored text holds U+0000 (`StoreLimits`), and PostgreSQL's text cannot take it.
            guard !Self.holdsNUL(key.collection, key.id) else { return nil }
            return try await records(
                "SELECT collection, id, version, sequence, value, indexes::text FROM \(schema).records "
                    + "WHERE collection = $1 AND id = $2",
                [key.collection, key.id]
            ).first
        }

        /// The record holding a unique index value.
        /// - Parameters:
        ///   - index: The name of a unique index.
        ///   - value: The value to find.
        /// - Returns: The record, or `nil` when none holds the value (not an error).
        /// - Throws: ``DapodikStorage/StoreError``: `unavailable` when the database cannot be reached.
        public func record(whereUnique index: String, equals value: String) async throws -> Record? {
            guard !Self.holdsNUL(index, value) else { return nil }
            return try await records(
                "SELECT r.collection, r.id, r.version, r.sequence, r.value, r.indexes::text "
                    + "FROM \(schema).unique_entries u JOIN \(schema).records r USING (collection, id) "
                    + "WHERE u.name = $1 AND u.value = $2",
                [index, value]
            ).first
        }

        /// The records holding a non-unique index value, in key order.
        /// - Parameters:
        ///   - index: The name of a non-unique index.
        ///   - value: The value to find.
        /// - Returns: The records; empty when none match (not an error).
        /// - Throws: ``DapodikStorage/StoreError``: `unavailable` when the database cannot be reached.
        public func records(where index: String, equals value: String) async throws -> [Record] {
            guard !Self.holdsNUL(index, value) else { return [] }
            return try await records(
                "SELECT r.collection, r.id, r.version, r.sequence, r.value, r.indexes::text "
                    + "FROM \(schema).entries e JOIN \(schema).records r USING (collection, id) "
                    + "WHERE e.name = $1 AND e.value = $2 ORDER BY r.collection, r.id",
                [index, value]
            )
        }

        /// The records whose non-unique index value lies in `lower ..< upper`, by value then key.
        /// - Parameters:
        ///   - index: The name of a non-unique index.
        ///   - lower: The smallest value included.
        ///   - upper: The first value excluded.
        ///   - limit: The most records returned.
        /// - Returns: At most `limit` records.
        /// - Throws: ``DapodikStorage/StoreError``: `invalidInput` for a negative limit, `unavailable`
        ///   when the database cannot be reached.
        public func records(in index: String, from lower: String, to upper: String, limit: Int) async throws
            -> [Record]
        {
            try validateLimit(limit)
            let (from, fromOperator) = Self.textBound(lower, inclusive: ">=", cutAtNUL: ">")
            let (to, toOperator) = Self.textBound(upper, inclusive: "<", cutAtNUL: "<=")
            return try await records(
                "SELECT r.collection, r.id, r.version, r.sequence, r.value, r.indexes::text "
                    + "FROM \(schema).entries e JOIN \(schema).records r USING (collection, id) "
                    + "WHERE e.name = $1 AND e.value \(fromOperator) $2 AND e.value \(toOperator) $3 "
                    + "ORDER BY e.value, r.collection, r.id LIMIT \(limit)",
                [index, from, to]
            )
        }

        /// A range bound PostgreSQL can take: its text cannot hold U+0000, which callers use to say
        /// "just after" (`value + "\u{0}"`, as the outbox dispatcher pages). No stored value holds
        /// U+0000, so in byte order `s >= p + "\0" + rest` is `s > p`, and `s < p + "\0" + rest` is
        /// `s <= p`: the bound is cut at its first U+0000 and the comparison adjusted.
        /// Whether any of `texts` holds U+0000, which no stored name, identifier or index value does.
        static func holdsNUL(_ texts: String...) -> Bool { texts.contains { $0.utf8.contains(0) } }

        static func textBound(_ bound: String, inclusive: String, cutAtNUL: String) -> (String, String) {
            guard let nul = bound.unicodeScalars.firstIndex(of: "\u{0}") else { return (bound, inclusive) }
            return (String(bound.unicodeScalars[..<nul]), cutAtNUL)
        }

        /// The committed changes after a sequence number, in commit order.
        /// - Parameters:
        ///   - sequence: The last sequence the caller has seen.
        ///   - limit: The most batches returned.
        /// - Returns: The batches; a commit that changed nothing (a delete of a missing key) is an empty
        ///   batch. After ``compact()``, sequences have gaps where history was summarized.
        /// - Throws: ``DapodikStorage/StoreError``: `invalidInput` for a negative limit, `unavailable`
        ///   when the database cannot be reached.
        public func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
            try validateLimit(limit)
            guard limit > 0, sequence < UInt64(Int64.max) else { return [] }
            let sql =
                "SELECT c.sequence, ch.collection, ch.id, ch.version, ch.value, ch.indexes::text "
                + "FROM (SELECT sequence FROM \(schema).commits WHERE sequence > $1 ORDER BY sequence "
                + "LIMIT \(limit)) c LEFT JOIN \(schema).changes ch USING (sequence) "
                + "ORDER BY c.sequence, ch.collection, ch.id"
            let rows = try await perform { connection, logger in
                var binds = PostgresBindings()
                binds.append(Int64(sequence))
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                var result: [FeedRow] = []
                for try await (sequence, collection, id, version, value, indexes) in rows.decode(
                    (Int64, String?, String?, Int64?, Data?, String?).self)
                {
                    result.append(
                        FeedRow(
                            sequence: sequence, collection: collection, id: id, version: version, value: value,
                            indexes: indexes))
                }
                return result
            }
            var batches: [ChangeBatch] = []
            for row in rows {
                let sequence = UInt64(row.sequence)
                if batches.last?.sequence != sequence {
                    batches.append(ChangeBatch(sequence: sequence, puts: [], deletes: []))
                }
                guard let collection = row.collection, let id = row.id else { continue }
                let key = RecordKey(collection: collection, id: id)
                if let version = row.version, let value = row.value, let indexes = row.indexes {
                    batches[batches.count - 1].puts.append(
                        Record(
                            key: key, version: UInt64(version), value: value,
                            indexes: try IndexEntryCoding.decode(indexes), sequence: sequence))
                } else {
                    batches[batches.count - 1].deletes.append(key)
                }
            }
            return batches
        }

        /// Summarizes history as ``DapodikStorage/InMemoryRecordStore/compact()`` does: each live record
        /// stays in the change feed once, at the sequence of its last write; overwritten versions,
        /// deletes and commits left empty go.
        /// - Throws: ``DapodikStorage/StoreError``: `unavailable` when the database cannot be reached.
        public func compact() async throws {
            let statements = [
                "DELETE FROM \(schema).changes ch WHERE NOT EXISTS (SELECT 1 FROM \(schema).records r "
                    + "WHERE r.collection = ch.collection AND r.id = ch.id AND r.sequence = ch.sequence)",
                "DELETE FROM \(schema).commits c WHERE NOT EXISTS "
                    + "(SELECT 1 FROM \(schema).changes ch WHERE ch.sequence = c.sequence)",
            ]
            try await perform { connection, logger in
                try await connection.query("BEGIN", logger: logger)
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("COMMIT", logger: logger)
            }
        }

        private func records(_ sql: String, _ values: [String]) async throws(StoreError) -> [Record] {
            let rows = try await perform { connection, logger in
                var binds = PostgresBindings()
                for value in values { binds.append(value) }
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                var result: [(String, String, Int64, Int64, Data, String)] = []
                for try await row in rows.decode((String, String, Int64, Int64, Data, String).self) {
                    result.append(row)
                }
                return result
            }
            var records: [Record] = []
            records.reserveCapacity(rows.count)
            for (collection, id, version, sequence, value, indexes) in rows {
                records.append(
                    Record(
                        key: RecordKey(collection: collection, id: id), version: UInt64(version), value: value,
                        indexes: try IndexEntryCoding.decode(indexes), sequence: UInt64(sequence)))
            }
            return records
        }
    }

    /// One row of the change feed's query.
    private struct FeedRow: Sendable {
        var sequence: Int64
        var collection: String?
        var id: String?
        var version: Int64?
        var value: Data?
        var indexes: String?
    }
#endif
