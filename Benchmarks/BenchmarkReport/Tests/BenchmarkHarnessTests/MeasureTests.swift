import BenchmarkHarness
import BenchmarkReport
import Foundation
import Synchronization
import Testing

/// `Measure`, which times every benchmark: how many calls it makes and times, when a time limit stops
/// its clients, and that a failing client voids the run. No test asserts a speed.
@Suite("Timing calls serially, in tasks and on threads")
struct MeasureTests {
    @Test("serial: the warm-up calls are made and not timed; every timed call is one sample")
    func serial() {
        var calls = 0
        let statistics = Measure.serial(warmUp: 3, operations: 10) { calls += 1 }
        #expect(calls == 13)
        #expect(statistics.operations == 10)
    }

    @Test("concurrent: each client gets its index and its calls' indexes, warm-up first; only the rest are timed")
    func concurrentCalls() async throws {
        let seen = Mutex<[Int: [Int]]>([:])
        let statistics = try await Measure.concurrent(clients: 4, warmUp: 2, operationsPerClient: 5) {
            client, iteration in
            seen.withLock { $0[client, default: []].append(iteration) }
        }
        #expect(statistics.operations == 20)
        let calls = seen.withLock { $0 }
        #expect(calls.keys.sorted() == [0, 1, 2, 3])
        for (_, iterations) in calls { #expect(iterations == Array(0..<7)) }
    }

    @Test("concurrent with a time limit: clients stop early, and no call begins after the limit")
    func concurrentTimeLimit() async throws {
        let clock = ContinuousClock()
        let begun = Mutex<[ContinuousClock.Instant]>([])
        let limit = Duration.milliseconds(40)
        let statistics = try await Measure.concurrent(
            clients: 3, warmUp: 0, operationsPerClient: 1_000, timeLimit: limit
        ) { _, _ in
            begun.withLock { $0.append(clock.now) }
            try await Task.sleep(for: .milliseconds(5))
        }
        let starts = begun.withLock { $0 }.sorted()
        // 1,000 calls of at least 5 ms each would take 5 s per client: the limit stopped them.
        #expect(statistics.operations < 3_000)
        #expect(statistics.operations == starts.count)
        // The clock starts just before the first call, so no call begins later than the limit after it.
        let first = try #require(starts.first, "no client made a call")
        #expect(starts.last! - first < limit)
    }

    @Test("concurrent: a client's error ends the measurement with that error")
    func concurrentFailure() async {
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await Measure.concurrent(clients: 4, warmUp: 0, operationsPerClient: 10) { client, iteration in
                if client == 2, iteration == 3 { throw Refused() }
            }
        }
    }

    @Test(
        "threads: each client's state is made and used on a thread of its own, in call order; every timed call is one sample"
    )
    func threads() throws {
        struct Client {
            var thread: ObjectIdentifier
            var iterations: [Int] = []
        }
        let calls = Mutex(0)
        let threads = Mutex<Set<ObjectIdentifier>>([])
        let misplaced = Mutex<[String]>([])
        let statistics = try Measure.threads(
            clients: 3, warmUp: 1, operationsPerClient: 4,
            makeClient: { _ in
                let thread = ObjectIdentifier(Thread.current)
                threads.withLock { _ = $0.insert(thread) }
                return Client(thread: thread)
            },
            { state, iteration in
                if state.thread != ObjectIdentifier(Thread.current) {
                    misplaced.withLock { $0.append("call \(iteration) on another thread") }
                }
                if state.iterations != Array(0..<iteration) {
                    misplaced.withLock { $0.append("call \(iteration) after \(state.iterations)") }
                }
                state.iterations.append(iteration)
                calls.withLock { $0 += 1 }
            })
        #expect(statistics.operations == 12)
        #expect(calls.withLock { $0 } == 15)
        #expect(threads.withLock { $0.count } == 3, "each client on a thread of its own")
        #expect(misplaced.withLock { $0 } == [])
    }

    @Test("threads: a client that cannot be made, or whose call fails, voids the run with a ClientFailure")
    func threadsFailure() {
        struct Refused: Error {}
        #expect(throws: ClientFailure.self) {
            try Measure.threads(
                clients: 2, warmUp: 0, operationsPerClient: 3,
                makeClient: { client in if client == 1 { throw Refused() } }, { _, _ in })
        }
        #expect(throws: ClientFailure.self) {
            try Measure.threads(
                clients: 2, warmUp: 0, operationsPerClient: 3, makeClient: { _ in () },
                { _, iteration in if iteration == 2 { throw Refused() } })
        }
    }
}
