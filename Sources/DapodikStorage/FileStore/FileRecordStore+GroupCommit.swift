import DapodikLocking
import Dispatch

/// Who may commit now, and who waits: leader/follower group commit (issue 15).
///
/// The first commit that finds no one committing takes the turn and commits its batch itself, on its
/// caller's thread: no queue, no thread switch, no wake-up when a single client commits. Right after
/// a group of several commits it does not: it waits on the committer's queue like the rest (several
/// clients commit, and a cooperative thread blocked in `fdatasync` would stall them all; measured,
/// `Documentation/PerformanceHistory.md`, "The durable cycle, seventh pass"). Commits that
/// arrive meanwhile wait here, in order; when the leader's group is durable and published, the turn
/// passes to the committer's queue, which commits every waiting commit as one group (one frame, one
/// `fdatasync`), again and again while commits keep arriving, and frees the turn once none waits.
/// Groups of waiting commits are flushed there, not on a caller's thread: a thread of Swift's
/// cooperative pool (two on two cores) blocked in `fdatasync` would halve the threads left for the
/// clients' own work (measured: 8 clients at 0.2–0.6× the throughput, `Documentation/PerformanceHistory.md`).
/// A compaction or an import waits for the turn the same way and runs on the committer's queue while
/// holding it, so no group is ever in flight beside it.
///
/// Where the disk flushes in tens of microseconds (an SSD with power-loss protection, a battery-backed
/// controller), a thread blocked in the flush costs less than handing the group to another thread and
/// waking it: then callers lead groups on their own threads even while several clients commit, and a
/// caller that led one goes on committing the commits that arrived meanwhile
/// (``CommitTurns/callersThreadMaximumFlush``; measured, `Documentation/PerformanceHistory.md`, "The durable
/// cycle on the Intel host").
///
/// Before it commits a group of waiting commits, the committer's queue waits a little for the
/// commits of the group it has just acknowledged to come back (``beginGathering()``), when the disk's
/// flush is slow enough for that to pay (``GatheringPolicy``): their clients usually commit again at
/// once, and without the wait they would always miss the next group and wait for the one after it, so
/// that eight clients formed two alternating groups of about four (measured,
/// `Documentation/PerformanceHistory.md`, "The durable cycle at eight clients").
struct CommitTurns {
    /// A caller waiting for the turn.
    enum Waiter {
        /// A commit: resumed with its result once a group committed it.
        case commit(EncodedBatch, CheckedContinuation<Result<UInt64, StoreError>, Never>)
        /// A compaction or an import: resumed once it holds the turn.
        case exclusive(CheckedContinuation<Void, Never>)
    }

    /// The waiting callers, in arrival order.
    var waiters: [Waiter] = []
    /// Whether someone holds the turn: a leader committing a group (on its caller's thread, or on the
    /// committer's queue while it waits for another process's `flock`), or a compaction or import.
    var leading = false
    /// Set by ``FileRecordStore/holdCommits()``: commits wait until ``FileRecordStore/resumeCommits()``.
    var held = false
    /// How many commits the group acknowledged last held: their callers may commit again at once.
    var returning = 0
    /// Whether the group acknowledged last held more than one commit that succeeded: several clients
    /// commit, so a commit that finds the turn free goes to the committer's queue instead of being
    /// flushed on its caller's thread (``takeLeadOnCallersThread()``).
    var severalCommitting = false
    /// How long the last group's write and flush (`pwrite` and `fdatasync`) took, in nanoseconds.
    var lastFlushNanoseconds: UInt64 = 0
    /// While the committer's queue waits for returning commits: how many waiting commits end the
    /// wait, and what wakes it.
    var gathering: (target: Int, wake: DispatchSemaphore)?
    /// Set by ``FileRecordStore/close()``: no more waiting for returning commits.
    var closed = false
    /// When to wait for returning commits, and how long.
    let gatheringPolicy: GatheringPolicy
    /// The longest last flush, in nanoseconds, after which groups are still committed on callers'
    /// threads while several clients commit (``takeLeadOnCallersThread()``,
    /// ``takeFollowersOnCallersThread(groupsCommitted:)``); 0 for never.
    let callersThreadMaximumFlush: UInt64
    /// The most groups a caller commits on its own thread before it hands the turn on: its own answer
    /// waits for them.
    static let maximumGroupsOnCallersThread = 8

