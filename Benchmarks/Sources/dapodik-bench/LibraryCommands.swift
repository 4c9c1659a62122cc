import DapodikStorage
import Foundation

/// The scenarios that measure the library itself.
func runLibraryCommand(_ arguments: Arguments, round: Int) async throws {
    switch arguments.command {
    case "store-cycle":
        let clients = try arguments.integer("clients")
        let cycles = try arguments.integer("cycles")
        let kind = try arguments.string("store")
        let store: any RecordStore
        let scenario: String
        let subject: String
        var directory: String?
        switch kind {
        case "memory":
            store = InMemoryRecordStore()
            scenario = "cycle.memory"
            subject = "InMemoryRecordStore (store-level cycle)"
        case "file":
            let path = try arguments.string("dir") + "/file-store-cycle"
            try? FileManager.default.removeItem(atPath: path)
            store = try await openFileStore(at: path)
            directory = path
            scenario = "cycle.durable"
            subject = "FileRecordStore"
        default: throw UsageError("--store must be file or memory")
        }
        defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }
        let cycle = StoreCycle(store: store)
        try await cycle.prepare(clients: clients)
        let statistics = try await Measure.concurrent(
            clients: clients, warmUp: max(2, cycles / 20), operationsPerClient: cycles
        ) { client, iteration in
            try await cycle.cycle(client: client, iteration: iteration)
        }
        BenchmarkResult(
            scenario: scenario, variant: clients == 1 ? "1 client" : "\(clients) clients", subject: subject,
            round: round, statistics: statistics
        ).emit()
    case "service-cycle":
        let clients = try arguments.integer("clients")
        let cycles = try arguments.integer("cycles")
        let warmUp = max(2, cycles / 20)
        let cycle = try await ServiceCycle.make(accounts: clients * (warmUp + cycles))
        let statistics = try await Measure.concurrent(clients: clients, warmUp: warmUp, operationsPerClient: cycles) {
            client, iteration in
            try await cycle.cycle(client * (warmUp + cycles) + iteration)
        }
        BenchmarkResult(
            scenario: "cycle.memory", variant: clients == 1 ? "1 client" : "\(clients) clients",
            subject: "VerificationService + InMemoryRecordStore, null transport", round: round, statistics: statistics
        ).emit()
    case "crypto":
        try CryptoBenchmark.run(
            hmacOperations: try arguments.integer("hmac", default: 200_000),
            pbkdf2Operations: try arguments.integer("pbkdf2", default: 5),
            iterations: try arguments.integer("iterations", default: 600_000), round: round)
    case "scale-load", "scale-open", "scale-compact":
        try await NationalScale(arguments: arguments).run(arguments.command)
    default:
        throw UsageError("unknown command \(arguments.command)")
    }
}

/// Opens (creating) a durable file store in `path`: the one place that names the file store's API.
func openFileStore(at path: String) async throws -> FileRecordStore {
    try FileRecordStore(directory: URL(fileURLWithPath: path))
}
