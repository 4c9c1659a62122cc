#if PostgreSQL
    import DapodikLocking
    import PostgresNIO

    /// The error of ``withTimeLimit(_:_:)`` when the time ran out first.
    struct TimeLimitExceeded: Error {}

    /// A pooled connection found closed, before or while a statement was sent on it.
    struct ConnectionEnded: Error {}

    /// The result of `body`, or ``TimeLimitExceeded`` once `limit` has passed.
    ///
    /// Unlike a task group, it does not wait for `body` to notice its cancellation: a query already on
    /// the wire ends when the server answers (its connection then returns to the pool), and the caller
    /// gets its answer on time.
    func withTimeLimit<Result: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await firstOf(body, cancellationEndsWait: true) {
            try? await Task.sleep(for: limit)
            return TimeLimitExceeded()
        }
    }

    /// The result of `body` on `connection`, or ``ConnectionEnded`` once the connection is seen
    /// closed while `body` still waits: postgres-nio (1.33) does not always fail a query written as
    /// its connection closes, and the query would wait for the time limit. The connection is looked
    /// at after 50 ms, then at doubling intervals up to a second. Cancellation goes to `body`, and the
    /// wait goes on: the connection stays leased until its statement has ended.
    func whileOpen<Result: Sendable>(
        _ connection: PostgresConnection, _ body: @escaping @Sendable () async throws -> Result
    ) async throws -> Result {
        try await firstOf(body, cancellationEndsWait: false) {
            var interval = Duration.milliseconds(50)
            while (try? await Task.sleep(for: interval)) != nil {
                if connection.isClosed { return ConnectionEnded() }
                interval = min(interval * 2, .seconds(1))
            }
            return nil
        }
    }

    /// The result of `body`, or the error `watcher` returns first; `nil` from the watcher, or its
    /// cancellation, leaves the result to `body`. The loser is cancelled and not waited for. The
    /// caller's cancellation ends the wait with `CancellationError` if `cancellationEndsWait`, and is
    /// passed to `body` otherwise.
    private func firstOf<Result: Sendable>(
        _ body: @escaping @Sendable () async throws -> Result, cancellationEndsWait: Bool,
        watcher: @escaping @Sendable () async -> (any Error)?
    ) async throws -> Result {
        let race = Race<Result>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                race.start(continuation)
                let operation = Task {
                    do { race.finish(.success(try await body())) } catch { race.finish(.failure(error)) }
                }
                let watch = Task {
                    if let error = await watcher(), !Task.isCancelled { race.finish(.failure(error)) }
                }
                race.track([operation, watch])
            }
        } onCancel: {
            if cancellationEndsWait { race.finish(.failure(CancellationError())) } else { race.cancelOperation() }
        }
    }

    /// The first of an operation and its watcher to finish resumes the caller and cancels the other.
    private final class Race<Result: Sendable>: Sendable {
        private struct State {
            var continuation: CheckedContinuation<Result, any Error>?
            var tasks: [Task<Void, Never>] = []
            var isFinished = false
            var isOperationCancelled = false
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

        /// Tracks the operation (first) and its watcher.
        func track(_ tasks: [Task<Void, Never>]) {
            let (finished, operationCancelled) = state.withLock { state in
                if !state.isFinished { state.tasks = tasks }
                return (state.isFinished, state.isOperationCancelled)
            }
            if finished { for task in tasks { task.cancel() } }
            if operationCancelled { tasks.first?.cancel() }
        }

        /// Cancels the operation, now or once it is tracked, and leaves the race to go on.
        func cancelOperation() {
            let operation = state.withLock { state in
                state.isOperationCancelled = true
                return state.tasks.first
            }
            operation?.cancel()
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
