#if SMTP
    import DapodikLocking

    /// A clock that moves only when the test says so, and tells the test when someone sleeps on
    /// it, so a time limit can be made to pass without waiting for it.
    final class ManualClock: Clock {
        struct Instant: InstantProtocol {
            var offset: Duration
            func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
            func duration(to other: Instant) -> Duration { other.offset - offset }
            static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
        }

        private struct Sleeper {
            var id: Int
            var deadline: Instant
            var duration: Duration
            var continuation: CheckedContinuation<Void, any Error>
        }

        private struct State {
            var now = Instant(offset: .zero)
            var nextID = 0
            var sleepers: [Sleeper] = []
            var cancelled: Set<Int> = []
            var watchers: [(duration: Duration, continuation: CheckedContinuation<Void, Never>)] = []
        }

        private let state = LockedValue(State())

        var now: Instant { state.withLock { $0.now } }
        var minimumResolution: Duration { .zero }

        func sleep(until deadline: Instant, tolerance: Duration?) async throws {
            let id = state.withLock { state in
                state.nextID += 1
                return state.nextID
            }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    let outcome: Result<Void, any Error>? = state.withLock { state in
                        if state.cancelled.remove(id) != nil { return .failure(CancellationError()) }
                        if deadline <= state.now { return .success(()) }
                        let duration = state.now.duration(to: deadline)
                        state.sleepers.append(
                            Sleeper(id: id, deadline: deadline, duration: duration, continuation: continuation))
                        let (ready, waiting) = (
                            state.watchers.filter { $0.duration == duration },
                            state.watchers.filter { $0.duration != duration }
                        )
                        state.watchers = waiting
                        for watcher in ready { watcher.continuation.resume() }
                        return nil
                    }
                    if let outcome { continuation.resume(with: outcome) }
                }
            } onCancel: {
                let sleeper: Sleeper? = state.withLock { state in
                    guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else {
                        state.cancelled.insert(id)
                        return nil
                    }
                    return state.sleepers.remove(at: index)
                }
                sleeper?.continuation.resume(throwing: CancellationError())
            }
        }

        /// Moves the clock forward and wakes every sleeper whose deadline has come.
        func advance(by duration: Duration) {
            let due: [Sleeper] = state.withLock { state in
                state.now = state.now.advanced(by: duration)
                let now = state.now
                let due = state.sleepers.filter { $0.deadline <= now }
                state.sleepers.removeAll { $0.deadline <= now }
                return due
            }
            for sleeper in due { sleeper.continuation.resume() }
        }

        /// Returns once someone sleeps for exactly this duration (or already does).
        func waitForSleeper(lasting duration: Duration) async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let already = state.withLock { state in
                    if state.sleepers.contains(where: { $0.duration == duration }) { return true }
                    state.watchers.append((duration, continuation))
                    return false
                }
                if already { continuation.resume() }
            }
        }
    }
#endif
