#if PostgreSQL
    import DapodikLanguage
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import DapodikTestSupport
    import Foundation
    import Logging
    import PostgresNIO
    import Testing

    /// Failures are typed and honest: unreachable is transient, a lost reply is settled or unknown.
    @Suite("PostgreSQL store failures", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresFailureTests {
        @Test("a server that refuses connections makes reads and commits fail as transient, not hang")
        func refused() async throws {
            _ = try PostgresTestServer.requireURL()
            let port = try freePort()
            var configuration = try PostgresRecordStore.Configuration(
                url: "postgres://dapodik@127.0.0.1:\(port)/nothing?sslmode=disable", password: nil)
            configuration.operationTimeout = .seconds(3)
            let store = try PostgresRecordStore(configuration: configuration)
            let read = await #expect(throws: StoreError.self) {
                try await store.record(for: RecordKey(collection: "a", id: "1"))
            }
            #expect(read?.code == .unavailable)
            #expect(read?.isTransient == true)
            let commit = await #expect(throws: StoreError.self) {
                try await store.commit(.put(RecordKey(collection: "a", id: "1"), value: Data(), expecting: .any))
            }
            #expect(commit?.code == .unavailable)
            #expect(commit?.message(in: .indonesian).contains("tidak dapat dihubungi") == true)
            await store.shutdown()
        }

        @Test("a commit that cannot finish in time is settled: its server process is ended and nothing is written")
        func timedOutCommitIsSettledAsNotApplied() async throws {
            try await PostgresTestServer.withFreshStore(operationTimeout: .seconds(2)) { store, configuration in
                let key = RecordKey(collection: "a", id: "1")
                // Another session holds the counter row, so the commit waits inside the server.
                let holder = PostgresClient(configuration: configuration.client)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await holder.run() }
                    try await holder.withConnection { connection in
                        let logger = Logger(label: "test")
                        try await connection.query("BEGIN", logger: logger)
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "SELECT * FROM \"\(configuration.schema)\".counter FOR UPDATE"),
                            logger: logger)
                        let error = await #expect(throws: StoreError.self) {
                            try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                        }
                        #expect(error?.code == .unavailable)
                        #expect(error?.message.english.contains("not applied") == true)
                        try await connection.query("ROLLBACK", logger: logger)
                    }
                    group.cancelAll()
                }
                #expect(try await store.record(for: key) == nil)
                #expect(try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist)) == 1)
            }
        }

        @Test("a transaction that fails at its COMMIT is reported, stores nothing, and its sequence is not given twice")
        func failureAtCommitIsReported() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let schema = "\"\(configuration.schema)\""
                // A deferred check runs at COMMIT, after the statement has answered with its row.
                _ = try await PostgresTestServer.sql(
                    "CREATE FUNCTION \(schema).refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                        + "IF NEW.id = 'refused' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$",
                    configuration)
                _ = try await PostgresTestServer.sql(
                    "CREATE CONSTRAINT TRIGGER refuse AFTER INSERT ON \(schema).records DEFERRABLE INITIALLY DEFERRED "
                        + "FOR EACH ROW EXECUTE FUNCTION \(schema).refuse()", configuration)
                let key = RecordKey(collection: "a", id: "refused")
                let error = await #expect(throws: StoreError.self) {
                    try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                }
                #expect(error?.code == .databaseFailure, "\(String(describing: error))")
                #expect(try await store.record(for: key) == nil)
                // The connection went back to the pool idle, and the next commit is the first one.
                #expect(
                    try await store.commit(
                        .put(RecordKey(collection: "a", id: "ok"), value: Data(), expecting: .mustNotExist)) == 1)
                #expect(try await store.changes(after: 0).map(\.sequence) == [1])
            }
        }

        @Test("an error after the commit procedure's COMMIT (a cancel on its way out) is settled as applied, once")
        func errorAfterCommitIsSettledAsApplied() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let schema = "\"\(configuration.schema)\""
                // The procedure as migration 2 makes it, but failing after its COMMIT as a statement
                // timeout or a cancel can (57014) on the way out.
                _ = try await PostgresTestServer.sql(
                    "CREATE OR REPLACE PROCEDURE \(schema).commit_batch_and_notify(commit_token uuid, batch jsonb, "
                        + "channel text, collections text[], INOUT committed_sequence bigint DEFAULT NULL) "
                        + "LANGUAGE plpgsql AS $$ BEGIN committed_sequence := \(schema).commit_batch(commit_token, batch); "
                        + "COMMIT; RAISE EXCEPTION 'canceled after commit' USING ERRCODE = '57014'; END $$",
                    configuration)
                let key = RecordKey(collection: "a", id: "1")
                #expect(try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist)) == 1)
                #expect(try await store.record(for: key)?.value == Data("x".utf8))
                #expect(try await store.changes(after: 0).map(\.sequence) == [1])
            }
        }

        @Test("a commit the server refuses before writing anything is reported as refused, not looked up as applied")
        func refusalBeforeCommitIsReported() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let schema = "\"\(configuration.schema)\""
                _ = try await PostgresTestServer.sql(
                    "DROP PROCEDURE \(schema).commit_batch_and_notify", configuration)
                let key = RecordKey(collection: "a", id: "1")
                let error = await #expect(throws: StoreError.self) {
                    try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                }
                #expect(error?.code == .databaseFailure, "\(String(describing: error))")
                #expect(error?.message.english.contains("does not exist") == true, "\(String(describing: error))")
                #expect(try await store.record(for: key) == nil)
            }
        }

        @Test("a commit whose reply is lost after the server applied it is found by its token and acknowledged once")
        func lostReplyIsSettledAsApplied() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let proxy = try CuttingProxy(upstream: configuration.client.port ?? 5432)
                defer { proxy.stop() }
                var viaProxy = configuration
                viaProxy.client = PostgresClient.Configuration(
                    host: "127.0.0.1", port: proxy.port, username: configuration.client.username, password: nil,
                    database: configuration.client.database, tls: .disable)
                viaProxy.operationTimeout = .seconds(5)
                let cut = try PostgresRecordStore(configuration: viaProxy)
                let key = RecordKey(collection: "a", id: "1")
                let sequence = try await cut.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                #expect(sequence == 1)
                #expect(try await store.record(for: key)?.version == 1)
                #expect(try await store.changes(after: 0).map(\.sequence) == [1])
                #expect(proxy.didCut)
                await cut.shutdown()
            }
        }

        @Test("a commit whose server process an administrator ends is settled by its token, not taken as refused")
        func commitEndedByAdministratorIsSettled() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let key = RecordKey(collection: "a", id: "1")
                let name = "dapodik-admin-\(UUID().uuidString.prefix(8))"
                var tagged = configuration
                tagged.client.options.additionalStartupParameters = [("application_name", name)]
                let writer = try PostgresRecordStore(configuration: tagged)
                // Another session holds the counter row, so the writer's commit waits inside the server
                // until its process is ended (SQLSTATE 57P01, which may come after a commit too).
                let holder = PostgresClient(configuration: configuration.client)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await holder.run() }
                    try await holder.withConnection { connection in
                        let logger = Logger(label: "test")
                        try await connection.query("BEGIN", logger: logger)
                        try await connection.query(
                            PostgresQuery(unsafeSQL: "SELECT * FROM \"\(configuration.schema)\".counter FOR UPDATE"),
                            logger: logger)
                        let commit = Task {
                            try await writer.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                        }
                        var ended: [String?] = []
                        for _ in 0..<200 where ended.isEmpty {
                            try await Task.sleep(for: .milliseconds(25))
                            ended = try await PostgresTestServer.sql(
                                "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity "
                                    + "WHERE application_name = '\(name)' AND wait_event_type = 'Lock'",
                                configuration)
                        }
                        #expect(ended == ["true"])
                        let error = await #expect(throws: StoreError.self) { try await commit.value }
                        #expect(error?.code == .unavailable)
                        #expect(error?.message.english.contains("not applied") == true)
                        try await connection.query("ROLLBACK", logger: logger)
                    }
                    group.cancelAll()
                }
                #expect(try await store.record(for: key) == nil)
                #expect(try await writer.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist)) == 1)
                await writer.shutdown()
            }
        }

        @Test("reads after the store's server processes were ended from outside go to a live connection, not fail")
        func readsAfterConnectionsWereEnded() async throws {
            try await PostgresTestServer.withFreshStore { store, configuration in
                let key = RecordKey(collection: "a", id: "1")
                try await store.commit(.put(key, value: Data("x".utf8), expecting: .any))
                let name = "dapodik-ended-\(UUID().uuidString.prefix(8))"
                var tagged = configuration
                tagged.client.options.additionalStartupParameters = [("application_name", name)]
                let reader = try PostgresRecordStore(configuration: tagged)
                for round in 0..<20 {
                    // Several connections in the pool, then every idle one ended by the server (as an
                    // administrator's pg_terminate_backend or an idle timeout would), and read at once: the
                    // pool may still hand out a connection whose end it has not yet seen, or is seeing.
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 { group.addTask { _ = try await reader.record(for: key) } }
                        try await group.waitForAll()
                    }
                    let ended = try await PostgresTestServer.sql(
                        "SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity WHERE application_name = '\(name)' AND state = 'idle'",
                        configuration)
                    #expect(!ended.isEmpty, "round \(round): no connection of the reader was found")
                    #expect(try await reader.record(for: key)?.version == 1, "round \(round)")
                    #expect(try await reader.changes(after: 0).map(\.sequence) == [1], "round \(round)")
                }
                await reader.shutdown()
            }
        }

        @Test("with sslmode=require the connection is encrypted")
        func tls() async throws {
            _ = try PostgresTestServer.requireURL("DAPODIK_TEST_POSTGRES_TLS_URL")
            try await PostgresTestServer.withFreshStore(url: "DAPODIK_TEST_POSTGRES_TLS_URL") { store, configuration in
                try await store.commit(.put(RecordKey(collection: "a", id: "1"), value: Data(), expecting: .any))
                // pg_stat_ssl of the store's own connections: every one is encrypted.
                let name = "dapodik-tls-\(UUID().uuidString.prefix(8))"
                var tagged = configuration
                tagged.client.options.additionalStartupParameters = [("application_name", name)]
                let tlsStore = try PostgresRecordStore(configuration: tagged)
                #expect(try await tlsStore.record(for: RecordKey(collection: "a", id: "1"))?.version == 1)
                let encrypted = try await PostgresTestServer.sql(
                    "SELECT s.ssl::text FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                        + "WHERE a.application_name = '\(name)'", configuration)
                #expect(!encrypted.isEmpty)
                #expect(encrypted.allSatisfy { $0 == "true" })
                await tlsStore.shutdown()
            }
        }
    }

    /// `Python/cutting_proxy.py`, running: a proxy that loses the reply to the first commit, or with
    /// `blackHolingListen` the answers on the first connection that sends `LISTEN` (kept open).
    final class CuttingProxy: Sendable {
        private let server: PythonServer
        private let directory: TemporaryDirectory
        var port: Int { server.port }

        init(upstream: Int, blackHolingListen: Bool = false) throws {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("Python/cutting_proxy.py")
            directory = try TemporaryDirectory("cut")
            server = try PythonServer(
                script: script,
                arguments: [String(upstream), directory.file("cut"), blackHolingListen ? "listen" : "commit"])
        }

        /// Whether the proxy has cut a connection after a commit (or a `LISTEN`) went through it.
        var didCut: Bool { FileManager.default.fileExists(atPath: directory.file("cut")) }

        func stop() { server.stop() }
    }

    /// A TCP port on 127.0.0.1 that nothing listens on (bound and released).
    func freePort() throws -> Int {
        let socketDescriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketDescriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                bind(socketDescriptor, address, length) == 0 && getsockname(socketDescriptor, address, &length) == 0
            }
        }
        guard bound else { throw CocoaError(.fileWriteUnknown) }
        return Int(UInt16(bigEndian: address.sin_port))
    }
#endif
