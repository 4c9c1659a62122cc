#if PostgreSQL
    import DapodikHostSystem
    import DapodikLanguage
    import DapodikStorage
    import Logging
    import NIOSSL
    import PostgresNIO

    /// One connection made directly, not through the pool, to tell a refused connection from a database
    /// out of reach. The pool retries a refused login (a wrong password, an unknown user or database, a
    /// password the server asks for and no one gave) and a refused TLS handshake (an untrusted
    /// certificate, a server without TLS) until the operation's time runs out, and that reads as "cannot
    /// be reached, try again later"; the probe's own failure says what to fix.
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
        /// - Returns: The store's error for a connection refused for good (not transient: retrying does
        ///   not help): a login the server refused, a TLS handshake that failed, a certificate file that
        ///   cannot be read; `nil` when the login worked or the server could not be reached (the
        ///   caller's own operation reports that).
        func refusal(logger: Logger) async -> StoreError? {
            let configuration: PostgresConnection.Configuration
            do {
                configuration = try connectionConfiguration()
            } catch let error as StoreError {
                return error  // The sslrootcert file, read again, is no longer usable: said as it is.
            } catch {
                return .invalidInput(
                    "Pengaturan TLS tidak dapat dipakai: \(TLSFailureText.cleaned("\(error)")).",
                    "The TLS settings cannot be used: \(TLSFailureText.cleaned("\(error)")).")
            }
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                try? await connection.close()
                return nil
            } catch let error as PSQLError {
                if let refusal = handshakeRefusal(error) { return refusal }
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

        /// The refusal in a failure before the login's answer: TLS that failed or that the server does not
        /// offer, or a way of logging in this client cannot follow; `nil` for any other failure.
        private func handshakeRefusal(_ error: PSQLError) -> StoreError? {
            switch error.code {
            case .sslUnsupported:
                return .databaseFailure(
                    LocalizedText(
                        indonesian: "server tidak menawarkan TLS, padahal sslmode=\(tlsMode) memintanya",
                        english: "the server does not offer TLS, which sslmode=\(tlsMode) asks for"))
            case .authMechanismRequiresPassword:
                return .databaseFailure(
                    LocalizedText(
                        indonesian: "server meminta kata sandi untuk \(username), tetapi tidak ada yang diberikan "
                            + "(PGPASSWORD)",
                        english: "the server asks for a password for \(username), and none was given (PGPASSWORD)"))
            case .unsupportedAuthMechanism:
                return .databaseFailure(
                    LocalizedText(
                        indonesian: "server meminta cara login untuk \(username) yang tidak didukung program ini "
                            + "(pakai kata sandi: scram-sha-256 atau md5)",
                        english: "the server asks for a way of logging in as \(username) this program does not "
                            + "support (use a password: scram-sha-256 or md5)"))
            default:
                break
            }
            // Only what retrying cannot mend: a connection that ends mid-handshake (a proxy's failover,
            // a network drop) is out of reach for now, as is any other TLS failure.
            guard let underlying = error.underlying,
                underlying is NIOSSLError || underlying is NIOSSLExtraError || underlying is BoringSSLError
            else { return nil }
            let reason = TLSFailureText.cleaned("\(underlying)")
            guard TLSFailureText.isCertificateRefusal(reason) else {
                guard TLSFailureText.isProtocolMismatch(reason) else { return nil }
                return .databaseFailure(
                    LocalizedText(
                        indonesian: "TLS dengan server tidak dapat disepakati: versi atau sandi TLS tidak cocok "
                            + "(\(reason))",
                        english: "no TLS could be agreed with the server: the TLS versions or ciphers do not match "
                            + "(\(reason))"))
            }
            return .databaseFailure(
                LocalizedText(
                    indonesian: "sertifikat server tidak dipercaya atau bukan untuk \(host ?? "localhost"); periksa "
                        + "sslrootcert (\(reason))",
                    english: "the server's certificate is not trusted or not for \(host ?? "localhost"); check "
                        + "sslrootcert (\(reason))"))
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