    init(gatheringPolicy: GatheringPolicy, callersThreadMaximumFlush: UInt64 = 0) {
        self.gatheringPolicy = gatheringPolicy
        self.callersThreadMaximumFlush = callersThreadMaximumFlush
    }

    /// Whether the last group's write and flush took less than ``callersThreadMaximumFlush``.
    var flushIsFast: Bool { lastFlushNanoseconds < callersThreadMaximumFlush }

    /// Takes the turn for a commit on its caller's thread: only while one client commits (the last
    /// group held at most one commit that succeeded) or the last flush was fast (``flushIsFast``), no
    /// one holds the turn and commits are not held. With several clients and a slow flush, a caller's
    /// thread blocked in `fdatasync` is one of the cooperative pool's few threads (two on two cores)
    /// taken from all of them, and their commits, synchronized by the group before, would pile up
    /// behind it.
    mutating func takeLeadOnCallersThread() -> Bool {
        guard !severalCommitting || flushIsFast else { return false }
        return takeLead()
    }

    /// The commits that waited while a caller's group was flushed, for that caller to commit as its
    /// next group on its own thread: only while the flush is fast (``flushIsFast``) and the caller has
    /// committed fewer than ``maximumGroupsOnCallersThread`` groups; otherwise none, and the caller
    /// passes the turn on.
    /// - Parameter groupsCommitted: How many groups the caller has committed so far.
    mutating func takeFollowersOnCallersThread(groupsCommitted: Int) -> [(
        batch: EncodedBatch, continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>
    )] {
        guard flushIsFast, groupsCommitted < Self.maximumGroupsOnCallersThread else { return [] }
        return takeFollowers()
    }

    /// Takes the turn for a commit if no one holds it and commits are not held.
    mutating func takeLead() -> Bool {
        guard !leading, !held else { return false }
        leading = true
        return true
    }

    /// Removes and returns the commits waiting at the head of the queue (up to the first compaction
    /// or import): the followers of the group about to be written.
    mutating func takeFollowers() -> [(
        batch: EncodedBatch, continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>
    )] {
        guard !held else { return [] }
        var followers: [(batch: EncodedBatch, continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>)] =
            []
        for waiter in waiters {
            guard case .commit(let batch, let continuation) = waiter else { break }
            followers.append((batch, continuation))
        }
        waiters.removeFirst(followers.count)
        return followers
    }

    /// Where the turn goes after a group or a compaction.
    enum NextTurn {
        /// Commits wait: the committer's queue keeps the turn and commits them.
        case drain
        /// A compaction or an import, removed from the queue, holds the turn now.
        case exclusive(CheckedContinuation<Void, Never>)
        /// No one waits (or only held commits): the turn is free.
        case free
    }

    /// Passes the turn on. While commits are held, only a compaction or an import may have it. After
    /// a group of two commits or more, the committer's queue keeps the turn even when none waits yet,
    /// if it is to wait for returning commits (``beginGathering()``).
    mutating func nextTurn() -> NextTurn {
        let index =
            held
            ? waiters.firstIndex {
                if case .exclusive = $0 { return true }
                return false
            } : waiters.indices.first
        guard let index else {
            // No one waits, but the callers of a group just acknowledged may commit again at once:
            // the committer's queue keeps the turn and waits for them a little (beginGathering).
            if returning > 1, !held, !closed, gatheringPolicy.wait(afterFlushOf: lastFlushNanoseconds) > 0 {
                return .drain
            }
            leading = false
            return .free
        }
        guard case .exclusive(let continuation) = waiters[index] else { return .drain }
        waiters.remove(at: index)
        return .exclusive(continuation)
    }

