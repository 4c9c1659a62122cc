/// What one commit changed, as read from the change feed (``RecordStore/changes(after:limit:)``).
///
/// After compaction, history older than the compaction is summarized: each record still alive then
/// appears once, in the batch of the commit that last wrote it, and older overwritten versions and
/// deletes are gone. A record written once and never changed therefore appears forever, at its
/// original sequence. See `Documentation/StorageFormat.md`, "Change feed".
public struct ChangeBatch: Sendable, Hashable {
    /// The commit's sequence number.
    public var sequence: UInt64
    /// The records the commit wrote, as they were right after it, in key order.
    public var puts: [Record]
    /// The keys the commit deleted, in key order.
    public var deletes: [RecordKey]

    /// Creates a batch.
    /// - Parameters:
    ///   - sequence: The commit's sequence number.
    ///   - puts: The records written.
    ///   - deletes: The keys deleted.
    public init(sequence: UInt64, puts: [Record], deletes: [RecordKey]) {
        self.sequence = sequence
        self.puts = puts
        self.deletes = deletes
    }
}
