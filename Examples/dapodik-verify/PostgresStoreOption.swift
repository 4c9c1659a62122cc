import DapodikVerification
import Foundation

#if PostgreSQL
    import DapodikPostgres
#endif

/// `--store postgres://user@host:port/database`: keep the records in PostgreSQL instead of the data
/// directory's file store, built only with the package trait `PostgreSQL`. The data directory still
/// holds the code keys and the Maildir. The password never comes from the command line (other users
/// see it in the process list): it is read from `PGPASSWORD`, or from the file named by
/// `DAPODIK_PGPASSWORD_FILE`. The schema is migrated on every start (idempotent).
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
    /// - Throws: ``CLIError``: usage for a URL that is not `postgres://` or holds a password, or a build
    ///   without the trait; an I/O error (status 74) when the database cannot be reached or migrated.
    static func store(url: String?, environment: [String: String]) async throws(CLIError) -> (any RecordStore)? {
        guard let url else { return nil }
        #if PostgreSQL
            var password = environment[passwordVariable]
            if password == nil, let path = environment[passwordFileVariable] {
                password = try SecretFile.read(path, named: passwordFileVariable).trimmingCharacters(in: .newlines)
            }
            let store: PostgresRecordStore
            do {
                store = try PostgresRecordStore(
                    configuration: try PostgresRecordStore.Configuration(url: url, password: password))
            } catch {
                throw CLIError.usage(
                    .invalidValue, indonesian: error.message.indonesian, english: error.message.english)
            }
            do {
                _ = try await store.migrate()
            } catch {
                let reason = (error as? StoreError).map { ($0.message.indonesian, $0.message.english) }
                throw CLIError(
                    .dataDirectory, status: .ioError,
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