    /// Starts waiting for the commits of the group acknowledged last, before the next group is taken:
    /// until as many commits wait as now plus that group's, for as long as ``gatheringPolicy`` says
    /// after the last flush. Only when two commits or more are involved (several callers, not a
    /// single client), none is held and no compaction or import waits.
    /// - Returns: What to wait on and for how long; `nil` when not to wait.
    mutating func beginGathering() -> (wake: DispatchSemaphore, nanoseconds: UInt64)? {
        let returning = self.returning
        self.returning = 0
        let wait = gatheringPolicy.wait(afterFlushOf: lastFlushNanoseconds)
        guard returning > 0, returning + waiters.count > 1, wait > 0, !held, !closed,
            queuedCommitCount == waiters.count
        else { return nil }
        let wake = DispatchSemaphore(value: 0)
        gathering = (waiters.count + returning, wake)
        return (wake, wait)
    }

    /// Called by ``FileRecordStore/close()``: ends a wait for returning commits and allows no more.
    /// - Returns: The semaphore to signal, if the committer's queue waits.
    mutating func close() -> DispatchSemaphore? {
        closed = true
        defer { gathering = nil }
        return gathering?.wake
    }

    /// Called after a commit joined the queue: ends the committer's wait once enough commits wait.
    /// - Returns: The semaphore to signal, if this commit ends the wait.
    mutating func joined() -> DispatchSemaphore? {
        guard let gathering, waiters.count >= gathering.target else { return nil }
        self.gathering = nil
        return gathering.wake
    }

    /// How many commits wait.
    var queuedCommitCount: Int {
        waiters.count {
            if case .commit = $0 { return true }
            return false
        }
    }
}

/// When a group of waiting commits waits for the callers of the group acknowledged before it to
/// commit again (``CommitTurns/beginGathering()``), and for how long.
///
/// A commit that misses a group waits for that group's whole flush and then its own; waiting pays
/// when the flush is long against the time a caller needs to come back: its next commit, and the
/// wake-ups of the caller's thread and then of the committer's, which a virtual machine pays in
/// exits to its host (the gap between groups grew by about 250 µs with the wait on a 2-vCPU one).
/// Gathering turns groups of about half the clients, alternating, into one group of all of them, so
/// it gains about twice the flush against the flush plus that time: nothing when they are equal.
/// Measured (`Documentation/PerformanceHistory.md`, fourteenth and fifteenth passes): with flushes of 0.5–4 ms
/// the wait made 1.6–2.1× the cycles, with flushes of 140–220 µs it cost a fifth; on a loop device whose
/// flushes sat near 400 µs, waiting from 200 or 300 µs made 1.14× and 1.08×, while 300 µs cost a tenth on
/// a disk whose flushes sat near 230 µs; hence waiting only from 500 µs
/// (``FileRecordStore/Options/gatheringMinimumFlush``).
struct GatheringPolicy: Sendable {
    /// The longest wait, in nanoseconds; 0 turns the wait off.
    var limit: UInt64
    /// Whether the flush decides: no wait after one shorter than ``minimumFlush``, else at most half
    /// of it. Tests turn it off to wait for the whole ``limit`` whatever the flush took.
    var boundedByFlush: Bool
    /// The shortest flush (`pwrite` and `fdatasync` of the last group), in nanoseconds, after which
    /// to wait.
    var minimumFlush: UInt64

    /// How long to wait after a flush that took `flush` nanoseconds; 0 for not at all.
    func wait(afterFlushOf flush: UInt64) -> UInt64 {
        guard boundedByFlush else { return limit }
        guard flush >= minimumFlush else { return 0 }
        return min(flush / 2, limit)
    }
}

extension GatheringPolicy {
    /// The policy of a store opened with `options`.
    init(_ options: FileRecordStore.Options) {
        self.init(
            limit: FileRecordStore.nanoseconds(options.gatheringLimit), boundedByFlush: options.gatheringBoundedByFlush,
            minimumFlush: FileRecordStore.nanoseconds(options.gatheringMinimumFlush))
    }
}

extension FileRecordStore {
    /// Commits a batch that ``StoreLimits`` accepted: on the caller's thread when no one else
    /// commits, otherwise in the next group the committer's queue commits.
    func commitValidated(_ mutations: [Mutation]) async -> Result<UInt64, StoreError> {
        // Keys and index values are hashed, and the log bytes encoded, here on the caller's thread,
        // not on the one committing the group (with many clients, the committer's thread is the limit).
        let batch = EncodedBatch(mutations)
        // Held until the result is back, so that the batch's memory is freed on this thread, not on the
        // committer's when it lets go of the group (its last reference otherwise).
        defer { withExtendedLifetime(batch) {} }
        if turns.withLock({ $0.takeLeadOnCallersThread() }) {
            return await lead(own: batch)
        }
        return await withCheckedContinuation {
            (continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>) in
            let (drain, wake) = turns.withLock { turns in
                turns.waiters.append(.commit(batch, continuation))
                // The turn came free meanwhile: the committer's queue takes it and commits the queue.
                return (turns.takeLead(), turns.joined())
            }
            wake?.signal()
            if drain { committer.async { self.leadFromQueue() } }
        }
    }

