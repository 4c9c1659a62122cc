import DapodikPostgres
import DapodikStorage
import Foundation

/// The store a cycle scenario runs on, chosen by `--store`: opened fresh for the run, and removed (a
/// file store's directory) or shut down (a PostgreSQL store's pool) by ``close()``, which
/// ``measure(_:)`` calls whether the scenario succeeds or throws.
struct BenchmarkStore {
    /// Which store: `memory`, `file` or `postgres`.
    let kind: String
    /// The store itself.
    let store: any RecordStore
    /// A file store's directory, removed by ``close()``.
    private let directory: String?

    /// Opens the store `--store` names, if it is one of `allowed`.
    /// - Parameters:
    ///   - arguments: The command's arguments (`--store`, and `--dir` or `--url`).
    ///   - allowed: The kinds this scenario runs on.
    ///   - defaultKind: The kind when `--store` is not given; `nil` makes it required.
    ///   - directoryName: A file store's directory inside `--dir`, emptied first.
    ///   - round: The round, for a PostgreSQL store's schema name.
    static func open(
        _ arguments: Arguments, allowed: [String], defaultKind: String? = nil, directoryName: String, round: Int
    ) async throws -> BenchmarkStore {
        let kind = try defaultKind.map { try arguments.string("store", default: $0) } ?? arguments.string("store")
        guard allowed.contains(kind) else {
            throw UsageError("--store must be one of: \(allowed.joined(separator: ", "))")
        }
        switch kind {
        case "memory":
            return BenchmarkStore(kind: kind, store: InMemoryRecordStore(), directory: nil)
        case "file":
            let path = try arguments.string("dir") + "/" + directoryName
            try? FileManager.default.removeItem(atPath: path)
            return BenchmarkStore(kind: kind, store: try await openFileStore(at: path), directory: path)
        case "postgres":
            let postgres = try await openPostgresStore(url: try arguments.string("url"), round: round)
            return BenchmarkStore(kind: kind, store: postgres, directory: nil)
        default:
            throw UsageError("--store \(kind) is not a store this benchmark knows")
        }
    }

    /// Runs `body` on the store, then closes it, also when `body` throws.
    /// - Parameter body: The scenario.
    /// - Returns: What `body` returns.
    func measure<T>(_ body: (any RecordStore) async throws -> T) async throws -> T {
        do {
            let result = try await body(store)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }

    /// Removes a file store's directory and shuts a PostgreSQL store's pool down.
    func close() async {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        if let postgres = store as? PostgresRecordStore { await postgres.shutdown() }
    }
}
