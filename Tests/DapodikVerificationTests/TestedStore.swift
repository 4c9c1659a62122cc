import DapodikVerification
import Testing

#if PostgreSQL
    import DapodikPostgresTestSupport
#endif

/// The stores a suite runs against that must hold on PostgreSQL too: both of ``StoreKind``, and in a
/// build with the `PostgreSQL` trait a fresh schema of the test server when one is configured, or
/// under `CI=true`, where a missing server fails (`.ci/run` runs these suites with `.ci/with-postgres`).
enum TestedStore: Sendable, CustomTestStringConvertible {
    case local(StoreKind)
    #if PostgreSQL
        case postgres
    #endif

    /// Every store to run against in this build.
    static var all: [TestedStore] {
        var all = StoreKind.allCases.map(TestedStore.local)
        #if PostgreSQL
            if PostgresTestServer.url != nil || PostgresTestServer.isCI { all.append(.postgres) }
        #endif
        return all
    }

    var testDescription: String {
        switch self {
        case .local(let kind): kind.testDescription
        #if PostgreSQL
            case .postgres: "postgres"
        #endif
        }
    }
}

extension Harness {
    /// Runs `body` with a harness over a fresh store of `kind`; a PostgreSQL schema is dropped and its
    /// store shut down afterwards, however `body` ends.
    static func with<Result>(_ kind: TestedStore, _ body: (Harness) async throws -> Result) async throws -> Result {
        switch kind {
        case .local(let kind):
            return try await body(try Harness.make(kind))
        #if PostgreSQL
            case .postgres:
                return try await PostgresTestServer.withFreshStore { store, _ in
                    try await body(try Harness.make(over: store))
                }
        #endif
        }
    }
}
