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
        "an error thrown inside withLock reaches the caller typed, and the lock is free again", .timeLimit(.minutes(1)))
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
