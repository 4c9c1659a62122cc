import DapodikVerification

/// A store that lets other tasks run before every call, as a store behind a network or a disk
/// does, so concurrent requests interleave between their reads and their commits.
struct YieldingRecordStore: RecordStore {
    let base: any RecordStore

    func record(for key: RecordKey) async throws -> Record? {
        await Task.yield()
        return try await base.record(for: key)
    }

    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        await Task.yield()
        return try await base.record(whereUnique: index, equals: value)
    }

    func records(where index: String, equals value: String) async throws -> [Record] {
        await Task.yield()
        return try await base.records(where: index, equals: value)
    }

    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        await Task.yield()
        return try await base.records(in: index, from: lower, to: upper, limit: limit)
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        await Task.yield()
        return try await base.commit(mutations)
    }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        await Task.yield()
        return try await base.changes(after: sequence, limit: limit)
    }
}
