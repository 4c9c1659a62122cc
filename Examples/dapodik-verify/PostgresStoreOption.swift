import DapodikVerification
import Foundation

#if PostgreSQL
    import DapodikPostgres
#endif

/// `--store postgres://user@host:port/database`: keep the records in PostgreSQL instead of the data
/// directory's file store, built only with the package trait `PostgreSQL`. The data directory still
/// holds the code keys and the Maildir. The password never comes from the command line (other users
/// see it in the process list): it is read from `PGPASSWORD`, or from the file named by
/// `DAPODIK_PGPASSWORD_FILE`. `school create` makes the schema; every other command refuses a schema
/// that is not there, and brings an older one up to date (a current one is only read).
enum PostgresStoreOption {
    static let passwordVariable = "PGPASSWORD"
    static let passwordFileVariable = "DAPODIK_PGPASSWORD_FILE"

    /// The global option itself (listed in ``GlobalOptions/all``).
    static let url = Option<String>(
        "store", "url",
        "Simpan data di PostgreSQL: postgres://pengguna@host:5432/basisdata (kata sandi dari $PGPASSWORD "
            + "atau berkas $DAPODIK_PGPASSWORD_FILE).",
        "Keep the records in PostgreSQL: postgres://user@host:5432/database (password from $PGPASSWORD "
            + "or the file $DAPODIK_PGPASSWORD_FILE).")

    /// The PostgreSQL store `--store` asks for, migrated and ready, or `nil` without the option.
    /// - Parameters:
    ///   - url: The option's value.
    ///   - environment: Where the password comes from.
    ///   - creating: Whether this command sets up a store (`school create`): only then is a schema that
    ///     is not in the database created. Every other command refuses it (status 66), as it refuses a
    ///     data directory without a store, so that a mistyped database or `?schema=` creates nothing.
    /// - Throws: ``CLIError``: 65 for a URL that is not `postgres://` or holds a password; 64 in a build
    ///   without the trait; 66 for a schema or an `sslrootcert` file that is not there; 75 when the
    ///   database cannot be reached (try again later); 74 when it refuses the request, the login or
    ///   the TLS handshake.
    static func store(
        url: String?, environment: [String: String], creating: Bool = false
    ) async throws(CLIError) -> (any RecordStore)? {
        guard let url else { return nil }
        #if PostgreSQL
            var password = environment[passwordVariable]
            if password == nil, let path = environment[passwordFileVariable] {
                password = try SecretFile.read(path, named: passwordFileVariable).trimmingCharacters(in: .newlines)
            }
            // A CA file verify-full would read that is missing or unreadable is said as such (66, 74)
            // before the URL is read.
            let items = URLComponents(string: url)?.queryItems ?? []
            if items.contains(where: { $0.name == "sslmode" && $0.value == "verify-full" }),
                let path = items.first(where: { $0.name == "sslrootcert" })?.value
            {
                _ = try SecretFile.readCertificates(path, named: "sslrootcert")
            }
            let configuration: PostgresRecordStore.Configuration
            let store: PostgresRecordStore
            do {
                configuration = try PostgresRecordStore.Configuration(url: url, password: password)
                store = try PostgresRecordStore(configuration: configuration)
            } catch {
                throw CLIError.invalidValue(indonesian: error.message.indonesian, english: error.message.english)
            }
            do {
                // One read of the installed version decides: refuse, leave a current schema alone, or migrate.
                let installed = try await store.installedSchemaVersion()
                if !creating, installed == nil {
                    await store.shutdown()
                    throw missingSchema(configuration.schema, url: url)
                }
                if installed != PostgresRecordStore.latestSchemaVersion { _ = try await store.migrate() }
            } catch let error as CLIError {
                throw error
            } catch {
                await store.shutdown()
                let failure = error as? StoreError
                let reason = failure.map { ($0.message.indonesian, $0.message.english) }
                throw CLIError(
                    CLIError.Code(failure?.code.rawValue ?? "store.databaseFailure"),
                    status: failure?.isTransient == true ? .temporaryFailure : .ioError,
                    indonesian: "Basis data PostgreSQL tidak dapat dipakai: \(reason?.0 ?? "\(error)")",
                    english: "Cannot use the PostgreSQL database: \(reason?.1 ?? "\(error)")")
            }
            return store
        #else
            throw CLIError.usage(
                .invalidValue,
                indonesian:
                    "Program ini dibangun tanpa PostgreSQL; bangun dengan `swift build --traits PostgreSQL` untuk --store.",
                english:
                    "This program was built without PostgreSQL; build it with `swift build --traits PostgreSQL` for --store."
            )
        #endif
    }

    #if PostgreSQL
        /// The refusal of a database or schema that holds no store, for every command but `school create`.
        static func missingSchema(_ schema: String, url: String) -> CLIError {
            CLIError(
                CLIError.Code("store.missing"), status: .noInput,
                indonesian: "Tidak ada penyimpanan data di skema \(schema) pada \(url); tidak ada yang dibuat. Periksa "
                    + "--store (nama basis data dan ?schema=); penyimpanan baru dibuat oleh 'dapodik-verify school create'.",
                english: "There is no store in schema \(schema) at \(url); nothing was created. Check --store (the "
                    + "database name and ?schema=); a new store is made by 'dapodik-verify school create'.")
        }
    #endif

    /// Summarizes the change feed of the PostgreSQL store `url` names (`store compact --store …`).
    /// - Throws: ``CLIError`` as ``store(url:environment:)`` does; the store's error when compaction fails.
    static func compact(url: String, environment: [String: String]) async throws {
        #if PostgreSQL
            guard let store = try await store(url: url, environment: environment) as? PostgresRecordStore else {
                return
            }
            do {
                try await store.compact()
            } catch {
                await store.shutdown()
                throw error
            }
            await store.shutdown()
        #else
            _ = try await store(url: url, environment: environment)
        #endif
    }
}

extension Invocation {
    /// Whether `--store` keeps the records in PostgreSQL: the data directory then holds only the code
    /// keys and the Maildir, and the commands on the file store's files do not apply.
    var recordsInDatabase: Bool {
        // The option takes any text as given, so reading it cannot fail.
        (try? value(PostgresStoreOption.url)) != nil
    }
}
