import BenchmarkHarness
import BenchmarkReport
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
        if let first = starts.first, let last = starts.last { #expect(last - first < limit) }
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

    @Test("threads: each client's state is made and used on one thread; every timed call is one sample")
    func threads() throws {
        let calls = Mutex(0)
        let statistics = try Measure.threads(
            clients: 3, warmUp: 1, operationsPerClient: 4, makeClient: { client in [client] },
            { state, iteration in
                state.append(iteration)
                calls.withLock { $0 += 1 }
            })
        #expect(statistics.operations == 12)
        #expect(calls.withLock { $0 } == 15)
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
