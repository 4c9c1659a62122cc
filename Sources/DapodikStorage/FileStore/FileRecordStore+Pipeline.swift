import DapodikLocking
import Dispatch

/// Pipelined group commit (issue 15): on the committer's queue, group *n + 1* is checked and encoded
/// while group *n* is written and flushed on ``FileRecordStore/flusher``, so that the committer's work
/// overlaps the disk's instead of following it.
///
/// Only the checking and encoding overlap: group *n + 1*'s frames are written after group *n*'s
/// `fdatasync` returned (a frame is durable before the next is written, `Documentation/StorageFormat.md`),
/// and each group is acknowledged only after its own flush, in order. Group *n + 1* is checked against
/// the durable state plus group *n*'s writes; when group *n*'s flush fails, the store is poisoned as
/// before and every commit of group *n + 1* fails with it too, none of its bytes written. The exclusive
/// `flock` is held from group *n*'s preparation until the last group of the run is published.
extension FileRecordStore {
    /// A commit waiting in the queue, with its continuation.
    typealias QueuedCommit = (
        mutations: [Mutation], continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>
    )

    /// Commits `first` and then, group after group, the commits that arrive while the group before is
    /// flushed, with the turn taken (on the committer's queue); passes the turn on at the end.
    func commitPipelined(_ first: [QueuedCommit]) {
        do throws(StoreError) {
            try lockFile.lock(exclusive: true)
        } catch {
            finishTurn(followers: first, results: first.map { _ in .failure(error) })
            return
        }
        var commits = first
        var step = engine.withLock { $0.prepareGroup(first.map(\.mutations)) }
        var acknowledged: [(QueuedCommit, Result<UInt64, StoreError>)] = []
        while true {
            guard case .flush(let prepared) = step else {
                // Only the first group gets here (a later one ends the run below): nothing to write.
                if case .finished(let results) = step { finishTurn(followers: commits, results: results) }
                return
            }
            let flush = FlushInFlight()
            let flushHook = self.flushHook
            flusher.async {
                let started = DispatchTime.now().uptimeNanoseconds
                let error = FileEngine.flush(prepared, hook: flushHook)
                flush.finish(error, nanoseconds: DispatchTime.now().uptimeNanoseconds - started)
            }
            resume(acknowledged)
            acknowledged = []
            let (next, nextStep) = prepareBehind(prepared, while: flush)
            let (flushError, nanoseconds) = flush.outcome()
            turns.withLock { $0.lastFlushNanoseconds = nanoseconds }
            var continuing = false
            if case .flush = nextStep { continuing = true }
            let results = engine.withLock {
                $0.finishGroup(prepared, flushError: flushError, continuing: continuing)
            }
            guard let nextStep else {
                finishTurn(followers: commits, results: results)
                return
            }
            if let flushError {
                finishTurn(
                    followers: commits + next,
                    results: results + FileEngine.abandoned(nextStep, flushError: flushError))
                return
            }
            guard continuing else {
                // Nothing of group n + 1 to write: every one of its batches failed its checks.
                if case .finished(let nextResults) = nextStep {
                    finishTurn(followers: commits + next, results: results + nextResults)
                }
                return
            }
            // Group n is durable and published: its callers are resumed once group n + 1's flush has
            // started, so that the disk is not kept waiting for them.
            let succeeded = results.contains {
                if case .success = $0 { return true }
                return false
            }
            turns.withLock { $0.returning = succeeded ? results.count : 0 }
            acknowledged = Array(zip(commits, results))
            commits = next
            step = nextStep
        }
    }

    /// While `previous` is flushed, checks and encodes the commits that wait and keep arriving, as the
    /// next group, until the flush ends; not when the pipeline should stop (``CommitTurns/pipelines``,
    /// a compaction due, the store failed).
    /// - Returns: The next group's commits and its step; `nil` when no commit was taken.
    private func prepareBehind(_ previous: FileEngine.PreparedGroup, while flush: FlushInFlight)
        -> ([QueuedCommit], FileEngine.GroupStep?)
    {
        guard turns.withLock({ $0.pipelines }),
            var group = engine.withLock({ engine -> FileEngine.OpenGroup? in
                guard engine.failure == nil, !engine.shouldCompact else { return nil }
                return engine.openGroup(after: previous)
            })
        else { return ([], nil) }
        var taken: [QueuedCommit] = []
        while true {
            let arrived = turns.withLock { turns in
                let arrived = turns.takeFollowers()
                turns.preparedAhead += arrived.count
                // Nothing waits: a commit that joins now, or the flush's end, wakes this loop.
                if arrived.isEmpty { turns.gathering = (1, flush.wake) }
                return arrived
            }
            if !arrived.isEmpty {
                engine.withLock { $0.append(arrived.map(\.mutations), to: &group) }
                taken += arrived
                continue
            }
            if flush.isDone { break }
            flush.wake.wait()
        }
        turns.withLock { turns in
            turns.gathering = nil
            turns.preparedAhead = 0
        }
        guard !taken.isEmpty else { return ([], nil) }
        return (taken, engine.withLock { $0.seal(group, following: true) })
    }

    /// Resumes the callers of a group acknowledged.
    private func resume(_ acknowledged: [(QueuedCommit, Result<UInt64, StoreError>)]) {
        for (commit, result) in acknowledged {
            commit.continuation.resume(returning: result)
        }
    }
}

/// A group's flush on ``FileRecordStore/flusher``: its outcome, and the semaphore that wakes the
/// committer's queue when it ends (or when a commit joins the queue meanwhile).
final class FlushInFlight: Sendable {
    let wake = DispatchSemaphore(value: 0)
    private let result = LockedValue<(error: StoreError?, nanoseconds: UInt64)?>(nil)

    /// Whether the flush ended.
    var isDone: Bool { result.withLock { $0 != nil } }

    /// Called on the flusher once the group is durable, or its write or flush failed.
    func finish(_ error: StoreError?, nanoseconds: UInt64) {
        result.withLock { $0 = (error, nanoseconds) }
        wake.signal()
    }

    /// Waits for the end of the flush.
    /// - Returns: Its failure, or `nil` once the group is durable; and how long the write and flush took.
    func outcome() -> (error: StoreError?, nanoseconds: UInt64) {
        while true {
            if let done = result.withLock({ $0 }) { return done }
            wake.wait()
        }
    }
}