    /// Commits the leader's batch and the commits waiting now (normally none) as one group, on the
    /// caller's thread; while the flush is fast, also the commits that arrived meanwhile, group after
    /// group (``CommitTurns/takeFollowersOnCallersThread(groupsCommitted:)``). Then passes the turn
    /// on and resumes the others.
    /// - Returns: The leader's own result.
    private func lead(own: EncodedBatch) async -> Result<UInt64, StoreError> {
        var followers = turns.withLock { $0.takeFollowers() }
        let results = await commitGroupOnCallersThread([own] + followers.map(\.batch))
        var groupsCommitted = 1
        var holdsTurn = finishTurn(followers: followers, results: results, keepingTurn: true)
        while holdsTurn {
            followers = turns.withLock { $0.takeFollowersOnCallersThread(groupsCommitted: groupsCommitted) }
            if followers.isEmpty {
                passTurn()
                break
            }
            let groupResults = await commitGroupOnCallersThread(followers.map(\.batch))
            groupsCommitted += 1
            holdsTurn = finishTurn(followers: followers, results: groupResults, keepingTurn: true)
        }
        return results[0]
    }

    /// Commits the batches as one group on the caller's thread; only when another process holds the
    /// `flock` does the group wait for it on the committer's queue (a caller's thread belongs to
    /// Swift's small cooperative pool and must not wait for another process).
    /// - Returns: Each batch's result, in order.
    private func commitGroupOnCallersThread(_ batches: [EncodedBatch]) async -> [Result<UInt64, StoreError>] {
        if let committed = commitGroupIfUnlocked(batches) { return committed }
        return await withCheckedContinuation { continuation in
            committer.async { continuation.resume(returning: self.commitGroupWaitingForLock(batches)) }
        }
    }

    /// Commits the waiting commits as one group, on the committer's queue, with the turn taken; then
    /// passes the turn on (to this queue again while commits keep arriving).
    func leadFromQueue() {
        gatherReturningCommits()
        let followers = turns.withLock { $0.takeFollowers() }
        if followers.isEmpty {
            passTurn()
            return
        }
        let results = commitGroupWaitingForLock(followers.map(\.batch))
        finishTurn(followers: followers, results: results)
    }

    /// Waits on the committer's queue, briefly, for the callers of the group just acknowledged to
    /// commit again (``CommitTurns/beginGathering()``), so that they join the next group.
    private func gatherReturningCommits() {
        guard let (wake, nanoseconds) = turns.withLock({ $0.beginGathering() }) else { return }
        if wake.wait(timeout: .now() + .nanoseconds(Int(nanoseconds))) == .timedOut {
            // A commit joining from now on finds no wait to end; a signal already sent is dropped
            // with the semaphore.
            turns.withLock { $0.gathering = nil }
        }
    }

    /// Takes the exclusive `flock` if no other process holds it, then commits the batches as one
    /// group (``writeGroup(_:)``).
    /// - Returns: Each batch's result, in order; `nil` when another process holds the lock (nothing
    ///   was done).
    private func commitGroupIfUnlocked(_ batches: [EncodedBatch]) -> [Result<UInt64, StoreError>]? {
        do throws(StoreError) {
            guard try lockFile.tryLockExclusive() else { return nil }
        } catch {
            return batches.map { _ in .failure(error) }
        }
        return writeGroup(batches)
    }

    /// Waits for the exclusive `flock`, then commits the batches as one group (``writeGroup(_:)``).
    /// Only on the committer's queue.
    /// - Returns: Each batch's result, in order.
    private func commitGroupWaitingForLock(_ batches: [EncodedBatch]) -> [Result<UInt64, StoreError>] {
        // The flock first, without the mutex: while another process holds it, reads go on.
        do throws(StoreError) {
            try lockFile.lock(exclusive: true)
        } catch {
            return batches.map { _ in .failure(error) }
        }
        return writeGroup(batches)
    }

