import DapodikLocking
import Dispatch
import Testing

@Suite("LockedValue")
struct LockedValueTests {
    /// Under `swift test --sanitize=thread` (`.ci/tsan`) this is also the proof that ThreadSanitizer
    /// sees the lock: with `Synchronization.Mutex` in its place the same loop is reported as a race.
    @Test("four threads incrementing inside withLock lose no update")
    func concurrentIncrements() {
        let counter = LockedValue(0)
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<10_000 { counter.withLock { $0 += 1 } }
        }
        #expect(counter.withLock { $0 } == 40_000)
    }

    struct Refused: Error, Equatable {}

    @Test(
        "an error thrown inside withLock reaches the caller typed, and the lock is free again", .timeLimit(.minutes(10))
    )
    func throwingBody() {
        let value = LockedValue([1, 2])
        #expect(throws: Refused()) {
            try value.withLock { (numbers) throws(Refused) in
                numbers.append(3)
                throw Refused()
            }
        }
        // A lock left held would block here for ever (the time limit ends the test).
        #expect(value.withLock { $0 } == [1, 2, 3])
    }

    @Test("withLock returns what its body returns")
    func returnsResult() {
        let value = LockedValue("sekolah")
        #expect(value.withLock { $0.count } == 7)
    }
}

@Suite("LockedValue: waiting for a held lock")
struct LockedValueWaitingTests {
    @Test(
        "eight threads on two cores, each holding the lock for a while, lose no update (waiters yielding or not)",
        arguments: [0, 200])
    func contendedHolds(yields: Int) {
        // Bodies long enough that waiters meet a held lock (and yield, and some sleep).
        let value = LockedValue([Int](), yieldsBeforeSleeping: yields)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for step in 0..<500 {
                value.withLock { numbers in
                    for _ in 0..<50 { numbers.append(thread * 1_000 + step) }
                }
            }
        }
        let numbers = value.withLock { $0 }
        #expect(numbers.count == 8 * 500 * 50)
        // Each body's 50 appends stayed together: no other thread ran inside the lock meanwhile.
        for start in stride(from: 0, to: numbers.count, by: 50) {
            #expect(Set(numbers[start..<start + 50]).count == 1)
        }
    }

    #if os(Linux)
        @Test(
            "a thread that waits longer than its yields sleeps, and takes the lock when it is released",
            .timeLimit(.minutes(10)))
        func sleepingWaiter() {
            let value = LockedValue(0, yieldsBeforeSleeping: 200)
            let waiter = WaiterThread()
            value.withLock { held in
                waiter.start { value.withLock { $0 += 1 } }
                // Held until the kernel reports the waiter asleep (state S in /proc): past its yields,
                // in `pthread_mutex_lock`.
                while waiter.kernelState() != "S" { sched_yield() }
                held = 10
            }
            waiter.join()
            #expect(value.withLock { $0 } == 11)
        }
    #endif
}

#if os(Linux)
    import Foundation
    import Glibc
    import Synchronization

    /// A thread of its own (not the cooperative pool's), whose kernel state the test can read.
    private final class WaiterThread: Sendable {
        private let threadID = Atomic<Int32>(0)
        private let finished = DispatchSemaphore(value: 0)

        func start(_ body: @escaping @Sendable () -> Void) {
            let thread = Thread { [self] in
                threadID.store(Self.currentThreadID(), ordering: .releasing)
                body()
                finished.signal()
            }
            thread.start()
        }

        /// The state letter of `/proc/self/task/TID/stat` (`R` running, `S` sleeping…), `nil` before
        /// the thread has started.
        func kernelState() -> Character? {
            let id = threadID.load(ordering: .acquiring)
            guard id != 0, let line = try? String(contentsOfFile: "/proc/self/task/\(id)/stat", encoding: .utf8)
            else { return nil }
            // "TID (name) S …": the state follows the name's closing parenthesis.
            guard let close = line.lastIndex(of: ")") else { return nil }
            return line[line.index(after: close)...].first { $0 != " " }
        }

        func join() { finished.wait() }

        /// The calling thread's kernel ID, from the link `/proc/thread-self` (`PID/task/TID`): Swift's
        /// Glibc module does not offer `gettid`.
        private static func currentThreadID() -> Int32 {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
            return Int32(target.split(separator: "/").last ?? "") ?? 0
        }
    }
#endif
