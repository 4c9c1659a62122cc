/// Latency samples of one measured run, reduced to the figures the report prints.
///
/// Percentiles are nearest-rank on the sorted samples (the p-th percentile is the smallest sample
/// with at least p % of the samples at or below it), so every figure is a latency that happened.
public struct Statistics: Codable, Sendable {
    /// Operations measured (warm-up excluded).
    public var operations: Int
    /// Wall-clock time of the measured part, in seconds.
    public var seconds: Double
    /// Operations per second over the wall-clock time (all clients together).
    public var operationsPerSecond: Double
    /// Median latency of one operation, in microseconds.
    public var p50Microseconds: Double
    /// 99th-percentile latency of one operation, in microseconds.
    public var p99Microseconds: Double

    /// The figures of one run.
    /// - Parameters:
    ///   - samples: Each operation's latency, in any order.
    ///   - wallClock: How long the measured part took from its start to its end.
    public init(samples: [Duration], wallClock: Duration) {
        let sorted = samples.sorted()
        operations = sorted.count
        seconds = wallClock.seconds
        operationsPerSecond = seconds > 0 ? Double(sorted.count) / seconds : 0
        p50Microseconds = Statistics.percentile(0.50, of: sorted).seconds * 1e6
        p99Microseconds = Statistics.percentile(0.99, of: sorted).seconds * 1e6
    }

    /// The nearest-rank percentile of `sorted`: its smallest sample with at least `fraction` of the
    /// samples at or below it; zero for no samples.
    /// - Parameters:
    ///   - fraction: The percentile as a share, from 0 to 1.
    ///   - sorted: The samples in ascending order.
    public static func percentile(_ fraction: Double, of sorted: [Duration]) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) * 1e-18
    }
}
