/// Latency samples of one measured run, reduced to the figures the report prints.
///
/// Percentiles are nearest-rank on the sorted samples (the p-th percentile is the smallest sample
/// with at least p % of the samples at or below it), so every figure is a latency that happened.
struct Statistics: Codable, Sendable {
    /// Operations measured (warm-up excluded).
    var operations: Int
    /// Wall-clock time of the measured part, in seconds.
    var seconds: Double
    /// Operations per second over the wall-clock time (all clients together).
    var operationsPerSecond: Double
    /// Median latency of one operation, in microseconds.
    var p50Microseconds: Double
    /// 99th-percentile latency of one operation, in microseconds.
    var p99Microseconds: Double

    init(samples: [Duration], wallClock: Duration) {
        let sorted = samples.sorted()
        operations = sorted.count
        seconds = wallClock.seconds
        operationsPerSecond = seconds > 0 ? Double(sorted.count) / seconds : 0
        p50Microseconds = Statistics.percentile(0.50, of: sorted).seconds * 1e6
        p99Microseconds = Statistics.percentile(0.99, of: sorted).seconds * 1e6
    }

    static func percentile(_ fraction: Double, of sorted: [Duration]) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
