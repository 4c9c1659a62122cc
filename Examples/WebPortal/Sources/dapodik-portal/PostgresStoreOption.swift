import DapodikVerification

#if PostgreSQL
    import DapodikPostgres
#endif

/// The PostgreSQL store `--store postgres://user@host:port/db` names, its schema migrated, or a typed
/// refusal when the portal was built without its `PostgreSQL` trait (the default).
///
/// The password comes from `PGPASSWORD` (never the command line: other users see it in the
/// process list).
func postgresStore(url: String, environment: [String: String]) async throws -> any RecordStore {
    #if PostgreSQL
        let store = try PostgresRecordStore(
            configuration: try PostgresRecordStore.Configuration(url: url, password: environment["PGPASSWORD"]))
        _ = try await store.migrate()
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
