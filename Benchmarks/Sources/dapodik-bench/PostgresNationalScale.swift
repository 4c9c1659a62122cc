import BenchmarkHarness
import BenchmarkReport
import DapodikPostgres
import DapodikStorage
import Foundation
import PostgresNIO

/// Scenario 3 on PostgreSQL (`--store postgres --url U`): the same accounts as ``NationalScale``, in
/// the schema `bench_national`, dropped and created afresh by every `scale-load`.
///
/// - `scale-load` commits the accounts through ``PostgresRecordStore``'s only write path, `commit`,
///   `--batch` (5,000) per commit, then runs `VACUUM (ANALYZE)` (timed apart, as an operator does
///   after a bulk load) and measures the storage: `pg_total_relation_size` of each table (heap,
///   TOAST and indexes).
/// - `scale-open` in a fresh process: with `--pgdata DIR`, the cluster's files are evicted from the
///   page cache first (`Benchmarks/run` restarts the server before, so its shared buffers are empty);
///   "open" is a new store's pool connecting, `migrate()` finding the schema current, and the first
///   lookup by key. Then the random lookups: by key, by unique e-mail, the accounts of a school.
struct PostgresNationalScale {
    static let schema = "bench_national"
    static let subject = "PostgresRecordStore (synchronous_commit=on)"
    var url: String
    var accounts: Int
    var lookups: Int
    var batch: Int
    var phase: String
    var dataDirectory: String?

    init(arguments: Arguments) throws {
        url = try arguments.string("url")
        accounts = try arguments.integer("accounts", default: 3_500_000)
        lookups = try arguments.integer("lookups", default: 100_000)
        batch = try arguments.integer("batch", default: 5000)
        phase = try arguments.string("phase", default: "after bulk load")
        dataDirectory = try? arguments.string("pgdata")
    }

    func run(_ command: String) async throws {
        switch command {
        case "scale-load": try await load()
        case "scale-open": try await openAndLookUp()
        default: throw UsageError("\(command) has no PostgreSQL variant (compaction after a bulk load deletes nothing)")
        }
    }

    private var configuration: PostgresRecordStore.Configuration {
        get throws {
            var configuration = try PostgresRecordStore.Configuration(
                url: url, password: ProcessInfo.processInfo.environment["PGPASSWORD"])
            configuration.schema = Self.schema
            // A 5,000-record commit is one statement of several megabytes: allow it more than the
            // 10 s an interactive operation gets.
            configuration.operationTimeout = .seconds(120)
            return configuration
        }
    }

    private func load() async throws {
        let configuration = try configuration
        _ = try await Self.withClient(configuration) { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(Self.schema) CASCADE"))
        }
        let clock = ContinuousClock()
        let start = clock.now
        let store = try PostgresRecordStore(configuration: configuration)
        try await store.migrate()
        var next = 0
        while next < accounts {
            let end = min(next + batch, accounts)
            _ = try await store.commit(
                (next..<end).map { n in
                    .put(
                        RecordKey(collection: "account", id: Payloads.accountID(n)),
                        value: Data(Payloads.account(n, version: 1)), indexes: accountIndexes(n),
                        expecting: .mustNotExist)
                })
            next = end
        }
        let elapsed = (clock.now - start).seconds
        await store.shutdown()
        let vacuumStart = clock.now
        let sizes = try await Self.withClient(configuration) { client in
            for table in ["records", "unique_entries", "entries", "commits", "changes"] {
                try await client.query(PostgresQuery(unsafeSQL: "VACUUM (ANALYZE) \(Self.schema).\(table)"))
            }
            return try await Self.tableSizes(client)
        }
        let vacuum = (clock.now - vacuumStart).seconds
        var figures: [String: Double] = [
            "accounts": Double(accounts), "seconds": elapsed, "recordsPerSecond": Double(accounts) / elapsed,
            "vacuumAnalyzeSeconds": vacuum, "loaderVmHWMMiB": ProcessMemory.current().highWaterMiB,
            "averageValueBytes": Double(Payloads.account(accounts / 2, version: 1).count),
            "diskMiB": sizes.values.reduce(0) { $0 + $1.total } / 1_048_576,
        ]
        for (table, size) in sizes {
            figures["\(table).totalMiB"] = size.total / 1_048_576
            figures["\(table).indexesMiB"] = size.indexes / 1_048_576
        }
        BenchmarkResult(
            scenario: "scale.load", variant: "\(accounts) accounts, \(batch) per commit", subject: Self.subject,
            round: 1, figures: figures,
            notes: [
                "diskMiB": "sum of pg_total_relation_size (heap, TOAST, indexes) over the schema's tables "
                    + "after VACUUM (ANALYZE); WAL not counted"
            ]
        ).emit()
    }

