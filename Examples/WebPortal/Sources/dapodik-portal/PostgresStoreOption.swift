import DapodikVerification
import WebPortalCore

#if PostgreSQL
    import DapodikPostgres
#endif

/// The PostgreSQL store `--store postgres://user@host:port/db` names, its schema brought up to date, or
/// a typed refusal: a database or schema that holds no store (for real use the portal creates none: a
/// mistyped `?schema=` would otherwise start an empty portal), or a portal built without its
/// `PostgreSQL` trait (the default).
///
/// The demo (`demo`) creates a missing schema, as it creates its data directory, and refuses a schema of
/// an earlier version rather than upgrade what may be real data; which stores it may then use (an empty
/// one, or one it made) is decided by `PortalDataDirectory.openService`, as for any store given to it.
///
/// The password comes from `PGPASSWORD` (never the command line: other users see it in the
/// process list).
func postgresStore(url: String, demo: Bool, environment: [String: String]) async throws -> any RecordStore {
    #if PostgreSQL
        let configuration = try PostgresRecordStore.Configuration(url: url, password: environment["PGPASSWORD"])
        let store = try PostgresRecordStore(configuration: configuration)
        do {
            let installed = try await store.installedSchemaVersion()
            guard installed != nil || demo else { throw PortalSetupError.noSchema(configuration.schema) }
            // The demo creates a schema, never upgrades one: that could be real data, which it refuses
            // only once it can read the records (PortalDataDirectory.openService).
            if demo, let installed, installed != PostgresRecordStore.latestSchemaVersion {
                throw PortalSetupError.demoOverOlderSchema(configuration.schema)
            }
            if installed != PostgresRecordStore.latestSchemaVersion { _ = try await store.migrate() }
        } catch {
            await store.shutdown()
            throw error
        }
        return store
    #else
        throw PostgreSQLNotBuilt()
    #endif
}

/// `--store` was given to a portal built without the `PostgreSQL` trait.
struct PostgreSQLNotBuilt: LocalizedFailure {
    var message: LocalizedText {
        LocalizedText(
            indonesian: "Portal ini dibangun tanpa PostgreSQL; bangun ulang dengan `swift build --traits PostgreSQL`.",
            english: "This portal was built without PostgreSQL; build it again with `swift build --traits PostgreSQL`.")
    }
}
