import BenchmarkHarness
import BenchmarkReport
import Foundation

// dapodik-bench: one subcommand per scenario, each printing JSON result lines on standard output
// (and a readable line on standard error). `Benchmarks/run` calls them interleaved and then `report`.

let usage = """
    usage: dapodik-bench <command> [--option value]…
      fsync        --dir D --operations N [--round R]          4 KiB write + fsync (overwrite, append), fdatasync
      sqlite-cycle --dir D --clients C --cycles N [--round R]  the cycle's two transactions on SQLite (WAL, FULL)
      store-cycle  --dir D --clients C --cycles N --store file|memory|postgres [--url U] [--round R]
                                                              the same two commits on a RecordStore
      smtp         --port P --ca CA.pem --user U --messages N [--warm-up W] [--round R]
                                                              messages/s over one TLS connection (aiosmtpd)
      service-cycle --clients C --cycles N [--store memory|file --dir D] [--barrier DIR --parties P] [--for-ms M]
                    [--resend 1] [--idle-quotas Q] [--round R]
                                                          the service's cycle, null transport (default: in memory);
                                                          with --barrier, measuring starts once P processes are set
                                                          up; with --for-ms, it stops after M ms (N is the most);
                                                          with --resend 1, each request is a second code; with
                                                          --idle-quotas Q, Q address quotas idle for 26 hours
                                                          beforehand, which the requests remove
      service-store-calls --cycles N [--round R]             the 1-client service cycle's store calls alone,
                                                          recorded, then replayed on a fresh in-memory store
      staff-check  [--checks N] [--round R]                   a charged checkStaff of one row, beside the same with
                                                          full idle quotas of other operators to remove
      render       --messages N [--round R]                  MailMessage.rendered() on verification-shaped e-mails
      decode       [--records N] [--operations N] [--round R]  validating initializers; a school's N records read back
      crypto       --hmac N --pbkdf2 N [--round R]           HMAC-SHA256 (64-byte input) and PBKDF2 600,000
      scale-load   --dir D --accounts N                      bulk-load N account records into a file store
      sqlite-scale-load --dir D --accounts N [--batch B]    the same rows into SQLite (WAL, FULL), the peer
      scale-open   --dir D --accounts N --lookups L [--phase P]  open cold, resident memory, random lookups
      scale-load|scale-open --store postgres --url U [--pgdata DIR] …  the same on PostgreSQL (schema bench_national)
      scale-compact --dir D                                  compaction time
      scale-check  --dir D --accounts N                      store check (every value and frame), cold, then warm
      scale-backup --dir D --accounts N                      store backup (with its check of the copy's values)
      report       --results FILE                            the Markdown table of a results file
    """

do {
    let arguments = try Arguments(Array(CommandLine.arguments.dropFirst()))
    let round = try arguments.integer("round", default: 1)
    switch arguments.command {
    case "fsync":
        let directory = try arguments.string("dir")
        let operations = try arguments.integer("operations", default: 1000)
        try FsyncProbe.run(directory: directory, placement: .overwrite, operations: operations, round: round).emit()
        try FsyncProbe.run(directory: directory, placement: .append, operations: operations, round: round).emit()
        try FsyncProbe.run(
            directory: directory, placement: .overwrite, flush: .fdatasync, operations: operations, round: round
        ).emit()
    case "sqlite-cycle":
        let clients = try arguments.integer("clients")
        let modes: [SQLiteMode] = clients == 1 ? [.connectionPerClient] : [.connectionPerClient, .sharedWriter]
        for mode in modes {
            try runSQLiteCycle(
                directory: try arguments.string("dir"), clients: clients, mode: mode,
                cycles: try arguments.integer("cycles"), round: round
            ).emit()
        }
    case "sqlite-scale-load":
        try SQLiteScaleLoad.run(
            directory: try arguments.string("dir"), accounts: try arguments.integer("accounts", default: 3_500_000),
            batch: try arguments.integer("batch", default: 5000), round: round
        ).emit()
    case "report":
        print(try Report(resultsPath: try arguments.string("results")).markdown())
    default:
        try await runLibraryCommand(arguments, round: round)
    }
} catch let error as UsageError {
    FileHandle.standardError.write(Data("dapodik-bench: \(error)\n\n\(usage)\n".utf8))
    exit(64)
} catch {
    FileHandle.standardError.write(Data("dapodik-bench: \(error)\n".utf8))
    exit(1)
}

/// How concurrent SQLite clients reach the database.
enum SQLiteMode {
    /// Each client thread has its own connection; writers wait in SQLite's busy handler.
    case connectionPerClient
    /// All client threads share one writer connection behind a lock (GRDB `DatabasePool` style).
    case sharedWriter
}

func runSQLiteCycle(directory: String, clients: Int, mode: SQLiteMode, cycles: Int, round: Int) throws
    -> BenchmarkResult
{
    let path = directory + "/sqlite-cycle.db"
    for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) }
    defer { for suffix in ["", "-wal", "-shm"] { unlink(path + suffix) } }
    try SQLiteCycle.prepareDatabase(path: path, clients: clients)
    let statistics: Statistics
    let settings: String
    switch mode {
    case .connectionPerClient:
        settings = "WAL, synchronous=FULL, one connection per client thread, busy_timeout"
        statistics = try Measure.threads(
            clients: clients, warmUp: max(2, cycles / 20), operationsPerClient: cycles,
            makeClient: { client in (client: client, cycle: try SQLiteCycle(path: path)) },
            { state, iteration in try state.cycle.cycle(client: state.client, iteration: iteration) }
        )
    case .sharedWriter:
        settings = "WAL, synchronous=FULL, one writer connection shared by the client threads"
        let writer = try SharedSQLiteWriter(path: path)
        statistics = try Measure.threads(
            clients: clients, warmUp: max(2, cycles / 20), operationsPerClient: cycles,
            makeClient: { client in client },
            { client, iteration in try writer.cycle(client: client, iteration: iteration) }
        )
    }
    let connections =
        mode == .sharedWriter ? "shared writer" : (clients == 1 ? "1 connection" : "\(clients) connections")
    return BenchmarkResult(
        scenario: "cycle.durable", variant: BenchmarkResult.variant(clients: clients),
        subject: "SQLite \(SQLiteConnection.version) (\(connections))", round: round, statistics: statistics,
        notes: ["settings": settings])
}
