import DapodikLocking
import Dispatch

/// Who may commit now, and who waits: leader/follower group commit (issue 15).
///
/// The first commit that finds no one committing takes the turn and commits its batch itself, on its
/// caller's thread: no queue, no thread switch, no wake-up when a single client commits. Commits that
/// arrive meanwhile wait here, in order; when the leader's group is durable and published, it hands
/// the turn to the first of them, which leads the next group: its own batch together with every
/// commit that waits by then, written as one frame and made durable by one `fdatasync`. A compaction
/// or an import waits for the turn the same way and runs on the committer's queue while holding it, so
/// no group is ever in flight beside it.
struct CommitTurns {
    /// A caller waiting for the turn.
    enum Waiter {
        /// A commit: resumed with its result when a group committed it, or with the turn to lead.
        case commit([Mutation], CheckedContinuation<CommitTurn, Never>)
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

    /// Takes the turn for a commit if no one holds it and commits are not held.
    mutating func takeLead() -> Bool {
        guard !leading, !held else { return false }
        leading = true
        return true
    }

    /// Removes and returns the commits waiting at the head of the queue (up to the first compaction
    /// or import): the followers of the group about to be written.
    mutating func takeFollowers() -> [(mutations: [Mutation], continuation: CheckedContinuation<CommitTurn, Never>)] {
        guard !held else { return [] }
        var followers: [(mutations: [Mutation], continuation: CheckedContinuation<CommitTurn, Never>)] = []
        for waiter in waiters {
            guard case .commit(let mutations, let continuation) = waiter else { break }
            followers.append((mutations, continuation))
        }
        waiters.removeFirst(followers.count)
        return followers
    }

    /// The waiter the turn passes to, removed from the queue (the turn stays taken), or `nil` when
    /// no one may have it (then the turn is free). While commits are held, only a compaction or an
    /// import may.
    mutating func nextTurn() -> Waiter? {
        let index =
            held
            ? waiters.firstIndex {
                if case .exclusive = $0 { return true }
                return false
            } : waiters.indices.first
        guard let index else {
            leading = false
            return nil
        }
        return waiters.remove(at: index)
    }

    /// How many commits wait.
    var queuedCommitCount: Int {
        waiters.count {
            if case .commit = $0 { return true }
            return false
        }
    }
}

/// What a waiting commit is resumed with.
enum CommitTurn: Sendable {
    /// A leader committed it, with this result.
    case committed(Result<UInt64, StoreError>)
    /// It leads the next group.
    case lead
}

extension FileRecordStore {
    /// Commits a batch that ``StoreLimits`` accepted: as the leader of a group when no one else
    /// commits (or when the turn is handed over), otherwise as a follower in the next group.
    func commitValidated(_ mutations: [Mutation]) async -> Result<UInt64, StoreError> {
        if turns.withLock({ $0.takeLead() }) {
            return await lead(own: mutations)
        }
        let turn = await withCheckedContinuation { (continuation: CheckedContinuation<CommitTurn, Never>) in
            let leadNow = turns.withLock { turns in
                if turns.takeLead() { return true }
                turns.waiters.append(.commit(mutations, continuation))
                return false
            }
            if leadNow { continuation.resume(returning: .lead) }
        }
        switch turn {
        case .committed(let result): return result
        case .lead: return await lead(own: mutations)
        }
    }

    /// Commits the leader's batch and the followers waiting now as one group, on the caller's
    /// thread; only when another process holds the `flock` does the group wait for it on the
    /// committer's queue (a caller's thread belongs to Swift's small cooperative pool and must not
    /// wait for another process). Then hands the turn on and resumes the followers.
    /// - Returns: The leader's own result.
    private func lead(own: [Mutation]) async -> Result<UInt64, StoreError> {
        let followers = turns.withLock { $0.takeFollowers() }
        let batches = [own] + followers.map(\.mutations)
        let results: [Result<UInt64, StoreError>]
        if let committed = commitGroupIfUnlocked(batches) {
            results = committed
        } else {
            results = await withCheckedContinuation { continuation in
                committer.async { continuation.resume(returning: self.commitGroupWaitingForLock(batches)) }
            }
        }
        finishTurn(followers: followers, results: results.dropFirst())
        return results[0]
    }

    /// Leads a group of waiting commits only (``resumeCommits()``), on the committer's queue, with the
    /// turn already taken.
    func leadFromQueue() {
        let followers = turns.withLock { $0.takeFollowers() }
        if followers.isEmpty {
            passTurn()
            return
        }
        let results = commitGroupWaitingForLock(followers.map(\.mutations))
        finishTurn(followers: followers, results: results[...])
    }

    /// Takes the exclusive `flock` if no other process holds it, then commits the batches as one
    /// group (``writeGroup(_:)``).
    /// - Returns: Each batch's result, in order; `nil` when another process holds the lock (nothing
    ///   was done).
    private func commitGroupIfUnlocked(_ batches: [[Mutation]]) -> [Result<UInt64, StoreError>]? {
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
    private func commitGroupWaitingForLock(_ batches: [[Mutation]]) -> [Result<UInt64, StoreError>] {
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
    private func writeGroup(_ batches: [[Mutation]]) -> [Result<UInt64, StoreError>] {
        switch engine.withLock({ $0.prepareGroup(batches) }) {
        case .finished(let results):
            return results
        case .flush(let prepared):
            let flushError = FileEngine.flush(prepared, hook: flushHook)
            return engine.withLock { $0.finishGroup(prepared, flushError: flushError) }
        }
    }

    /// Ends a group: hands the turn on first (to an automatic compaction when one is due, on the
    /// committer's queue), so that the next group can start while this one's followers resume.
    private func finishTurn(
        followers: [(mutations: [Mutation], continuation: CheckedContinuation<CommitTurn, Never>)],
        results: ArraySlice<Result<UInt64, StoreError>>
    ) {
        if engine.withLock({ $0.failure == nil && $0.shouldCompact }) {
            committer.async {
                // An automatic compaction failing before its switch leaves the old generation in
                // place; after it, the engine poisons itself. Either way the next call reports it.
                _ = try? self.runCompaction()
                self.passTurn()
            }
        } else {
            passTurn()
        }
        for (follower, result) in zip(followers, results) {
            follower.continuation.resume(returning: .committed(result))
        }
    }

    /// Passes the turn to the next waiter, or frees it.
    func passTurn() {
        switch turns.withLock({ $0.nextTurn() }) {
        case .commit(_, let continuation)?: continuation.resume(returning: .lead)
        case .exclusive(let continuation)?: continuation.resume()
        case nil: break
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
