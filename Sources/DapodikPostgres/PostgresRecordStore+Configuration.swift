#if PostgreSQL
    import DapodikLanguage
    public import DapodikStorage
    public import PostgresNIO
    import NIOSSL

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    /// What a URL's `sslmode` asks for, as libpq reads it: `disable`, `prefer` (the default) and
    /// `require` encrypt without checking the certificate (`prefer` falls back to no encryption);
    /// `verify-full` checks it against the system's roots or `sslrootcert`.
    enum TLSChoice {
        case disable
        case prefer(TLSConfiguration)
        case require(TLSConfiguration)

        init(mode: String, rootCertificate: String?) throws(StoreError) {
            var tls = TLSConfiguration.makeClientConfiguration()
            switch mode {
            case "disable":
                self = .disable
            case "prefer":
                tls.certificateVerification = .none
                self = .prefer(tls)
            case "require":
                tls.certificateVerification = .none
                self = .require(tls)
            case "verify-full":
                if let rootCertificate { tls.trustRoots = .certificates(try Self.certificates(at: rootCertificate)) }
                self = .require(tls)
            default:
                throw .invalidInput(
                    "sslmode \(mode) tidak dikenal (disable, prefer, require, verify-full).",
                    "Unknown sslmode \(mode) (disable, prefer, require, verify-full).")
            }
        }

        /// The certificates of the PEM file `sslrootcert` names, read now: a file that is missing or
        /// holds no certificate is refused at once, not found out at the first connection (where it
        /// would read as a server out of reach).
        private static func certificates(at path: String) throws(StoreError) -> [NIOSSLCertificate] {
            guard FileManager.default.fileExists(atPath: path) else {
                throw .invalidInput(
                    "Berkas sslrootcert tidak ada: \(path).", "The sslrootcert file does not exist: \(path).")
            }
            guard let certificates = try? NIOSSLCertificate.fromPEMFile(path), !certificates.isEmpty else {
                throw .invalidInput(
                    "Berkas sslrootcert \(path) tidak dapat dibaca atau tidak berisi sertifikat PEM.",
                    "The sslrootcert file \(path) cannot be read or holds no PEM certificate.")
            }
            return certificates
        }
    }

    extension PostgresRecordStore {
        /// Where the store's database is and how to reach it.
        public struct Configuration: Sendable {
            /// The connection settings of postgres-nio's `PostgresClient` (host or socket, user,
            /// password, database, TLS, pool size).
            public var client: PostgresClient.Configuration
            /// The schema holding the store's tables: letters, digits and `_`, at most 63 bytes, not
            /// starting with a digit. Several stores can share a database under different schemas.
            public var schema: String
            /// How long one operation (waiting for a connection included) may take before it fails
            /// as ``DapodikStorage/StoreError/Code-swift.struct/unavailable`` (or, for a commit already
            /// sent, is settled as described in ``PostgresRecordStore/commit(_:)``).
            public var operationTimeout: Duration
            /// Whether the store keeps one pooled connection listening on the schema's notification
            /// channel (`LISTEN`), so ``PostgresRecordStore/waitForChanges(in:since:atMost:)`` returns
            /// as soon as any process commits. Default on. Turn it off where `LISTEN` cannot work
            /// (behind a pooler in transaction mode, such as PgBouncer's `pool_mode = transaction`):
            /// waits then last their full bound (a poll). Commits notify either way.
            public var listensForChanges: Bool
            /// The parts ``init(url:password:)`` read, for ``PostgresRecordStore/migrate()``'s direct
            /// first connection (``LoginProbe``); `nil` for a configuration made from a client's settings.
            var loginProbe: LoginProbe?
            /// How long a failed operation waits for the probe's answer (``LoginRefusalCheck``): one
            /// second; the tests of a loaded host give it longer.
            package var loginCheckPatience = LoginRefusalCheck.defaultPatience

            /// Creates a configuration.
            /// - Parameters:
            ///   - client: The connection settings.
            ///   - schema: The schema holding the store's tables.
            ///   - operationTimeout: The longest one operation may take.
            ///   - listensForChanges: Whether waits for changes are woken by `NOTIFY`.
            public init(
                client: PostgresClient.Configuration, schema: String = "dapodik",
                operationTimeout: Duration = .seconds(10), listensForChanges: Bool = true
            ) {
                self.client = client
                self.schema = schema
                self.operationTimeout = operationTimeout
                self.listensForChanges = listensForChanges
            }

            /// The query items ``init(url:password:)`` reads; any other is refused.
            static let queryItemNames: Set<String> = ["sslmode", "sslrootcert", "host", "schema"]

            /// Reads a `postgres://user@host:port/database` URL, the way libpq does for the parts it has.
            ///
            /// Query items: `sslmode` (`disable`, `prefer` (the default), `require`: encrypted without
            /// checking the certificate, `verify-full`: encrypted and checked against the system's roots
            /// or `sslrootcert`), `host` (a directory holding the server's Unix socket; the host part may
            /// also name it, percent-encoded: `postgres://user@%2Fvar%2Frun%2Fpostgresql/db`), `schema`.
            /// - Parameters:
            ///   - url: The URL. It must not hold a password: secrets never go on a command line.
            ///   - password: The password, from `PGPASSWORD` or a file; `nil` for none.
            /// - Throws: ``DapodikStorage/StoreError`` `invalidInput` for a URL that is not
            ///   `postgres://` or `postgresql://`, holds a password (`user:password@` or `?password=`), has
            ///   an unknown `sslmode`, an unknown or repeated query item, a port out of range, a line break
            ///   or NUL, a user or database name over 63 bytes, or an `sslrootcert` file that is missing or
            ///   holds no PEM certificate.
            public init(url: String, password: String?) throws(StoreError) {
                guard let components = URLComponents(string: url),
                    components.scheme == "postgres" || components.scheme == "postgresql"
                else {
                    throw .invalidInput(
                        "URL PostgreSQL harus berbentuk postgres://pengguna@host:port/basisdata.",
                        "A PostgreSQL URL has the form postgres://user@host:port/database.")
                }
                guard components.password == nil,
                    !(components.queryItems ?? []).contains(where: { $0.name == "password" })
                else {
                    throw .invalidInput(
                        "Jangan menaruh kata sandi di URL; pakai PGPASSWORD atau berkas kata sandi.",
                        "Do not put the password in the URL; use PGPASSWORD or a password file.")
                }
                // A misspelt or repeated parameter would be ignored, or one of two values silently taken:
                // `sslmod=require` would connect without the encryption it asks for.
                let names = (components.queryItems ?? []).map(\.name)
                if let unknown = names.first(where: { !Self.queryItemNames.contains($0) }) {
                    throw .invalidInput(
                        "Parameter URL PostgreSQL tidak dikenal: \(unknown) (yang dikenal: "
                            + "\(Self.queryItemNames.sorted().joined(separator: ", "))).",
                        "Unknown PostgreSQL URL parameter: \(unknown) (known: "
                            + "\(Self.queryItemNames.sorted().joined(separator: ", "))).")
                }
                if let repeated = names.first(where: { name in names.count { $0 == name } > 1 }) {
                    throw .invalidInput(
                        "Parameter URL PostgreSQL \(repeated) disebut lebih dari sekali.",
                        "The PostgreSQL URL parameter \(repeated) is given more than once.")
                }
                let items = Dictionary(
                    (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { $1 })
                let username = components.user ?? "postgres"
                var database = components.path
                if database.hasPrefix("/") { database.removeFirst() }
                let port = components.port ?? 5432
                // What no server can accept is refused here, at once, not retried until the time runs out.
                guard (1...65535).contains(port) else {
                    throw .invalidInput(
                        "Port \(port) pada URL PostgreSQL tidak sah (1–65535).",
                        "The port \(port) of the PostgreSQL URL is not valid (1–65535).")
                }
                let decodedParts = [username, database, components.host?.removingPercentEncodingIfValid ?? ""]
                guard !decodedParts.contains(where: { $0.contains(where: { $0.isNewline || $0 == "\0" }) }) else {
                    throw .invalidInput(
                        "URL PostgreSQL berisi baris baru atau NUL.", "The PostgreSQL URL holds a line break or a NUL.")
                }
                guard username.utf8.count <= 63, database.utf8.count <= 63 else {
                    throw .invalidInput(
                        "Nama pengguna atau basis data pada URL PostgreSQL lebih dari 63 byte.",
                        "The user or database name of the PostgreSQL URL is longer than 63 bytes.")
                }
                let tls = try Self.tls(mode: items["sslmode"] ?? "prefer", rootCertificate: items["sslrootcert"])
                var client: PostgresClient.Configuration
                // libpq's forms of a Unix socket: `?host=/dir`, or the directory percent-encoded as the host.
                let decodedHost = components.host?.removingPercentEncodingIfValid
                if let directory = items["host"] ?? decodedHost, directory.hasPrefix("/") {
                    client = PostgresClient.Configuration(
                        unixSocketPath: "\(directory)/.s.PGSQL.\(port)", username: username, password: password,
                        database: database.isEmpty ? nil : database)
                } else {
                    client = PostgresClient.Configuration(
                        host: components.host ?? "localhost", port: port, username: username, password: password,
                        database: database.isEmpty ? nil : database, tls: tls)
                }
                client.options.connectTimeout = .seconds(5)
                self.init(client: client, schema: items["schema"] ?? "dapodik")
                loginProbe = LoginProbe(
                    host: client.host, port: port, unixSocketPath: client.unixSocketPath, username: username,
                    password: password, database: database.isEmpty ? nil : database,
                    tlsMode: items["sslmode"] ?? "prefer",
                    rootCertificate: items["sslrootcert"])
            }

            private static func tls(mode: String, rootCertificate: String?) throws(StoreError)
                -> PostgresClient.Configuration.TLS
            {
                switch try TLSChoice(mode: mode, rootCertificate: rootCertificate) {
                case .disable: .disable
                case .prefer(let tls): .prefer(tls)
                case .require(let tls): .require(tls)
                }
            }
        }
    }
#endif
