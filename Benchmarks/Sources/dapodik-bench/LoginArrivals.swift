import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikStorage
import DapodikVerification
import Foundation
import Synchronization

/// Scenario 8, open loop: logins arriving at random moments (a Poisson process) at `rate` a second
/// for `seconds`, as a peak hour's do, each as one of 64 PTK, with the default 600,000 PBKDF2
/// iterations; the library's hasher (overlapping logins derived two at once) beside the same hasher
/// checking every login alone, on the same arrival times. The process's CPU time over the run's
/// wall-clock time is the cores a server spends on that rate; a login's latency runs from its
/// arrival, waiting for a thread included. Arrivals come from a thread of their own, so a busy
/// cooperative pool does not delay them.
enum LoginArrivalsBenchmark {
    static func run(rate: Double, seconds: Double, round: Int) async throws {
        var random = SplitMix64(seed: UInt64(round))
        let count = max(1, Int((rate * seconds).rounded()))
        let gaps = (0..<count).map { _ in -log(1 - Double.random(in: 0..<1, using: &random)) / rate }
        for (subject, hasher) in LoginsBenchmark.variants(round: round) {
            let school = try await LoggingInSchool.make(ptk: accounts, passwordHasher: hasher)
            let cpuBefore = ProcessCPU.seconds()
            let (latencies, wallClock) = try await arrive(after: gaps) { try await school.logIn($0 % accounts) }
            let cpu = ProcessCPU.seconds() - cpuBefore
            BenchmarkResult(
                scenario: "login.arrivals",
                variant: "\(rate.formatted()) a second for \(seconds.formatted()) s, 600,000 iterations",
                subject: subject, round: round,
                statistics: Statistics(samples: latencies, wallClock: wallClock),
                figures: [
                    "coresBusy": cpu / wallClock.seconds,
                    "cpuMillisecondsPerLogin": cpu * 1000 / Double(count),
                ]
            ).emit()
        }
    }

    private static let accounts = 64

    /// Starts `login(i)` in a task of its own `gaps[0] + … + gaps[i]` seconds after the start, from a
    /// thread that only waits and starts, and returns once every login has answered: each one's time
    /// from its planned arrival to its answer, and the time from the start to the last answer.
    private static func arrive(
        after gaps: [Double], _ login: @escaping @Sendable (Int) async throws -> Void
    ) async throws -> ([Duration], Duration) {
        let clock = ContinuousClock()
        let start = clock.now
        let arrivals = gaps.reduce(into: [Duration]()) { times, gap in
            times.append((times.last ?? .zero) + .seconds(gap))
        }
        let outcome = Outcomes()
        return try await withCheckedThrowingContinuation { continuation in
            let finish: @Sendable () -> Void = {
                let (done, failure) = outcome.state.withLock { ($0.latencies.count == arrivals.count, $0.failure) }
                guard done else { return }
                if let failure {
                    continuation.resume(throwing: failure)
                } else {
                    continuation.resume(returning: (outcome.state.withLock { $0.latencies }, clock.now - start))
                }
            }
            let arrivalThread = Thread {
                for (index, arrival) in arrivals.enumerated() {
                    let wait = (start + arrival) - clock.now
                    if wait > .zero { Thread.sleep(forTimeInterval: wait.seconds) }
                    Task.detached {
                        var failure: (any Error)?
                        do { try await login(index) } catch { failure = error }
                        let latency = clock.now - (start + arrival)
                        outcome.state.withLock {
                            $0.latencies.append(latency)
                            if $0.failure == nil { $0.failure = failure }
                        }
                        finish()
                    }
                }
            }
            arrivalThread.start()
        }
    }
}

/// What the logins of an open-loop run answered, gathered from their tasks.
private final class Outcomes: Sendable {
    let state = Mutex<(latencies: [Duration], failure: (any Error)?)>(([], nil))
}
