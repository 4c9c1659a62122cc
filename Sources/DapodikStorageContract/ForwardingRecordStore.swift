public import DapodikStorage

/// A store that hands every call to ``base`` unless it implements the call itself: the shape of the
/// test doubles that change one thing about a store (a commit that fails or is numbered wrongly, a
/// competitor that commits first, a hook before a commit, a watch on waits) and forward the rest
/// unchanged.
///
/// Forwarded: the reads, ``DapodikStorage/RecordStore/commit(_:)``, the change feed and its signals
/// (a dispatcher waiting on the forwarding store wakes when the base store's does, instead of polling).
public protocol ForwardingRecordStore: RecordStore {
    /// The store that answers every call this store does not implement.
    var base: any RecordStore { get }
}

extension ForwardingRecordStore {
    /// The base store's record under `key`.
    /// - Parameter key: The key.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func record(for key: RecordKey) async throws -> Record? { try await base.record(for: key) }

    /// The base store's record holding a unique index value.
    /// - Parameters:
    ///   - index: The name of a unique index.
    ///   - value: The value to find.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func record(whereUnique index: String, equals value: String) async throws -> Record? {
        try await base.record(whereUnique: index, equals: value)
    }

    /// The base store's records holding a non-unique index value.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - value: The value to find.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func records(where index: String, equals value: String) async throws -> [Record] {
        try await base.records(where: index, equals: value)
    }

    /// The base store's records in a range of a non-unique index.
    /// - Parameters:
    ///   - index: The name of a non-unique index.
    ///   - lower: The smallest value included.
    ///   - upper: The first value excluded.
    ///   - limit: The most records returned.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        try await base.records(in: index, from: lower, to: upper, limit: limit)
    }

    /// Commits the batch to the base store.
    /// - Parameter mutations: The batch.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func commit(_ mutations: [Mutation]) async throws -> UInt64 { try await base.commit(mutations) }

    /// The base store's change feed.
    /// - Parameters:
    ///   - sequence: The last sequence the caller has seen.
    ///   - limit: The most batches returned.
    /// - Returns: What the base store returns.
    /// - Throws: What the base store throws.
    public func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try await base.changes(after: sequence, limit: limit)
    }

    /// The base store's mark of its change signals for `collection`.
    /// - Parameter collection: The collection whose changes the reader waits for.
    /// - Returns: What the base store returns.
    public func changeSignalMark(for collection: String) -> ChangeSignalMark {
        base.changeSignalMark(for: collection)
    }

    /// Waits as the base store waits for a change to `collection` after `mark`.
    /// - Parameters:
    ///   - collection: The collection whose changes the caller waits for.
    ///   - mark: What ``changeSignalMark(for:)`` returned before the caller last read.
    ///   - limit: The longest wait.
    public func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        await base.waitForChanges(in: collection, since: mark, atMost: limit)
    }
}
