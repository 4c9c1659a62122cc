#if PostgreSQL
    import DapodikLocking

    /// The error of ``withTimeLimit(_:_:)`` when the time ran out first.
    struct TimeLimitExceeded: Error {}

    /// The result of `body`, or ``TimeLimitExceeded`` once `limit` has passed.
    ///
    /// Unlike a task group, it does not wait for `body` to notice its cancellation: a query already on
    /// the wire ends when the server answers (its connection then returns to the pool), and the caller
    /// gets its answer on time.
    func withTimeLimit<Result: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                race.start(continuation)
                let operation = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                let timer = Task {
                    do {
                        try await Task.sleep(for: limit)
                        race.finish(.failure(TimeLimitExceeded()))
                    } catch {}
                }
                race.track([operation, timer])
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first of an operation and a timer to finish resumes the caller and cancels the other.
    private final class Race<Result: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            var tasks: [Task<Void, Never>] = []
            var isFinished = false
        }

        private let state = LockedValue(State())

        func start(_ continuation: CheckedContinuation<Result, any Error>) {
            let early = state.withLock { state -> Bool in
                if state.isFinished { return true }
                state.continuation = continuation
                return false
            }
            if early { continuation.resume(throwing: CancellationError()) }
        }

        func track(_ tasks: [Task<Void, Never>]) {
            let finished = state.withLock { state -> Bool in
                if !state.isFinished { state.tasks = tasks }
                return state.isFinished
            }
            if finished { for task in tasks { task.cancel() } }
        }

        func finish(_ result: Swift.Result<Result, any Error>) {
            let taken: (CheckedContinuation<Result, any Error>?, [Task<Void, Never>]) = state.withLock { state in
                guard !state.isFinished else { return (nil, []) }
                state.isFinished = true
                let taken = (state.continuation, state.tasks)
                state.continuation = nil
                return taken
            }
            let (continuation, tasks) = taken
            continuation?.resume(with: result)
            for task in tasks { task.cancel() }
        }
    }
#endif
