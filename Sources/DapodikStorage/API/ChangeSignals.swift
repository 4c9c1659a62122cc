import DapodikLocking

/// The waiting side of ``RecordStore/waitForChanges(in:since:atMost:)`` for a store that hears about
/// changes: counts signals per collection and wakes the readers waiting for them.
///
/// Many readers may wait at once (several dispatchers in one process); each returns when its
/// collection's count has moved past its mark, when its bound passes, or when its task is cancelled.
package final class ChangeSignals: Sendable {
    private struct Waiter {
        var collection: String
        var continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        /// By the collections' bytes, as keys compare them: a signal for one of two names equal only
        /// canonically does not move the other's marks.
        var counts: [ExactString: UInt64] = [:]
        /// Signals for every collection at once (the store may have missed some).
        var everything: UInt64 = 0
        var waiters: [UInt64: Waiter] = [:]
        /// The waits in progress, registered or about to be.
        var active: Set<UInt64> = []
        /// Waits ended (bound passed, task cancelled) before they registered.
        var ended: Set<UInt64> = []
        var nextWaiter: UInt64 = 0

        func count(for collection: String) -> UInt64 {
            counts[ExactString(collection), default: 0] &+ everything
        }

        /// Removes the readers waiting for a collection `isSignalled` accepts, for the caller to wake
        /// after leaving the lock.
        mutating func takeWaiters(of isSignalled: (String) -> Bool) -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            let ids = waiters.filter { isSignalled($0.value.collection) }.map(\.key)
            return ids.compactMap { waiters.removeValue(forKey: $0)?.continuation }
        }
    }

    private let state = LockedValue(State())

    /// Counts nothing yet.
    package init() {}

    /// The mark for `collection` now.
    /// - Parameter collection: The collection.
    /// - Returns: The number of signals that concern it so far.
    package func mark(for collection: String) -> ChangeSignalMark {
        ChangeSignalMark(state.withLock { $0.count(for: collection) })
    }

    /// Records that `collection` may have changed, and wakes the readers waiting for it.
    /// - Parameter collection: The collection.
    package func signal(_ collection: String) {
        let woken = state.withLock { state in
            state.counts[ExactString(collection), default: 0] &+= 1
            return state.takeWaiters { utf8Equal($0, collection) }
        }
        for continuation in woken { continuation.resume() }
    }

    /// Records that the collections a commit wrote may have changed, and wakes the readers waiting for
    /// them: ``signal(_:)`` for each collection of `mutations`, under one lock and without a set of them
    /// (a collection that recurs apart in the batch is counted again, which only moves its marks on).
    /// - Parameter mutations: The commit's mutations.
    package func signal(collectionsOf mutations: [Mutation]) {
        let woken = state.withLock { state in
            for (position, mutation) in mutations.enumerated()
            where position == 0 || !utf8Equal(mutations[position - 1].key.collection, mutation.key.collection) {
                state.counts[ExactString(mutation.key.collection), default: 0] &+= 1
            }
            return state.takeWaiters { collection in mutations.contains { utf8Equal($0.key.collection, collection) } }
        }
        for continuation in woken { continuation.resume() }
    }

    /// Records that any collection may have changed (signals may have been missed), and wakes every
    /// waiting reader.
    package func signalEverything() {
        let woken = state.withLock { state in
            state.everything &+= 1
            defer { state.waiters = [:] }
            return state.waiters.values.map(\.continuation)
        }
        for continuation in woken { continuation.resume() }
    }

    /// Waits until `collection`'s count passes `mark`, `limit` has passed, or the task is cancelled.
    /// - Parameters:
    ///   - collection: The collection.
    ///   - mark: The mark the caller took before it read.
    ///   - limit: The longest wait.
    package func wait(for collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        let id = state.withLock { state in
            state.nextWaiter &+= 1
            state.active.insert(state.nextWaiter)
            return state.nextWaiter
        }
        let timer = Task {
            do {
                try await Task.sleep(for: limit)
                self.wake(id)
            } catch {}
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                // The cancellation flag is set before the handler runs, and both sides take the lock:
                // a waiter registered here is either seen by the handler or never registered.
                let waiting = state.withLock { state in
                    guard state.count(for: collection) == mark.count, !Task.isCancelled,
                        state.ended.remove(id) == nil
                    else {
                        return false
                    }
                    state.waiters[id] = Waiter(collection: collection, continuation: continuation)
                    return true
                }
                if !waiting { continuation.resume() }
            }
        } onCancel: {
            wake(id)
        }
        timer.cancel()
        state.withLock { state in
            state.active.remove(id)
            state.ended.remove(id)
        }
    }

    /// Ends one wait (its bound passed, or its task was cancelled), if it is still waiting.
    private func wake(_ id: UInt64) {
        let waiter = state.withLock { state in
            if let waiter = state.waiters.removeValue(forKey: id) { return Optional(waiter) }
            if state.active.contains(id) { state.ended.insert(id) }
            return nil
        }
        waiter?.continuation.resume()
    }
}
