#if PostgreSQL
    import DapodikStorage
    import DapodikLanguage
    import Logging
    import NIOSSL
    import PostgresNIO

    /// One connection made directly, not through the pool, to tell a refused login from a database out
    /// of reach. The pool retries a refused login (a wrong password, an unknown user or database) until
    /// the operation's time runs out, and that reads as "cannot be reached, try again later"; the
    /// server's own answer says what to fix.
    struct LoginProbe: Sendable {
        var host: String?
        var port: Int
        var unixSocketPath: String?
        var username: String
        var password: String?
        var database: String?
        var tlsMode: String
        var rootCertificate: String?

        /// Whether `client` still names the server, user and database this probe was made for (a
        /// caller may have changed the configuration's `client` since).
        func matches(_ client: PostgresClient.Configuration) -> Bool {
            client.host == host && client.unixSocketPath == unixSocketPath && client.username == username
                && client.database == database && (client.port == port || unixSocketPath != nil)
        }

        /// Connects once and closes again.
        /// - Returns: The store's error for a login the server refused (not transient: retrying does not
        ///   help); `nil` when the login worked or the server could not be reached (the caller's own
        ///   operation reports that).
        func refusal(logger: Logger) async -> StoreError? {
            let configuration: PostgresConnection.Configuration
            do {
                configuration = try connectionConfiguration()
            } catch {
                return nil
            }
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return nil
            } catch let error as PSQLError {
                guard error.code == .server, let state = error.serverInfo?[.sqlState] else { return nil }
                let message = error.serverInfo?[.message] ?? ""
                switch state {
                case "28P01", "28000":
                    return .databaseFailure(
                        LocalizedText(
                            indonesian: "login sebagai \(username) ditolak, periksa pengguna dan PGPASSWORD (SQLSTATE "
                                + "\(state): \(message))",
                            english: "the login as \(username) was refused, check the user and PGPASSWORD (SQLSTATE "
                                + "\(state): \(message))"))
                case "3D000":
                    return .databaseFailure(
                        LocalizedText(
                            indonesian: "basis data tidak ada (SQLSTATE \(state): \(message))",
                            english: "the database does not exist (SQLSTATE \(state): \(message))"))
                default:
                    return nil
                }
            } catch {
                return nil
            }
        }

        private func connectionConfiguration() throws -> PostgresConnection.Configuration {
            if let unixSocketPath {
                return PostgresConnection.Configuration(
                    unixSocketPath: unixSocketPath, username: username, password: password, database: database)
            }
            let mode: PostgresConnection.Configuration.TLS =
                switch try TLSChoice(mode: tlsMode, rootCertificate: rootCertificate) {
                case .disable: .disable
                case .prefer(let tls): .prefer(try NIOSSLContext(configuration: tls))
                case .require(let tls): .require(try NIOSSLContext(configuration: tls))
                }
            var configuration = PostgresConnection.Configuration(
                host: host ?? "localhost", port: port, username: username, password: password, database: database,
                tls: mode)
            configuration.options.connectTimeout = .seconds(5)
            return configuration
        }
    }
#endif
