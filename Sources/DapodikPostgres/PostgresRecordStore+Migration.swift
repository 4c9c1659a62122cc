#if PostgreSQL
    import DapodikStorage
    import DapodikLanguage
    import PostgresNIO

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    extension PostgresRecordStore {
        /// Creates the store's schema, or brings it up to this version; idempotent.
        ///
        /// In one transaction under an advisory lock on the schema's name: a second process starting at
        /// the same moment waits, then finds the work done. Each migration is recorded in
        /// `<schema>.schema_version`. The role needs `CREATE` on the database (or an existing schema it
        /// owns), except when the schema is already current: then nothing is written, and a role with
        /// only `USAGE` on the schema and `SELECT` on `schema_version` may call it (the split of duties
        /// in `Documentation/Operations.md`).
        /// - Returns: The schema version now in force.
        /// - Throws: ``DapodikStorage/StoreError``: `databaseFailure` when the database holds a newer
        ///   schema than this program knows or refuses the statements, or (for a configuration read
        ///   from a URL) refuses the login or has no such database; `unavailable` when it cannot be
        ///   reached. Nothing is changed then.
        @discardableResult
        public func migrate() async throws -> Int {
            // A refused login is said as such, at once, not after the whole time limit as "unavailable".
            if let refusal = await loginCheck?.refusal(since: .now, logger: logger) { throw refusal }
            if try await installedSchemaVersion() == PostgresSchema.latestVersion {
                return PostgresSchema.latestVersion
            }
            let schema = self.schema
            let name = configuration.schema
            return try await perform { connection, logger in
                try await connection.query("BEGIN", logger: logger)
                do {
                    var binds = PostgresBindings()
                    binds.append("dapodik-schema:\(name)")
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", binds: binds),
                        logger: logger)
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema).schema_version (version integer "
                                + "PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"),
                        logger: logger)
                    let rows = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT coalesce(max(version), 0) FROM \(schema).schema_version"),
                        logger: logger)
                    var current = 0
                    for try await version in rows.decode(Int32.self) { current = Int(version) }
                    guard current <= PostgresSchema.latestVersion else {
                        throw StoreError.databaseFailure(
                            LocalizedText(
                                indonesian: "skema versi \(current) lebih baru dari program ini "
                                    + "(\(PostgresSchema.latestVersion))",
                                english: "schema version \(current) is newer than this program knows "
                                    + "(\(PostgresSchema.latestVersion))"))
                    }
                    for version in (current + 1)..<(PostgresSchema.latestVersion + 1) {
                        for statement in PostgresSchema.migrations[version - 1] {
                            let sql = statement.replacing("{schema}", with: schema)
                            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                        }
                        try await connection.query(
                            PostgresQuery(
                                unsafeSQL: "INSERT INTO \(schema).schema_version (version) VALUES (\(version))"),
                            logger: logger)
                    }
                    try await connection.query("COMMIT", logger: logger)
                    return PostgresSchema.latestVersion
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }

        /// The schema version this program's migrations reach: ``migrate()`` has nothing to do when
        /// ``installedSchemaVersion()`` returns it.
        public static var latestSchemaVersion: Int { PostgresSchema.latestVersion }

        /// The version of the store's schema in the database, without changing anything: `nil` when the
        /// schema (or its `schema_version` table) is not there, so that a program can tell a mistyped
        /// database or schema from a store before ``migrate()`` would create one.
        /// - Returns: The newest migration recorded, or `nil`.
        /// - Throws: ``DapodikStorage/StoreError`` as ``migrate()`` does.
        public func installedSchemaVersion() async throws -> Int? {
            if let refusal = await loginCheck?.refusal(since: .now, logger: logger) { throw refusal }
            let schema = self.schema
            return try await perform { connection, logger in
                var binds = PostgresBindings()
                binds.append("\(schema).schema_version")
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT to_regclass($1) IS NOT NULL", binds: binds), logger: logger)
                var exists = false
                for try await found in rows.decode(Bool.self) { exists = found }
                guard exists else { return Int?.none }
                let versions = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT coalesce(max(version), 0) FROM \(schema).schema_version"),
                    logger: logger)
                var current = 0
                for try await version in versions.decode(Int32.self) { current = Int(version) }
                return Int?.some(current)
            }
        }
    }
#endif
