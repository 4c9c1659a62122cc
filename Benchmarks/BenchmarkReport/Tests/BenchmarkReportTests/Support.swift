import BenchmarkReport
import Foundation

/// Results made to order, and the report's rows read back as cells.
enum Make {
    static let service = "VerificationService + InMemoryRecordStore, null transport"

    /// A result whose statistics say `rate` operations per second over `seconds`.
    static func result(
        _ scenario: String, _ variant: String, _ subject: String, round: Int, rate: Double, seconds: Double = 1,
        figures: [String: Double] = [:], notes: [String: String] = [:]
    ) -> BenchmarkResult {
        var statistics = Statistics(samples: [.microseconds(50)], wallClock: .seconds(seconds))
        statistics.operationsPerSecond = rate
        statistics.operations = Int(rate * seconds)
        return BenchmarkResult(
            scenario: scenario, variant: variant, subject: subject, round: round, statistics: statistics,
            figures: figures, notes: notes)
    }

    /// A crypto result of one round that reports its CPU time per operation, as `dapodik-bench crypto`
    /// and `Scripts/openssl_crypto.py` do.
    static func crypto(_ scenario: String, _ variant: String, _ subject: String, cpuMicroseconds: Double)
        -> BenchmarkResult
    {
        result(scenario, variant, subject, round: 1, rate: 1, figures: ["cpuMicrosecondsPerOperation": cpuMicroseconds])
    }

    /// A result with figures only (no operations timed).
    static func figures(
        _ scenario: String, _ variant: String, _ subject: String, round: Int, _ figures: [String: Double]
    )
        -> BenchmarkResult
    {
        BenchmarkResult(scenario: scenario, variant: variant, subject: subject, round: round, figures: figures)
    }

    /// The in-memory service cycle of one client or several in one process.
    static func cycle(clients: Int, round: Int, rate: Double) -> BenchmarkResult {
        result("cycle.memory", BenchmarkResult.variant(clients: clients), service, round: round, rate: rate)
    }

    /// One of the two single-client processes measuring at once, timed from `end - seconds` to `end`.
    static func pairedProcess(round: Int, rate: Double, end: Double, seconds: Double = 0.2) -> BenchmarkResult {
        result(
            "cycle.memory", BenchmarkResult.variant(clients: 1, processes: 2), service, round: round, rate: rate,
            seconds: seconds, notes: [TimedPartOverlap.measuredUntilNote: "\(end)"])
    }
}

extension Report {
    /// The cells of the first summary row whose first cell starts with `prefix`.
    func row(startingWith prefix: String) -> [String]? {
        rows(startingWith: prefix).first
    }

    /// Every summary row whose first cell starts with `prefix`, as cells.
    func rows(startingWith prefix: String) -> [[String]] {
        markdown().split(separator: "\n").filter { $0.hasPrefix("| \(prefix)") }.map { line in
            // No cell holds a `|`: the cells are what lies between the bars, trimmed.
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
    }
}