    /// Checks, encodes, writes, flushes and publishes the batches as one group
    /// (``FileEngine/prepareGroup(_:)``), the exclusive `flock` held: the flush runs outside the
    /// engine's mutex, so reads are served meanwhile, from the durable state only.
    private func writeGroup(_ batches: [EncodedBatch]) -> [Result<UInt64, StoreError>] {
        switch engine.withLock({ $0.prepareGroup(batches) }) {
        case .finished(let results):
            return results
        case .flush(let prepared):
            let started = DispatchTime.now().uptimeNanoseconds
            let flushError = FileEngine.flush(prepared, hook: flushHook)
            let flushed = DispatchTime.now().uptimeNanoseconds - started
            turns.withLock { $0.lastFlushNanoseconds = flushed }
            return engine.withLock { $0.finishGroup(prepared, flushError: flushError) }
        }
    }

    /// Ends a group: passes the turn on first (to an automatic compaction when one is due, on the
    /// committer's queue), so that the next group can start while this one's commits resume; with
    /// `keepingTurn`, a caller leading on its own thread keeps it (unless a compaction is due) to
    /// pass it on itself.
    /// - Parameters:
    ///   - followers: The commits that waited, resumed here.
    ///   - results: The group's results: the leader's first when a caller led it, then the followers'.
    ///   - keepingTurn: Whether the caller keeps the turn instead of passing it on.
    /// - Returns: Whether the caller still holds the turn.
    @discardableResult
    private func finishTurn(
        followers: [(batch: EncodedBatch, continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>)],
        results: [Result<UInt64, StoreError>], keepingTurn: Bool = false
    ) -> Bool {
        // Callers whose commits all failed (conflicts, a failed flush) are not counted on to return.
        let succeeded = results.contains {
            if case .success = $0 { return true }
            return false
        }
        turns.withLock { turns in
            turns.returning = succeeded ? results.count : 0
            turns.severalCommitting = turns.returning > 1
        }
        if engine.withLock({ $0.failure == nil && $0.shouldCompact }) {
            committer.async {
                // An automatic compaction failing before its switch leaves the old generation in
                // place; after it, the engine poisons itself, and the next call reports that.
                do throws(StoreError) {
                    _ = try self.runCompaction()
                } catch {
                    self.engine.withLock { $0.deferAutomaticCompaction() }
                    self.onAutomaticCompactionFailure?(error)
                }
                self.passTurn()
            }
            resume(followers, results)
            return false
        }
        if !keepingTurn { passTurn() }
        resume(followers, results)
        return keepingTurn
    }

    /// Resumes the commits that waited with their results (the last of `results`).
    private func resume(
        _ followers: [(batch: EncodedBatch, continuation: CheckedContinuation<Result<UInt64, StoreError>, Never>)],
        _ results: [Result<UInt64, StoreError>]
    ) {
        for (follower, result) in zip(followers, results.suffix(followers.count)) {
            follower.continuation.resume(returning: result)
        }
    }

    /// Passes the turn on: to the committer's queue while commits wait, to a waiting compaction or
    /// import, or frees it.
    func passTurn() {
        switch turns.withLock({ $0.nextTurn() }) {
        case .drain: committer.async { self.leadFromQueue() }
        case .exclusive(let continuation): continuation.resume()
        case .free: break
        }
    }

    /// Runs a compaction or an import holding the turn, on the committer's queue: after every group
    /// in flight, before every commit that arrives meanwhile.
    func exclusively<T: Sendable>(_ body: @escaping @Sendable () throws(StoreError) -> T) async throws -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = turns.withLock { turns in
                guard turns.leading else {
                    turns.leading = true
                    return true
                }
                turns.waiters.append(.exclusive(continuation))
                return false
            }
            if now { continuation.resume() }
        }
        return try await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, StoreError>, Never>) in
            committer.async {
                let result = Result { () throws(StoreError) in try body() }
                self.passTurn()
                continuation.resume(returning: result)
            }
        }.get()
    }
}
