/// An atomic, conditional, versioned record store with secondary indexes and a durable change feed.
///
/// The store does not know what it stores: the service encodes accounts, challenges, outbox messages
/// and events as opaque values, each with a ``RecordKey`` and secondary keys (``IndexEntry``).
///
/// Every write is one ``commit(_:)`` of a batch of puts and deletes, each under an ``Expectation``,
/// applied all or nothing, numbered by a sequence that grows by one per commit. The shape maps onto a
/// PostgreSQL transaction with `UPDATE … WHERE version = $n` and unique indexes, or onto DynamoDB's
/// `TransactWriteItems` with condition expressions. See "Implementing a store" in the documentation.
///
/// Implementations: ``InMemoryRecordStore`` (the reference model) and ``FileRecordStore``
/// (crash-safe, multi-process). Both pass the same contract test suite.
public protocol RecordStore: Sendable {
    /// The record stored under a key.
    /// - Parameter key: The key.
    /// - Returns: The record, or `nil` when the key does not exist (not an error).
    /// - Throws: ``StoreError`` when the store cannot be read (I/O failure, corruption, closed).
    func record(for key: RecordKey) async throws -> Record?

    /// The record holding a unique index value.
    /// - Parameters:
    ///   - index: The name of a unique index, such as `"account.email"`.
    ///   - value: The value to find.
    /// - Returns: The record, or `nil` when no record holds the value (not an error).
    /// - Throws: ``StoreError`` when the store cannot be read.
    func record(whereUnique index: String, equals value: String) async throws -> Record?

    /// The records holding a non-unique index value, in key order.
    /// - Parameters:
    ///   - index: The name of a non-unique index, such as `"account.school"`.
    ///   - value: The value to find.
    /// - Returns: The records; empty when none match (not an error).
    /// - Throws: ``StoreError`` when the store cannot be read.
    func records(where index: String, equals value: String) async throws -> [Record]

    /// The records whose non-unique index value lies in `lower ..< upper` (by UTF-8 bytes), ordered by
    /// index value and then key.
    /// - Parameters:
    ///   - index: The name of a non-unique index, such as `"outbox.due"`.
    ///   - lower: The smallest value included.
    ///   - upper: The first value excluded.
    ///   - limit: The most records returned.
    /// - Returns: At most `limit` records; empty when none match or `lower >= upper` (not an error).
    /// - Throws: ``StoreError`` when the store cannot be read, or `invalidInput` for a negative limit.
    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record]

    /// Applies a batch of mutations atomically: every expectation holds and every unique index value
    /// stays unique, and then all are applied, or none is.
    /// - Parameter mutations: The batch; each key at most once.
    /// - Returns: The commit's sequence number, one more than the previous commit's.
    /// - Throws: ``StoreError``: a conflict (``StoreError/isConflict``) naming the key, `invalidInput`,
    ///   or a failure of the store. A delete of a missing key under `.any` is not an error.
    @discardableResult
    func commit(_ mutations: [Mutation]) async throws -> UInt64

    /// The committed changes after a sequence number, in commit order.
    /// - Parameters:
    ///   - sequence: The last sequence the caller has seen (0 for everything).
    ///   - limit: The most batches returned.
    /// - Returns: At most `limit` batches with sequences above `sequence`; empty when the caller is up
    ///   to date (not an error). Sequences may have gaps where compaction summarized history.
    /// - Throws: ``StoreError`` when the store cannot be read, or `invalidInput` for a negative limit.
    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch]

    /// The point in this store's change signals for `collection` now.
    ///
    /// A reader that waits for new work takes a mark, reads, and then calls
    /// ``waitForChanges(in:since:atMost:)`` with the mark: a change committed while it was reading
    /// (in this process or, for a store that can hear other processes, in any) ends the wait at once.
    /// A store that cannot hear about changes keeps the default (every mark the same, every wait the
    /// full bound: a plain poll).
    /// - Parameter collection: The collection whose changes the reader waits for, such as `"outbox"`.
    /// - Returns: The mark.
    func changeSignalMark(for collection: String) -> ChangeSignalMark

    /// Waits until `collection` may have changed since `mark` was taken, at most `limit`.
    ///
    /// A signal means "changes may be available", never that a particular record is there: a reader
    /// reads again after every return, whatever ended the wait. It returns early also when the
    /// store may have missed signals (it lost its connection to the writers, say), and at once when
    /// the task is cancelled.
    /// - Parameters:
    ///   - collection: The collection whose changes the caller waits for.
    ///   - mark: What ``changeSignalMark(for:)`` returned before the caller last read.
    ///   - limit: The longest wait: the poll bound that holds even when no signal ever comes.
    func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async
}

extension RecordStore {
    /// Applies a single mutation.
    /// - Parameter mutation: The mutation.
    /// - Returns: The commit's sequence number.
    /// - Throws: As ``commit(_:)``.
    @discardableResult
    public func commit(_ mutation: Mutation) async throws -> UInt64 {
        try await commit([mutation])
    }

    /// The committed changes after a sequence number, at most 1,000 batches.
    /// - Parameter sequence: The last sequence the caller has seen (0 for everything).
    /// - Returns: The batches, in commit order.
    /// - Throws: As ``changes(after:limit:)``.
    public func changes(after sequence: UInt64) async throws -> [ChangeBatch] {
        try await changes(after: sequence, limit: 1000)
    }
}

package func validateLimit(_ limit: Int) throws(StoreError) {
    guard limit >= 0 else {
        throw .invalidInput("Batas jumlah tidak boleh negatif.", "The limit must not be negative.")
    }
}
