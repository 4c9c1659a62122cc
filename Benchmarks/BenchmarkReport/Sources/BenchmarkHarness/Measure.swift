public import BenchmarkReport
import Dispatch
import Foundation
import Synchronization

/// Runs a body repeatedly and times every call with `ContinuousClock`.
public enum Measure {
    /// Times `operations` calls of `body` after `warmUp` untimed ones, on the calling thread.
    /// - Parameters:
    ///   - warmUp: Untimed calls first.
    ///   - operations: Timed calls.
    ///   - body: The operation.
    /// - Returns: The timed calls' latencies and throughput.
    /// - Throws: What `body` throws; the measurement ends there.
    public static func serial(warmUp: Int, operations: Int, _ body: () throws -> Void) rethrows -> Statistics {
        for _ in 0..<warmUp { try body() }
        let clock = ContinuousClock()
        var samples: [Duration] = []
        samples.reserveCapacity(operations)
        let start = clock.now
        for _ in 0..<operations {
            let before = clock.now
            try body()
            samples.append(clock.now - before)
        }
        return Statistics(samples: samples, wallClock: clock.now - start)
    }

    /// Times `operationsPerClient` calls of `body` in each of `clients` concurrent tasks (the client
    /// index is passed in), after `warmUp` untimed calls per client. Throughput is all clients' operations
    /// over the wall-clock time from the first timed call to the last.
    ///
    /// With a `timeLimit`, a client makes no further call once that long has passed since the timed part
    /// began (`operationsPerClient` is then the most it makes): processes that start together stop
    /// together, whatever their speed.
    /// - Parameters:
    ///   - clients: Concurrent tasks.
    ///   - warmUp: Untimed calls per client, all finished before the clock starts.
    ///   - operationsPerClient: Timed calls per client (the most, with a `timeLimit`).
    ///   - timeLimit: How long after the start a client may still begin a call; `nil` for no limit.
    ///   - body: The operation, given the client's index and the call's (warm-up calls first).
    /// - Returns: Every timed call's latency, and the throughput of all clients together.
    /// - Throws: The first error a call throws; the others' tasks are cancelled.
    public static func concurrent(
        clients: Int,
        warmUp: Int,
        operationsPerClient: Int,
        timeLimit: Duration? = nil,
        _ body: @escaping @Sendable (_ client: Int, _ iteration: Int) async throws -> Void
    ) async throws -> Statistics {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask { for iteration in 0..<warmUp { try await body(client, iteration) } }
            }
            try await group.waitForAll()
        }
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = timeLimit.map { start + $0 }
        let samples = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for client in 0..<clients {
                group.addTask {
                    var samples: [Duration] = []
                    samples.reserveCapacity(operationsPerClient)
                    for iteration in warmUp..<(warmUp + operationsPerClient) {
                        let before = clock.now
                        if let deadline, before >= deadline { break }
                        try await body(client, iteration)
                        samples.append(clock.now - before)
                    }
                    return samples
                }
            }
            var all: [Duration] = []
            for try await part in group { all += part }
            return all
        }
        return Statistics(samples: samples, wallClock: clock.now - start)
    }

    /// Like ``concurrent(clients:warmUp:operationsPerClient:_:)`` for blocking work (SQLite): each client
    /// is its own OS thread with its own state (a connection), made on that thread and never shared, so
    /// eight blocked clients really are eight, whatever the core count. All clients finish their warm-up
    /// before the clock starts.
    /// - Parameters:
    ///   - clients: Threads.
    ///   - warmUp: Untimed calls per client.
    ///   - operationsPerClient: Timed calls per client.
    ///   - makeClient: Makes a client's state, on its thread.
    ///   - body: The operation, given the client's state and the call's index (warm-up calls first).
    /// - Returns: Every timed call's latency, and the throughput of all clients together.
    /// - Throws: ``ClientFailure`` naming the first failure of `makeClient` or `body`; a client that
    ///   failed makes no further call, the others finish.
    public static func threads<Client>(
        clients: Int,
        warmUp: Int,
        operationsPerClient: Int,
        makeClient: @escaping @Sendable (_ client: Int) throws -> Client,
        _ body: @escaping @Sendable (_ state: inout Client, _ iteration: Int) throws -> Void
    ) throws -> Statistics {
        let failures = Mutex<[String]>([])
        let collected = Mutex<[Duration]>([])
        let clock = ContinuousClock()
        let ready = DispatchGroup()
        let finished = DispatchGroup()
        let go = DispatchSemaphore(value: 0)
        for client in 0..<clients {
            ready.enter()
            finished.enter()
            let thread = Thread {
                var state: Client?
                do {
                    var made = try makeClient(client)
                    for iteration in 0..<warmUp { try body(&made, iteration) }
                    state = made
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
                ready.leave()
                go.wait()
                if var state {
                    var samples: [Duration] = []
                    samples.reserveCapacity(operationsPerClient)
                    do {
                        for iteration in warmUp..<(warmUp + operationsPerClient) {
                            let before = clock.now
                            try body(&state, iteration)
                            samples.append(clock.now - before)
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                    collected.withLock { $0 += samples }
                }
                finished.leave()
            }
            thread.start()
        }
        ready.wait()
        let start = clock.now
        for _ in 0..<clients { go.signal() }
        finished.wait()
        let wall = clock.now - start
        if let failure = failures.withLock({ $0.first }) { throw ClientFailure(description: failure) }
        return Statistics(samples: collected.withLock { $0 }, wallClock: wall)
    }
}

/// A client of a measurement failed, or processes meant to measure together did not meet; the run
/// is void.
public struct ClientFailure: Error, CustomStringConvertible {
    /// What failed.
    public var description: String

    /// A failure described.
    /// - Parameter description: What failed.
    public init(description: String) {
        self.description = description
    }
}
