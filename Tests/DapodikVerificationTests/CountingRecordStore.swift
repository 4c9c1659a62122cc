import DapodikLocking
import DapodikVerification

/// A store that counts what is asked of it: commits, read calls, and the records those reads
/// return (each one a document the service may decode).
final class CountingRecordStore: RecordStore {
    /// What one stretch of work asked of the store.
    struct Counts: Equatable, CustomStringConvertible {
        var commits = 0
        var reads = 0
        var recordsRead = 0
        /// The collections of the records read, in order (`account`, `challenge`, …).
        var collections: [String] = []

        var description: String {
            "\(commits) commits, \(reads) reads, \(recordsRead) records read: \(collections)"
        }
    }

    private let base: any RecordStore
    private let counts = LockedValue(Counts())

    init(_ base: any RecordStore) { self.base = base }

    /// The counts so far, and starts counting afresh.
    func takeCounts() -> Counts {
        counts.withLock { counts in
            defer { counts = Counts() }
            return counts
        }
    }

    private func counted(_ records: [Record]) -> [Record] {
        counts.withLock {
            $0.reads += 1
            $0.recordsRead += records.count
            $0.collections += records.map(\.key.collection)
        }
        return records
    }

    func record(for key: RecordKey) async throws -> Record? {
        try await counted(base.record(for: key).map { [$0] } ?? []).first
    }

    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try await counted(base.record(whereUnique: index, equals: value).map { [$0] } ?? []).first
    }

    func records(where index: String, equals value: String) async throws -> [Record] {
        try await counted(base.records(where: index, equals: value))
    }

    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try await counted(base.records(in: index, from: lower, to: upper, limit: limit))
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        counts.withLock { $0.commits += 1 }
        return try await base.commit(mutations)
    }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try await base.changes(after: sequence, limit: limit)
    }
}
