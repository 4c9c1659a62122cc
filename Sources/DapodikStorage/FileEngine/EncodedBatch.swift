/// A commit as a file store's group takes it: the batch prepared (``PreparedBatch``) and its log
/// bytes encoded (``LogFormat/EncodedCommit``), both on the caller's thread before it joins a group,
/// so that the thread committing the group only checks, places and publishes. A class: the queue of
/// waiting commits and the group copy it with one reference count, not one per array it holds.
final class EncodedBatch: Sendable {
    let batch: PreparedBatch
    let encoded: LogFormat.EncodedCommit

    /// Prepares and encodes validated mutations (``StoreLimits``).
    init(_ mutations: [Mutation]) {
        batch = PreparedBatch(mutations)
        encoded = LogFormat.EncodedCommit(mutations)
    }
}
