import BenchmarkHarness
import BenchmarkReport
import DapodikPostgres
import DapodikStorage
import Foundation

/// The scenarios that measure the library itself.
func runLibraryCommand(_ arguments: Arguments, round: Int) async throws {
    switch arguments.command {
    case "store-cycle":
        let clients = try arguments.integer("clients")
        let cycles = try arguments.integer("cycles")
        let opened = try await BenchmarkStore.open(
            arguments, allowed: ["file", "memory", "postgres"], directoryName: "file-store-cycle", round: round)
        let (scenario, subject) =
            switch opened.kind {
            case "memory": ("cycle.memory", "InMemoryRecordStore (store-level cycle)")
            case "file": ("cycle.durable", "FileRecordStore")
            default: ("cycle.durable", "PostgresRecordStore (synchronous_commit=on)")
            }
        let statistics = try await opened.measure { store in
            let cycle = StoreCycle(store: store)
            try await cycle.prepare(clients: clients)
            return try await Measure.concurrent(
                clients: clients, warmUp: max(2, cycles / 20), operationsPerClient: cycles
            ) { client, iteration in
                try await cycle.cycle(client: client, iteration: iteration)
            }
        }
        BenchmarkResult(
            scenario: scenario, variant: BenchmarkResult.variant(clients: clients), subject: subject,
            round: round, statistics: statistics
        ).emit()
    case "smtp":
        try await SMTPSubmission.run(
            port: try arguments.integer("port"), authority: try arguments.string("ca"),
            user: try arguments.string("user"), messages: try arguments.integer("messages"),
            warmUp: try arguments.integer("warm-up", default: 10), round: round
        ).emit()
    case "service-cycle":
        let clients = try arguments.integer("clients")
        let cycles = try arguments.integer("cycles")
        let warmUp = max(2, cycles / 20)
        // `--barrier DIR --parties N`: start measuring together with the other processes (see `run`).
        let barrier = try arguments.string("barrier", default: "")
        let parties = try arguments.integer("parties", default: 1)
        guard barrier.isEmpty ? parties == 1 : parties >= 2 else {
            throw UsageError("--barrier DIR and --parties N (at least 2) go together")
        }
        // `--for-ms M`: stop M ms into the timed part (`--cycles` is then the most each client makes).
        let milliseconds = try arguments.integer("for-ms", default: 0)
        guard milliseconds >= 0 else { throw UsageError("--for-ms needs a number of milliseconds, 0 for none") }
        let timeLimit = milliseconds > 0 ? Duration.milliseconds(milliseconds) : nil
        // `--resend 1`: each account had a first code in setup; the cycle asks for another (see `ServiceCycle`).
        let resendOption = try arguments.integer("resend", default: 0)
        guard resendOption == 0 || resendOption == 1 else { throw UsageError("--resend takes 0 or 1") }
        let resend = resendOption == 1
        // `--idle-quotas N`: N address quotas idle since before the cycle, for its requests to remove.
        let idleQuotas = try arguments.integer("idle-quotas", default: 0)
        guard idleQuotas >= 0 else { throw UsageError("--idle-quotas needs a count, 0 for none") }
        let opened = try await BenchmarkStore.open(
            arguments, allowed: ["memory", "file"], defaultKind: "memory", directoryName: "file-service-cycle",
            round: round)
        let (scenario, subject) =
            opened.kind == "memory"
            ? ("cycle.memory", "VerificationService + InMemoryRecordStore, null transport")
            : ("cycle.service.durable", "VerificationService + FileRecordStore, null transport")
        let (statistics, measuredUntil, residentGrowth, tally) = try await opened.measure { store in
            let cycle = try await ServiceCycle.make(
                accounts: clients * (warmUp + cycles), store: store, resend: resend, idleQuotas: idleQuotas)
            let setUp = idleQuotas > 0 ? try await IdleRemovalTally.latestSequence(of: store) : 0
            if !barrier.isEmpty { try ProcessBarrier.meet(at: barrier, parties: parties) }
            let residentBefore = ProcessMemory.current().residentMiB
            let statistics = try await Measure.concurrent(
                clients: clients, warmUp: warmUp, operationsPerClient: cycles, timeLimit: timeLimit
            ) { client, iteration in
                try await cycle.cycle(client * (warmUp + cycles) + iteration)
            }
            let (until, growth) = (Date(), ProcessMemory.current().residentMiB - residentBefore)
            let tally = idleQuotas > 0 ? try await IdleRemovalTally.read(store, after: setUp, idle: idleQuotas) : nil
            return (statistics, until, growth, tally)
        }
        // What the process's resident memory grew by over the warm-up and timed cycles, per cycle: the
        // in-memory store keeps every record and version, so this is mostly what a cycle leaves in it.
        let cyclesRun = statistics.operations + clients * warmUp
        var figures = ["residentKiBPerCycle": (residentGrowth * 1024 / Double(cyclesRun) * 10).rounded() / 10]
        // Over the warm-up and timed cycles: the requests that removed no idle quota (each a second
        // commit, see `IdleRemovalTally`), and the idle quotas removed and left.
        if let tally {
            figures["secondCommits"] = Double(tally.removedNone)
            figures["idleQuotasRemoved"] = Double(tally.removed)
            figures["idleQuotasLeft"] = Double(idleQuotas - tally.removed)
            guard tally.requests == cyclesRun else {
                throw ClientFailure(description: "the change log holds \(tally.requests) requests, not \(cyclesRun)")
            }
        }
        // Processes that met at a barrier say when they stopped measuring, so the report can check that
        // their timed parts overlapped (see `TimedPartOverlap`).
        let notes = parties > 1 ? [TimedPartOverlap.measuredUntilNote: "\(measuredUntil.timeIntervalSince1970)"] : [:]
        BenchmarkResult(
            scenario: scenario,
            variant: BenchmarkResult.variant(clients: clients, processes: parties) + (resend ? ", resend" : "")
                + (idleQuotas > 0 ? ", \(idleQuotas) idle quotas" : ""),
            subject: subject, round: round, statistics: statistics, figures: figures, notes: notes
        ).emit()
    case "service-store-calls":
        try await ServiceStoreCalls.run(cycles: try arguments.integer("cycles"), round: round).emit()
    case "render":
        try MailRendering.run(messages: try arguments.integer("messages", default: 20_000), round: round).emit()
    case "decode":
        try await RecordDecoding.run(
            records: try arguments.integer("records", default: 2000),
            operations: try arguments.integer("operations", default: 200_000), round: round)
    case "crypto":
        try CryptoBenchmark.run(
            hmacOperations: try arguments.integer("hmac", default: 200_000),
            pbkdf2Operations: try arguments.integer("pbkdf2", default: 5),
            iterations: try arguments.integer("iterations", default: 600_000), round: round)
    case "staff-batch":
        try await StaffBatchBenchmark.run(rows: try arguments.integer("rows", default: 40), round: round)
    case "staff-check":
        let checks = try arguments.integer("checks", default: 200)
        guard (1...1000).contains(checks) else { throw UsageError("--checks needs 1 to 1,000") }
        try await StaffCheckCost.run(checks: checks, round: round)
    case "logins":
        // --rate: logins arriving at random, that many a second (open loop); else --clients in a closed loop.
        let rate = try arguments.integer("rate", default: 0)
        if rate > 0 {
            try await LoginArrivalsBenchmark.run(
                rate: Double(rate), seconds: Double(try arguments.integer("seconds", default: 20)), round: round)
        } else {
            try await LoginsBenchmark.run(
                clients: try arguments.integer("clients", default: 4),
                loginsPerClient: try arguments.integer("logins", default: 8), round: round)
        }
    case "scale-load", "scale-open", "scale-compact", "scale-check", "scale-backup":
        if try arguments.string("store", default: "file") == "postgres" {
            try await PostgresNationalScale(arguments: arguments).run(arguments.command)
        } else {
            try await NationalScale(arguments: arguments).run(arguments.command)
        }
    default:
        throw UsageError("unknown command \(arguments.command)")
    }
}

/// Opens (creating) a durable file store in `path`: the one place that names the file store's API.
func openFileStore(at path: String) async throws -> FileRecordStore {
    try FileRecordStore(directory: URL(fileURLWithPath: path))
}

/// Opens a PostgreSQL store at `url` (password from `PGPASSWORD`) in a fresh schema for this run, so
/// every run starts empty; the schemas stay in the throw-away cluster `Benchmarks/run` starts.
func openPostgresStore(url: String, round: Int) async throws -> PostgresRecordStore {
    var configuration = try PostgresRecordStore.Configuration(
        url: url, password: ProcessInfo.processInfo.environment["PGPASSWORD"])
    configuration.schema = "bench_\(getpid())_\(round)"
    let store = try PostgresRecordStore(configuration: configuration)
    _ = try await store.migrate()
    return store
}
