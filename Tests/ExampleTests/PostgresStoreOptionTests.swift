#if PostgreSQL
    import DapodikTestSupport
    import Foundation
    import Testing

    /// `--store postgres://…` against the throw-away cluster of `.ci/with-postgres`: the records go to
    /// the database (the data directory keeps only the key file and the Maildir), and a database used
    /// with keys refuses a data directory whose key file is gone.
    @Suite(
        .enabled(
            if: ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_URL"] != nil || ExternalTool.isCI,
            "no PostgreSQL server: set DAPODIK_TEST_POSTGRES_URL, or run `bash .ci/with-postgres swift test …`"))
    struct PostgresStoreOptionTests {
        @Test("the CLI keeps its records in PostgreSQL with --store", .timeLimit(.minutes(10)))
        func recordsInPostgres() async throws {
            let server = try #require(
                ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_URL"],
                "CI=true requires DAPODIK_TEST_POSTGRES_URL (.ci/with-postgres)")
            // A schema of its own, so the test starts from an empty store.
            let schema = "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let url = server + (server.contains("?") ? "&" : "?") + "schema=\(schema)"
            let scratch = try TemporaryDirectory("postgres-option")
            let data = scratch.appending("data", isDirectory: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))

            let created = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name",
                    "Siti Aminah", "--operator-email", "siti.aminah@gmail.com", "--operator-username", "siti",
                    "--time-zone", "WIB", "--data", data.path, "--store", url,
                ], input: CommandFlowTests.operatorPassword + "\n", environment: ["DAPODIK_LANG": "en"])
            try #require(created.status == 0, "\(created.standardError)")
            let requested = try await ExampleProcess.run(
                "dapodik-verify", ["operator", "request-code", "--as", "siti", "--data", data.path, "--store", url],
                input: CommandFlowTests.operatorPassword + "\n", environment: ["DAPODIK_LANG": "en"])
            #expect(requested.status == 0, "\(requested.standardError)")
            // The school and its operator are in the database, not in a file store of the directory.
            #expect(
                !FileManager.default.fileExists(atPath: data.appendingPathComponent("store/CURRENT").path))
            let mail = try FileManager.default.contentsOfDirectory(
                atPath: data.appendingPathComponent("mail/new").path)
            #expect(mail.count == 1, "\(mail)")

            // Without --store the directory has no school: the records really are elsewhere.
            let local = try await ExampleProcess.run(
                "dapodik-verify", ["operator", "request-code", "--as", "siti", "--data", data.path],
                input: CommandFlowTests.operatorPassword + "\n", environment: ["DAPODIK_LANG": "en"])
            #expect(local.status == 66, "\(local.standardError)")
            #expect(local.standardError.contains("missing or empty although the key file"), "\(local.standardError)")
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("store").path))

            // The database was used with the keys: new keys for it are refused, not made silently.
            try FileManager.default.removeItem(at: data.appendingPathComponent("secret-keys"))
            let refused = try await ExampleProcess.run(
                "dapodik-verify", ["operator", "request-code", "--as", "siti", "--data", data.path, "--store", url],
                input: CommandFlowTests.operatorPassword + "\n", environment: ["DAPODIK_LANG": "en"])
            #expect(refused.status == 74, "\(refused.standardError)")
            #expect(refused.standardError.contains("missing although the store exists"))
        }

        @Test(
            "key rotate and store compact with --store act on the database, never on a file store beside it",
            .timeLimit(.minutes(10)))
        func maintenanceInPostgres() async throws {
            let school = try await SchoolInPostgres.created("postgres-maintenance")
            let (data, scratch) = (school.data, school.scratch)
            let fileStore = data.appendingPathComponent("store/CURRENT").path

            let rotated = try await school.run(["key", "rotate"])
            #expect(rotated.status == 0, "\(rotated.standardError)")
            #expect(!FileManager.default.fileExists(atPath: fileStore), "key rotate made a file store")
            // The new key's check value goes to the database the records are in.
            let requested = try await school.run(
                ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
            #expect(requested.status == 0, "\(requested.standardError)")

            let before = try await school.run(["feed", "--json"])
            #expect(before.status == 0, "\(before.standardError)")
            let compacted = try await school.run(["store", "compact"])
            #expect(compacted.status == 0, "\(compacted.standardError)")
            #expect(compacted.standardOutput.contains("PostgreSQL"), "\(compacted.standardOutput)")
            #expect(!FileManager.default.fileExists(atPath: fileStore), "store compact made a file store")
            let after = try await school.run(["feed", "--json"])
            #expect(after.standardOutput == before.standardOutput)

            let backup = try await school.run(["store", "backup", scratch.appending("backup", isDirectory: true).path])
            #expect(backup.status == 64, "\(backup.standardError)")
            #expect(backup.standardError.contains("pg_dump"))
        }

        @Test(
            "a database slow to take the code's commit is said as the database, not blamed on the mail server",
            .timeLimit(.minutes(10)))
        func slowDatabaseIsSaid() async throws {
            let school = try await SchoolInPostgres.created("postgres-slow")
            let (server, schema) = (school.server, school.schema)
            let psql = try #require(ExternalTool.path(of: "psql"), "psql comes with .ci/with-postgres's postgresql")
            // Another session holds the store's commit counter until the test ends it: reads go on, and
            // the first commit (the login's claim of an attempt) waits for the database. The wait is
            // said as the database's, and the mail server, not yet asked, is not named.
            let holderName = "dapodik-test-holder-" + schema
            let holder = Task {
                try await ChildProcess.run(
                    psql,
                    [
                        server, "-c", "SET application_name = '\(holderName)'", "-c",
                        "BEGIN; LOCK TABLE \(schema).counter IN EXCLUSIVE MODE; SELECT pg_sleep(300); COMMIT;",
                    ], timeout: .seconds(600))
            }
            /// How many sessions hold (`granted`) or wait for (not) a lock on the store's counter.
            func counterLocks(granted: Bool) async throws -> Int {
                let query = try await ChildProcess.run(
                    psql,
                    [
                        server, "-At", "-c",
                        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation JOIN pg_namespace n "
                            + "ON n.oid = c.relnamespace WHERE c.relname = 'counter' AND n.nspname = '\(schema)' "
                            + "AND l.granted = \(granted)",
                    ])
                return Int(query.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            }
            // Counted in turns, not wall-clock time, so a loaded machine only makes the test slower.
            var held = false
            for _ in 0..<600 where !held {
                held = try await counterLocks(granted: true) > 0
                if !held { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(held, "the other session never held the counter")
            let request = Task {
                try await school.run(
                    ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
            }
            // Once the command waits for the lock, it has more than its second of patience to say so.
            var waiting = false
            for _ in 0..<1_200 where !waiting {
                waiting = try await counterLocks(granted: false) > 0
                if !waiting { try await Task.sleep(for: .milliseconds(50)) }
            }
            try await Task.sleep(for: .seconds(5))
            _ = try await ChildProcess.run(
                psql,
                [
                    server, "-At", "-c",
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '\(holderName)'",
                ])
            let requested = try await request.value
            _ = try await holder.value
            #expect(waiting, "the command never waited for the counter")
            #expect(requested.status == 0, "\(requested.standardError)")
            #expect(requested.standardError.contains("Waiting for the database…"), "\(requested.standardError)")
            #expect(!requested.standardError.contains("mail server"), "\(requested.standardError)")
            #expect(requested.standardOutput.contains("Code 1 was sent"), "\(requested.standardOutput)")
        }

        /// `dapodik-verify feed` with its data directory `data` and its store at `url`, in `lang`.
        static func feed(_ url: String, data: URL, lang: String = "en") async throws -> ExampleProcess.Result {
            try await ExampleProcess.run(
                "dapodik-verify", ["feed", "--data", data.path, "--store", url], environment: ["DAPODIK_LANG": lang])
        }

        @Test(
            "a schema that holds no store is refused (66) and not made; a server out of reach is 75; a bad URL is 65",
            .timeLimit(.minutes(10)))
        func missingStoreAndUnreachableServer() async throws {
            let server = try #require(
                ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_URL"],
                "CI=true requires DAPODIK_TEST_POSTGRES_URL (.ci/with-postgres)")
            let scratch = try TemporaryDirectory("postgres-missing")
            let data = scratch.appending("data", isDirectory: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            // A mistyped ?schema=: refused twice, so the first refusal made nothing the second could find.
            let typo = "cli_typo_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let url = server + (server.contains("?") ? "&" : "?") + "schema=\(typo)"
            for _ in 0..<2 {
                let refused = try await Self.feed(url, data: data)
                #expect(refused.status == 66, "\(refused.standardError)")
                #expect(
                    refused.standardError.contains("There is no store in schema \(typo)"), "\(refused.standardError)")
                #expect(refused.standardError.contains("nothing was created"))
            }
            let indonesian = try await Self.feed(url, data: data, lang: "id")
            #expect(
                indonesian.standardError.contains("Tidak ada penyimpanan data di skema \(typo)"),
                "\(indonesian.standardError)"
            )
            #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("secret-keys").path))

            // Nothing listens on port 1: try again later, not a failure of the data directory.
            let unreachable = try await Self.feed(
                "postgres://dapodik@127.0.0.1:1/dapodik_test?sslmode=disable", data: data)
            #expect(unreachable.status == 75, "\(unreachable.standardError)")
            #expect(unreachable.standardError.contains("cannot be reached"), "\(unreachable.standardError)")

            let invalid = try await Self.feed(server + (server.contains("?") ? "&" : "?") + "sslmode=bogus", data: data)
            #expect(invalid.status == 65, "\(invalid.standardError)")
        }

        @Test(
            "a certificate verify-full cannot trust is 74 and says so; a missing sslrootcert file is 66; neither waits out the time limit",
            .timeLimit(.minutes(10)))
        func refusedTLS() async throws {
            let tlsServer = try #require(
                ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_TLS_URL"],
                "CI=true requires DAPODIK_TEST_POSTGRES_TLS_URL (.ci/with-postgres)")
            let scratch = try TemporaryDirectory("postgres-tls")
            let data = scratch.appending("data", isDirectory: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            let verifying = tlsServer.replacingOccurrences(of: "sslmode=require", with: "sslmode=verify-full")
            let started = ContinuousClock.now
            let untrusted = try await Self.feed(verifying, data: data)
            #expect(ContinuousClock.now - started < .seconds(9), "said at once, not after the 10 s time limit")
            #expect(untrusted.status == 74, "\(untrusted.standardError)")
            #expect(untrusted.standardError.contains("certificate is not trusted"), "\(untrusted.standardError)")
            #expect(!untrusted.standardError.contains(" at /"), "\(untrusted.standardError)")
            let indonesian = try await Self.feed(verifying, data: data, lang: "id")
            #expect(indonesian.standardError.contains("tidak dipercaya"), "\(indonesian.standardError)")

            let missingFile = scratch.appending("no-such-ca.pem").path
            let missing = try await Self.feed(verifying + "&sslrootcert=\(missingFile)", data: data)
            #expect(missing.status == 66, "\(missing.standardError)")
            #expect(missing.standardError.contains(missingFile), "\(missing.standardError)")
        }
    }
    /// A school created by `dapodik-verify school create` in a schema of its own of the test server,
    /// with a data directory of its own (1,000 password iterations): a store that starts empty.
    struct SchoolInPostgres {
        let server: String
        let schema: String
        let url: String
        let scratch: TemporaryDirectory
        let data: URL

        /// Creates the school; `name` names the scratch directory.
        static func created(_ name: String) async throws -> SchoolInPostgres {
            let server = try #require(
                ProcessInfo.processInfo.environment["DAPODIK_TEST_POSTGRES_URL"],
                "CI=true requires DAPODIK_TEST_POSTGRES_URL (.ci/with-postgres)")
            let schema = "cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let scratch = try TemporaryDirectory(name)
            let data = scratch.appending("data", isDirectory: true)
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
            let school = SchoolInPostgres(
                server: server, schema: schema, url: server + (server.contains("?") ? "&" : "?") + "schema=\(schema)",
                scratch: scratch, data: data)
            let created = try await school.run(
                [
                    "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name",
                    "Siti Aminah", "--operator-email", "siti.aminah@gmail.com", "--operator-username", "siti",
                    "--time-zone", "WIB",
                ], input: CommandFlowTests.operatorPassword + "\n")
            try #require(created.status == 0, "\(created.standardError)")
            return school
        }

        /// Runs `dapodik-verify` with `arguments` on this school's data directory and store, in English.
        func run(_ arguments: [String], input: String = "") async throws -> ExampleProcess.Result {
            try await ExampleProcess.run(
                "dapodik-verify", arguments + ["--data", data.path, "--store", url], input: input,
                environment: ["DAPODIK_LANG": "en"])
        }
    }
#endif
