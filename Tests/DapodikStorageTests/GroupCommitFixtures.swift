import DapodikLocking
import DapodikTestSupport
import Testing

@testable import DapodikStorage

/// A flush hook that notes, for each flush, whether it ran inside a Swift task (the caller's thread
/// of a commit) or outside any (the committer's queue), and can hold the next flushes like
/// ``FlushGate``.
final class FlushWitness: Sendable {
    let gate = FlushGate()
    private let seen = LockedValue<[Bool]>([])

    /// For each flush so far, in order: whether it ran inside a task.
    var ranInTask: [Bool] { seen.withLock { $0 } }

    @Sendable func hook(_ lastSequence: UInt64) throws(StoreError) {
        let inTask = withUnsafeCurrentTask { $0 != nil }
        seen.withLock { $0.append(inTask) }
        try gate.hook(lastSequence)
    }
}

/// A file store in a fresh directory whose flushes a ``FlushWitness`` watches and can hold: the
/// fixture of the tests of which commits form a group and which thread flushes it.
struct WitnessedStore {
    let scratch: TemporaryDirectory
    let witness = FlushWitness()
    let store: FileRecordStore

    /// Opens the store.
    /// - Parameters:
    ///   - gatheringLimit: How long a group waits for the callers of the group just acknowledged
    ///     (`.zero`: never, so that which thread flushes which commit depends on the test's steps).
    ///   - boundedByFlush: Whether that wait is also bounded by half the last flush (the library's
    ///     setting); `false` makes it depend on the test's steps, never on timing.
    ///   - callersThreadMaximumFlush: The longest flush after which callers still commit groups on
    ///     their own threads while several clients commit (`.zero`: never, so that the disk's speed
    ///     does not decide which thread flushes which commit; an hour: every flush counts as fast).
    init(gatheringLimit: Duration, boundedByFlush: Bool = true, callersThreadMaximumFlush: Duration = .zero) throws {
        scratch = try TemporaryDirectory("storage")
        var options = FileRecordStore.Options()
        options.flushHook = { [witness] sequence throws(StoreError) in try witness.hook(sequence) }
        options.gatheringLimit = gatheringLimit
        options.gatheringBoundedByFlush = boundedByFlush
        options.callersThreadMaximumFlush = callersThreadMaximumFlush
        store = try FileRecordStore(directory: scratch.store, options: options)
    }

    /// Starts committing `mutation` and returns once its flush is held by the witness (released by
    /// `witness.gate.release(failing:)`), so that the commits started meanwhile queue behind it.
    func commitHeldInFlush(_ mutation: Mutation) async -> Task<UInt64, any Error> {
        witness.gate.hold(1)
        let commit = blockingCommit(store, mutation)
        await witness.gate.waitForHeldFlush()
        return commit
    }
}

/// Puts `item/<n>` with the value "value <n>" and the unique index value `item.number` = `n`.
func itemPut(_ n: Int, expecting: DapodikStorage.Expectation = .mustNotExist) -> Mutation {
    .put(
        key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")], expecting: expecting
    )
}

/// Starts a commit in a task once `queued - 1` commits wait, and returns when it waits too, so that
/// queued commits form one group in this order.
func queuedCommit(_ store: FileRecordStore, _ mutation: Mutation, queued: Int) async -> Task<UInt64, any Error> {
    let task = blockingCommit(store, mutation)
    while store.queuedCommitCount < queued { await Task.yield() }
    return task
}
