/// The rule by which the report adds up processes that measured at once: their throughputs count
/// together only for the time all of them were measuring. `Benchmarks/run` starts two single-client
/// processes together (`dapodik-bench service-cycle --barrier`); each records when its timed part
/// ended, and with its duration the report finds how long they overlapped.
public enum TimedPartOverlap {
    /// The note (seconds since 1970, as text) in which a process that met others says when its timed
    /// part ended.
    public static let measuredUntilNote = "measuredUntil"

    /// The least share of the longest timed part that all the processes' timed parts must have in
    /// common for the report to add their throughputs up: time a process ran alone, and so faster,
    /// does not belong in a sum meant for all of them at once.
    public static let least = 0.9

    /// How much of the longest of `runs`' timed parts all of them had in common (0 when they never
    /// ran together all at once).
    /// - Parameter runs: The results of the processes that met.
    /// - Returns: A share from 0 to 1, or `nil` when a run lacks its end time (or has one that is not
    ///   a number) or its statistics, or no timed part lasted any time.
    public static func overlap(of runs: [BenchmarkResult]) -> Double? {
        var windows: [(start: Double, end: Double)] = []
        for run in runs {
            guard let text = run.notes[measuredUntilNote], let end = Double(text), end.isFinite,
                let seconds = run.statistics?.seconds
            else { return nil }
            windows.append((end - seconds, end))
        }
        guard let longest = windows.map({ $0.end - $0.start }).max(), longest > 0 else { return nil }
        let common = windows.map(\.end).min()! - windows.map(\.start).max()!
        return max(0, common) / longest
    }
}
