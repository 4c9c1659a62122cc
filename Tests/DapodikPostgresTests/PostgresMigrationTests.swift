#if PostgreSQL
    import DapodikLanguage
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import Foundation
    import PostgresNIO
    import Testing

    @Suite("PostgreSQL schema migrations", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresMigrationTests {
        @Test("migrate() is idempotent and records each version once")
        func idempotent() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                try await store.commit(
                    .put(RecordKey(collection: "a", id: "1"), value: Data("x".utf8), expecting: .mustNotExist))
                #expect(try await store.migrate() == 2)
                #expect(try await store.migrate() == 2)
                let versions = try await PostgresTestServer.sql(
                    "SELECT version::text FROM \"\(configuration.schema)\".schema_version ORDER BY version",
                    configuration)
                #expect(versions == ["1", "2"])
                #expect(try await store.record(for: RecordKey(collection: "a", id: "1"))?.version == 1)
            }
        }

        @Test("a schema of version 1 (an older program's) gets the commit procedure, keeps its records, and commits on")
        func fromVersionOne() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let schema = "\"\(configuration.schema)\""
                let key = RecordKey(collection: "a", id: "1")
                try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                _ = try await PostgresTestServer.sql("DROP PROCEDURE \(schema).commit_batch_and_notify", configuration)
                _ = try await PostgresTestServer.sql(
                    "DELETE FROM \(schema).schema_version WHERE version = 2", configuration)
                #expect(try await store.migrate() == 2)
                #expect(try await store.record(for: key)?.value == Data("x".utf8))
                #expect(try await store.commit(.put(key, value: Data("y".utf8), expecting: .version(1))) == 2)
            }
        }

        @Test("the split of roles works: a role without CREATE migrates a current schema (reading only) and commits")
        func roleWithoutCreate() async throws {
            try await PostgresTestServer.withFreshStore { store, admin in
                // A new role has no CREATE on the database (PUBLIC has none by default).
                let role = "service_only_\(UInt32.random(in: 0...UInt32.max))"
                let schema = "\"\(admin.schema)\""
                let database = try #require(admin.client.database)
                try await PostgresTestServer.sql("CREATE ROLE \(role) LOGIN", admin)
                try await PostgresTestServer.sql("GRANT CONNECT ON DATABASE \"\(database)\" TO \(role)", admin)
                try await PostgresTestServer.sql("GRANT USAGE ON SCHEMA \(schema) TO \(role)", admin)
                try await PostgresTestServer.sql(
                    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA \(schema) TO \(role)", admin)
                var url = try #require(URLComponents(string: try PostgresTestServer.requireURL()))
                url.user = role
                var configuration = try PostgresRecordStore.Configuration(url: try #require(url.string), password: nil)
                configuration.schema = admin.schema
                configuration.operationTimeout = .seconds(30)
                let service = try PostgresRecordStore(configuration: configuration)
                do {
                    #expect(try await service.installedSchemaVersion() == 2)
                    #expect(try await service.migrate() == 2)
                    let key = RecordKey(collection: "a", id: "1")
                    #expect(try await service.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist)) == 1)
                    #expect(try await store.record(for: key)?.value == Data("x".utf8))
                } catch {
                    Issue.record(error)
                }
                await service.shutdown()
                try await PostgresTestServer.sql("DROP OWNED BY \(role)", admin)
                try await PostgresTestServer.sql("DROP ROLE \(role)", admin)
            }
        }

        @Test("four stores with pools of their own migrating one new schema at once all succeed, applying it once")
        func concurrentMigrations() async throws {
            var configuration = try PostgresRecordStore.Configuration(
                url: PostgresTestServer.requireURL(), password: nil)
            configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let stores = try (0..<4).map { _ in try PostgresRecordStore(configuration: configuration) }
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for store in stores { group.addTask { try await store.migrate() } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions == [2, 2, 2, 2])
            let recorded = try await PostgresTestServer.sql(
                "SELECT count(*)::text FROM \"\(configuration.schema)\".schema_version", configuration)
            #expect(recorded == ["2"])
            #expect(
                try await stores[0].commit(.put(RecordKey(collection: "a", id: "1"), value: Data(), expecting: .any))
                    == 1)
            try await PostgresTestServer.sql("DROP SCHEMA \"\(configuration.schema)\" CASCADE", configuration)
            for store in stores { await store.shutdown() }
        }

        @Test("a schema newer than the program is refused, and nothing is changed")
        func newerSchema() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                try await PostgresTestServer.sql(
                    "INSERT INTO \"\(configuration.schema)\".schema_version (version) VALUES (99)", configuration)
                let error = await #expect(throws: StoreError.self) { try await store.migrate() }
                #expect(error?.code == .databaseFailure)
                #expect(error?.message.english.contains("newer") == true)
            }
        }

        @Test(
            "a login the server refuses (an unknown user, a database that does not exist) is said at once, not as unavailable",
            arguments: ["user", "database"])
        func refusedLoginIsSaidAtOnce(part: String) async throws {
            var url = try #require(URLComponents(string: try PostgresTestServer.requireURL()))
            if part == "user" { url.user = "no_such_role_\(UInt32.random(in: 0...UInt32.max))" }
            if part == "database" { url.path = "/no_such_database_\(UInt32.random(in: 0...UInt32.max))" }
            var configuration = try PostgresRecordStore.Configuration(url: try #require(url.string), password: nil)
            configuration.operationTimeout = .seconds(30)
            configuration.loginCheckPatience = .seconds(10)
            let store = try PostgresRecordStore(configuration: configuration)
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(error?.code == .databaseFailure, "\(String(describing: error))")
            #expect(error?.isTransient == false)
            #expect(
                error?.message.english.contains(part == "user" ? "was refused" : "does not exist") == true,
                "\(error?.message.english ?? "")")
            // Each language whole: no Indonesian in the English message, and no English in the Indonesian.
            #expect(error?.message.english.contains(part == "user" ? "ditolak" : "tidak ada") == false)
            #expect(
                error?.message.indonesian.contains(part == "user" ? "ditolak" : "basis data tidak ada") == true,
                "\(error?.message.indonesian ?? "")")
            #expect(
                error?.message.indonesian.contains(part == "user" ? "was refused" : "the database does not") == false)
            #expect(ContinuousClock.now - started < .seconds(15), "said at once, not after the time limit")
            await store.shutdown()
        }

        @Test("a login refused after the store was opened (the role lost LOGIN) is said as refused, not as unavailable")
        func loginRefusedLater() async throws {
            let adminURL = try PostgresTestServer.requireURL()
            let admin = try PostgresRecordStore.Configuration(url: adminURL, password: nil)
            let role = "login_check_\(UInt32.random(in: 0...UInt32.max))"
            var url = try #require(URLComponents(string: adminURL))
            url.user = role
            var configuration = try PostgresRecordStore.Configuration(url: try #require(url.string), password: nil)
            configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let database = try #require(admin.client.database)
            try await PostgresTestServer.sql("CREATE ROLE \(role) LOGIN", admin)
            try await PostgresTestServer.sql("GRANT CREATE ON DATABASE \"\(database)\" TO \(role)", admin)
            let key = RecordKey(collection: "a", id: "1")
            // The schema and the first record by a store with a generous timeout (other suites migrate at
            // the same time); the short one is for the operations under test.
            configuration.operationTimeout = .seconds(30)
            let setup = try PostgresRecordStore(configuration: configuration)
            do {
                try await setup.migrate()
                try await setup.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
            } catch {
                Issue.record(error)
            }
            await setup.shutdown()
            configuration.operationTimeout = .seconds(3)
            // The probe's answer is what this test is about: a loaded host may take more than the
            // usual second to give it (seen once in six runs under load 5–8).
            configuration.loginCheckPatience = .seconds(10)
            let store = try PostgresRecordStore(configuration: configuration)
            do {
                #expect(try await store.record(for: key)?.version == 1)
                // The pool's connections are ended, and new ones refused: 28000, not permitted to log in.
                try await PostgresTestServer.sql("ALTER ROLE \(role) NOLOGIN", admin)
                try await PostgresTestServer.sql(
                    "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE usename = '\(role)'", admin)
                let read = await #expect(throws: StoreError.self) { try await store.record(for: key) }
                #expect(read?.code == .databaseFailure, "\(String(describing: read))")
                #expect(read?.isTransient == false)
                #expect(read?.message.english.contains("was refused") == true, "\(read?.message.english ?? "")")
                let commit = await #expect(throws: StoreError.self) {
                    try await store.commit(.put(key, value: Data("y".utf8), expecting: .version(1)))
                }
                #expect(commit?.code == .databaseFailure, "\(String(describing: commit))")
                // Given its login back, the same store works again (once its pool tries again: up to 30
                // reads), and the refused commit wrote nothing.
                try await PostgresTestServer.sql("ALTER ROLE \(role) LOGIN", admin)
                var value: Data?
                for _ in 0..<30 where value == nil {
                    value = try? await store.record(for: key)?.value
                    if value == nil { try await Task.sleep(for: .seconds(1)) }
                }
                #expect(value == Data("x".utf8))
            } catch {
                Issue.record(error)
            }
            await store.shutdown()
            try await PostgresTestServer.sql("DROP SCHEMA IF EXISTS \"\(configuration.schema)\" CASCADE", admin)
            try await PostgresTestServer.sql("DROP OWNED BY \(role)", admin)
            try await PostgresTestServer.sql("DROP ROLE \(role)", admin)
        }

        @Test("a Unix socket's directory is taken from ?host= or from a percent-encoded host, as libpq does")
        func socketDirectoryURLs() throws {
            for url in [
                "postgres://dapodik@%2Fvar%2Frun%2Fpostgresql:5433/db",
                "postgres://dapodik@localhost:5433/db?host=/var/run/postgresql",
            ] {
                let configuration = try PostgresRecordStore.Configuration(url: url, password: nil)
                #expect(configuration.client.unixSocketPath == "/var/run/postgresql/.s.PGSQL.5433", "\(url)")
                #expect(configuration.client.host == nil, "\(url)")
            }
            let tcp = try PostgresRecordStore.Configuration(url: "postgres://dapodik@db.example:5433/db", password: nil)
            #expect(tcp.client.host == "db.example")
            #expect(tcp.client.unixSocketPath == nil)
        }

        @Test(
            "a URL with a password, another scheme, an unknown sslmode, a port out of range, a line break or NUL, a name over 63 bytes, or an unknown or repeated parameter is refused with invalidInput"
        )
        func badURLs() {
            for url in [
                "postgres://user:secret@localhost/db", "mysql://localhost/db", "postgres://localhost/db?sslmode=maybe",
                "postgres://user@localhost/db?password=Leaky-Secret-1", "postgres://localhost:99999/db",
                "postgres://localhost:0/db", "postgres://localhost/db%0Ax", "postgres://localhost/db%00",
                "postgres://us%0Der@localhost/db", "postgres://localhost/" + String(repeating: "d", count: 64),
                "postgres://localhost/db?sslmod=require", "postgres://localhost/db?sslmode=require&sslmode=disable",
            ] {
                let error = #expect(throws: StoreError.self) {
                    try PostgresRecordStore.Configuration(url: url, password: nil)
                }
                #expect(error?.code == .invalidInput, "\(url)")
                #expect(
                    error?.message.english.contains("secret") != true
                        && error?.message.english.contains("Leaky") != true)
            }
            #expect(throws: StoreError.self) {
                var configuration = try PostgresRecordStore.Configuration(url: "postgres://localhost/db", password: nil)
                configuration.schema = "Robert'); DROP TABLE students;--"
                _ = try PostgresRecordStore(configuration: configuration)
            }
        }
    }
#endif
