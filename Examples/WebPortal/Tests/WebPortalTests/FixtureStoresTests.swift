#if PostgreSQL
    import DapodikVerification
    import Foundation
    import Testing

    /// The fixtures' PostgreSQL stores are shut down when their test ends (``FixtureStores``), not kept
    /// open, with their connections, until the test process ends.
    @Suite(
        "A portal fixture's PostgreSQL store is closed when its test ends",
        .enabled(
            if: ProcessInfo.processInfo.environment[PortalFixture.postgresURLVariable] != nil
                || ProcessInfo.processInfo.environment["CI"] == "true",
            "needs a PostgreSQL server in \(PortalFixture.postgresURLVariable) (.ci/webportal-postgres sets it)"))
    struct FixtureStoresTests {
        @Test("after the scope the store refuses every call: its connections are closed")
        func storeClosedAfterTheScope() async throws {
            try #require(
                ProcessInfo.processInfo.environment[PortalFixture.postgresURLVariable] != nil,
                "\(PortalFixture.postgresURLVariable) is not set")
            let key = RecordKey(collection: "school", id: "20100101")
            let store = try await FixtureStores.scope {
                let fixture = try await PortalFixture.make()
                #expect(try await fixture.service.configuration.store.record(for: key) != nil)
                return fixture.service.configuration.store
            }
            await #expect(throws: StoreError.self) { try await store.record(for: key) }
        }
    }
#endif
