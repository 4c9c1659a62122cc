#if PostgreSQL
    import DapodikPostgres
    import DapodikPostgresTestSupport
    import DapodikStorage
    import DapodikStorageContract
    import Testing

    /// The shipped store contract, run against a real PostgreSQL server.
    @Suite("PostgreSQL store contract", PostgresTestServer.available, .timeLimit(.minutes(10)))
    struct PostgresContractTests {
        @Test(
            "the PostgreSQL store keeps the contract",
            arguments: RecordStoreContract.checks + RecordStoreContract.compactionChecks)
        func contract(check: RecordStoreContract.Check) async throws {
            try await PostgresTestServer.withFreshStore { store, _ in
                try await check.run(
                    on: RecordStoreContractSubject(store: store, compact: { try await store.compact() }))
            }
        }
    }
#endif
