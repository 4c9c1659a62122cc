#if PostgreSQL
    import DapodikLanguage
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import Foundation
    import PostgresNIO
    import Testing

    /// Connections the server or the TLS handshake refuses for good are said as refused, at once, not
    /// as "cannot be reached, try again later" after the operation's time.
    @Suite("PostgreSQL connections refused for good", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresConnectionRefusalTests {
        /// Opens a store on `url` and returns what its first operation failed with, checking that it
        /// came well before the operation's 30 seconds.
        private static func firstFailure(url: String, password: String? = nil) async throws -> StoreError? {
            var configuration = try PostgresRecordStore.Configuration(url: url, password: password)
            configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            configuration.operationTimeout = .seconds(30)
            // A loaded host may take more than the usual second to answer the probe.
            configuration.loginCheckPatience = .seconds(10)
            let store = try PostgresRecordStore(configuration: configuration)
            let started = ContinuousClock.now
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(ContinuousClock.now - started < .seconds(15), "said at once, not after the time limit")
            await store.shutdown()
            return error
        }

        @Test("a server certificate that sslmode=verify-full cannot trust is said as such (74), not as unreachable")
        func untrustedCertificate() async throws {
            let url = try PostgresTestServer.requireURL("DAPODIK_TEST_POSTGRES_TLS_URL")
                .replacingOccurrences(of: "sslmode=require", with: "sslmode=verify-full")
            let error = try await Self.firstFailure(url: url)
            #expect(error?.code == .databaseFailure, "\(String(describing: error))")
            #expect(error?.isTransient == false)
            let english = error?.message.english ?? ""
            #expect(english.contains("certificate is not trusted"), "\(english)")
            #expect(english.contains("CERTIFICATE_VERIFY_FAILED"), "\(english)")
            #expect(!english.contains(" at /"), "no source path of the TLS library: \(english)")
            #expect(error?.message.indonesian.contains("sertifikat server tidak dipercaya") == true)
            #expect(error?.message.indonesian.contains("not trusted") == false)
        }

        @Test("the same server with its certificate as sslrootcert is trusted, and the store works over TLS")
        func trustedCertificate() async throws {
            let certificate = try PostgresTestServer.requireSetting("DAPODIK_TEST_POSTGRES_CERTIFICATE")
            let url = try PostgresTestServer.requireURL("DAPODIK_TEST_POSTGRES_TLS_URL")
                .replacingOccurrences(of: "sslmode=require", with: "sslmode=verify-full&sslrootcert=\(certificate)")
            var configuration = try PostgresRecordStore.Configuration(url: url, password: nil)
            configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            configuration.operationTimeout = .seconds(30)
            let store = try PostgresRecordStore(configuration: configuration)
            do {
                #expect(try await store.migrate() == PostgresRecordStore.latestSchemaVersion)
                let key = RecordKey(collection: "a", id: "1")
                try await store.commit(.put(key, value: Data("x".utf8), expecting: .mustNotExist))
                #expect(try await store.record(for: key)?.value == Data("x".utf8))
            } catch {
                Issue.record(error)
            }
            _ = try? await PostgresTestServer.sql(
                "DROP SCHEMA IF EXISTS \"\(configuration.schema)\" CASCADE", configuration)
            await store.shutdown()
        }

        @Test("a login the server asks a password for is said as such when none was given, and as refused when wrong")
        func passwordRequired() async throws {
            let adminURL = try PostgresTestServer.requireURL()
            let group = try PostgresTestServer.requireSetting("DAPODIK_TEST_POSTGRES_PASSWORD_GROUP")
            let admin = try PostgresRecordStore.Configuration(url: adminURL, password: nil)
            let role = "password_check_\(UInt32.random(in: 0...UInt32.max))"
            let password = "Rahasia-\(UInt64.random(in: 0...UInt64.max))"
            let database = try #require(admin.client.database)
            try await PostgresTestServer.sql(
                "CREATE ROLE \(role) LOGIN PASSWORD '\(password)' IN ROLE \(group)", admin)
            try await PostgresTestServer.sql("GRANT CREATE ON DATABASE \"\(database)\" TO \(role)", admin)
            var url = try #require(URLComponents(string: adminURL))
            url.user = role
            let roleURL = try #require(url.string)
            do {
                let missing = try await Self.firstFailure(url: roleURL)
                #expect(missing?.code == .databaseFailure, "\(String(describing: missing))")
                #expect(missing?.isTransient == false)
                #expect(
                    missing?.message.english.contains("asks for a password") == true, "\(String(describing: missing))")
                #expect(missing?.message.indonesian.contains("meminta kata sandi") == true)

                let wrong = try await Self.firstFailure(url: roleURL, password: password + "x")
                #expect(wrong?.code == .databaseFailure, "\(String(describing: wrong))")
                #expect(wrong?.message.english.contains("was refused") == true, "\(String(describing: wrong))")
                #expect(wrong?.message.english.contains(password) == false)

                // The control: with its password the same role migrates.
                var configuration = try PostgresRecordStore.Configuration(url: roleURL, password: password)
                configuration.schema = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                configuration.operationTimeout = .seconds(30)
                let store = try PostgresRecordStore(configuration: configuration)
                #expect(try await store.migrate() == PostgresRecordStore.latestSchemaVersion)
                try await PostgresTestServer.sql("DROP SCHEMA \"\(configuration.schema)\" CASCADE", admin)
                await store.shutdown()
            } catch {
                Issue.record(error)
            }
            try await PostgresTestServer.sql("DROP OWNED BY \(role)", admin)
            try await PostgresTestServer.sql("DROP ROLE \(role)", admin)
        }

        @Test("an sslrootcert file that is missing or holds no PEM certificate is refused when the URL is read")
        func unusableRootCertificate() throws {
            let directory = FileManager.default.temporaryDirectory.appending(path: "pg-root-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let empty = directory.appending(path: "empty.pem").path
            let text = directory.appending(path: "text.pem").path
            try Data().write(to: URL(filePath: empty))
            try Data("not a certificate\n".utf8).write(to: URL(filePath: text))
            for (path, words) in [
                (directory.appending(path: "missing.pem").path, "does not exist"),
                (empty, "holds no PEM certificate"), (text, "holds no PEM certificate"),
            ] {
                let error = #expect(throws: StoreError.self) {
                    try PostgresRecordStore.Configuration(
                        url: "postgres://dapodik@127.0.0.1/db?sslmode=verify-full&sslrootcert=\(path)", password: nil)
                }
                #expect(error?.code == .invalidInput, "\(path)")
                #expect(error?.message.english.contains(words) == true, "\(String(describing: error))")
                #expect(error?.message.english.contains(path) == true)
            }
        }
    }
#endif