    private func openAndLookUp() async throws {
        let eviction = dataDirectory.map { PageCache.evict(directory: $0) }
        let configuration = try configuration
        let clock = ContinuousClock()
        let start = clock.now
        let store = try PostgresRecordStore(configuration: configuration)
        try await store.migrate()
        guard try await store.record(for: RecordKey(collection: "account", id: Payloads.accountID(0))) != nil else {
            throw ClientFailure(description: "account 0 not found: run scale-load first")
        }
        let openTime = (clock.now - start).seconds
        var figures = ["seconds": openTime]
        var notes = ["open": "new pool connects, migrate() finds the schema current, first lookup by key"]
        if let eviction, let dataDirectory {
            figures["pageCacheResidentPercentBeforeOpen"] = eviction.residentPercentAfter
            figures["pageCacheResidentPercentAfterOpen"] = PageCache.residentPercent(directory: dataDirectory)
            notes["dropCaches"] = eviction.dropCaches
            notes["eviction"] = "server restarted, posix_fadvise(DONTNEED) on every file of the cluster"
        }
        BenchmarkResult(
            scenario: "scale.open", variant: phase, subject: Self.subject, round: 1, figures: figures, notes: notes
        ).emit()

        try await ScaleLookups.run(on: store, accounts: accounts, lookups: lookups, emit: emitLookup)
        await store.shutdown()
    }

    private func emitLookup(_ variant: String, _ statistics: Statistics) {
        BenchmarkResult(
            scenario: "scale.lookup", variant: "\(variant), \(phase)", subject: Self.subject, round: 1,
            statistics: statistics
        ).emit()
    }

    /// The size of one table: everything (`pg_total_relation_size`) and its indexes alone, in bytes.
    private struct TableSize {
        var total: Double
        var indexes: Double
    }

    private static func tableSizes(_ client: PostgresClient) async throws -> [String: TableSize] {
        var binds = PostgresBindings()
        binds.append(schema)
        let rows = try await client.query(
            PostgresQuery(
                unsafeSQL: "SELECT c.relname::text, pg_total_relation_size(c.oid), pg_indexes_size(c.oid) "
                    + "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    + "WHERE n.nspname = $1 AND c.relkind = 'r'",
                binds: binds))
        var sizes: [String: TableSize] = [:]
        for try await (name, total, indexes) in rows.decode((String, Int64, Int64).self) {
            sizes[name] = TableSize(total: Double(total), indexes: Double(indexes))
        }
        return sizes
    }

    /// Runs `body` with a client of its own (statements the store has no call for: dropping the
    /// schema, VACUUM, sizes).
    private static func withClient<Result: Sendable>(
        _ configuration: PostgresRecordStore.Configuration,
        _ body: @Sendable (PostgresClient) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: configuration.client)
        let runner = Task { await client.run() }
        let result: Result
        do {
            result = try await body(client)
        } catch {
            runner.cancel()
            await runner.value
            throw error
        }
        runner.cancel()
        await runner.value
        return result
    }
}
