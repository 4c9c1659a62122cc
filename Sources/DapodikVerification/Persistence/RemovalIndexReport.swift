/// What ``VerificationService/indexRecordsForRemoval(progress:)`` read and did.
public struct RemovalIndexReport: Sendable, Hashable {
    /// The commits of the change feed read.
    public var changesRead = 0
    /// The quotas, throttle records and outbox messages read.
    public var recordsRead = 0
    /// Those given the index entry by which they are removed once nothing needs them.
    public var recordsIndexed = 0
    /// Whether the whole feed up to the run's start has been read, by this run or earlier ones.
    public var isComplete = false

    /// An empty report.
    public init() {}
}
