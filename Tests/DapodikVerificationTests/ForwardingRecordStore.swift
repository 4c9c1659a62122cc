import DapodikVerification

/// A test store that hands every call to ``base`` unless it implements the call itself: the stores
/// of these tests each change one thing (a commit that fails, a competitor that commits first, a
/// hook before a commit) and forward the rest unchanged.
protocol ForwardingRecordStore: RecordStore {
    /// The store that answers every call this store does not implement.
    var base: any RecordStore { get }
}

extension ForwardingRecordStore {
    func record(for key: RecordKey) async throws -> Record? { try await base.record(for: key) }

    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try await base.record(whereUnique: index, equals: value)
    }

    func records(where index: String, equals value: String) async throws -> [Record] {
        try await base.records(where: index, equals: value)
    }

    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try await base.records(in: index, from: lower, to: upper, limit: limit)
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 { try await base.commit(mutations) }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try await base.changes(after: sequence, limit: limit)
    }
}
