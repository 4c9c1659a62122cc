#if PostgreSQL
    public import DapodikPostgres
    import DapodikStorage
    import Foundation
    import PostgresNIO
    public import Testing

    /// The PostgreSQL server the tests use: `DAPODIK_TEST_POSTGRES_URL` (`.ci/with-postgres` starts one).
    ///
    /// Without it the tests are skipped, except under `CI=true`, where they run and fail: CI must test
    /// against a real server.
    public enum PostgresTestServer {
        static let environment = ProcessInfo.processInfo.environment
        /// `DAPODIK_TEST_POSTGRES_URL`, when set.
        public static let url = environment["DAPODIK_TEST_POSTGRES_URL"]
        /// Whether the tests run under CI (`CI=true`), where a missing server fails.
        public static let isCI = environment["CI"] == "true"

        /// Run when a server is configured, or under CI (where its absence is a failure).
        public static let available = Testing.ConditionTrait.enabled(
            if: url != nil || isCI,
            "no PostgreSQL server: set DAPODIK_TEST_POSTGRES_URL, or run `bash .ci/with-postgres swift test …`")

        /// The configured URL; a recorded failure when there is none.
        public static func requireURL(_ name: String = "DAPODIK_TEST_POSTGRES_URL") throws -> String {
            try requireSetting(name)
        }

        /// A setting `.ci/with-postgres` gives its command (a URL, a file, a role); a recorded failure
        /// when it is not set.
        public static func requireSetting(_ name: String) throws -> String {
            guard let value = environment[name] else {
                Issue.record("\(name) is not set, and CI=true requires a real PostgreSQL server (.ci/with-postgres)")
                throw MissingServer()
            }
            return value
        }

        /// Thrown once a missing server is recorded as a failure.
        public struct MissingServer: Error {}

        /// A store over a fresh schema of its own, migrated; the schema is dropped after `body`.
        public static func withFreshStore<Result>(
            url name: String = "DAPODIK_TEST_POSTGRES_URL", operationTimeout: Duration = .seconds(20),
            _ body: (PostgresRecordStore, PostgresRecordStore.Configuration) async throws -> Result
        ) async throws -> Result {
            var configuration = try PostgresRecordStore.Configuration(url: requireURL(name), password: nil)
            configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            // The schema is made by a store of its own with a generous timeout: a test's short one is
            // for the operation it tests, not for a migration that waits for other suites' migrations.
            configuration.operationTimeout = max(operationTimeout, .seconds(20))
            let setup = try PostgresRecordStore(configuration: configuration)
            do {
                try await setup.migrate()
            } catch {
                try? await dropSchema(of: setup, configuration)
                await setup.shutdown()
                throw error
            }
            await setup.shutdown()
            configuration.operationTimeout = operationTimeout
            let store = try PostgresRecordStore(configuration: configuration)
            do {
                let result = try await body(store, configuration)
                try await dropSchema(of: store, configuration)
                await store.shutdown()
                return result
            } catch {
                try? await dropSchema(of: store, configuration)
                await store.shutdown()
                throw error
            }
        }

        private static func dropSchema(
            of store: PostgresRecordStore, _ configuration: PostgresRecordStore.Configuration
        ) async throws {
            try await sql("DROP SCHEMA IF EXISTS \"\(configuration.schema)\" CASCADE", configuration)
        }

        /// Runs one statement on a connection of its own (not the store's pool) and returns the first
        /// column of every row as text.
        ///
        /// Suites run at once, and two `GRANT`s on the one test database update its catalog row
        /// together: PostgreSQL then refuses one with "tuple concurrently updated" (XX000), which is
        /// the test's setup racing, not what a test is about, so such a statement is tried again. Any
        /// other refusal is thrown with the server's own words (`PSQLError` alone prints none).
        @discardableResult
        public static func sql(_ statement: String, _ configuration: PostgresRecordStore.Configuration) async throws
            -> [String?]
        {
            for attempt in 1... {
                do {
                    return try await sqlOnce(statement, configuration)
                } catch let error as PSQLError {
                    if attempt < 10, error.serverInfo?[.message] == "tuple concurrently updated" {
                        try await Task.sleep(for: .milliseconds(20 * attempt))
                        continue
                    }
                    throw StatementRefused(statement: statement, detail: String(reflecting: error))
                }
            }
            fatalError("unreachable: the loop returns or throws")
        }

        /// A statement the server refused, with what it said.
        public struct StatementRefused: Error, CustomStringConvertible {
            /// The statement refused.
            public let statement: String
            /// What the server said.
            public let detail: String
            /// The statement and what the server said.
            public var description: String { "\(statement): \(detail)" }
        }

        private static func sqlOnce(_ statement: String, _ configuration: PostgresRecordStore.Configuration)
            async throws -> [String?]
        {
            let client = PostgresClient(configuration: configuration.client)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let rows = try await client.query(PostgresQuery(unsafeSQL: statement))
                var values: [String?] = []
                for try await row in rows {
                    values.append(try row.first.flatMap { try $0.decode(String?.self) })
                }
                return values
            }
        }
    }
#endif
