import Foundation

/// Lets several `dapodik-bench` processes start measuring together: each writes a file named by its
/// process ID into one directory after its setup, then waits until the directory holds one file per
/// process. `Benchmarks/run` uses it to run two single-client processes at once, the most two cores
/// give a cycle that shares nothing (no store, no lock, no heap), beside the eight clients of one
/// process. The report adds the processes' throughputs up only where their timed parts overlapped
/// (`TimedPartOverlap`).
public enum ProcessBarrier {
    /// Waits until `parties` processes (this one included) have arrived at `directory`.
    /// - Parameters:
    ///   - directory: The meeting place, created when missing; emptied by the caller between rounds.
    ///   - parties: How many processes meet.
    ///   - arrival: This party's file name, unique among the parties; `nil` for the process ID.
    ///   - limit: The longest wait before giving up.
    /// - Throws: ``ClientFailure`` when `arrival` is not a plain file name (empty, `.`, `..` or with a
    ///   `/`), when `directory` already holds `parties` arrivals (left from an earlier meeting: this
    ///   process would measure alone) or when the others have not all arrived within `limit`; any error
    ///   creating the directory or this process's file.
    public static func meet(
        at directory: String, parties: Int, as arrival: String? = nil,
        atMost limit: Duration = .seconds(600)
    ) throws {
        let name = arrival ?? "\(ProcessInfo.processInfo.processIdentifier)"
        guard !name.isEmpty, name != ".", name != "..", !name.contains("/") else {
            throw ClientFailure(description: "the arrival name \(name.debugDescription) is not a plain file name")
        }
        let files = FileManager.default
        try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let earlier = try files.contentsOfDirectory(atPath: directory).count
        guard earlier < parties else {
            throw ClientFailure(description: "\(directory) holds \(earlier) arrivals already: empty it between runs")
        }
        let path = directory + "/" + name
        guard files.createFile(atPath: path, contents: Data()) else {
            throw ClientFailure(description: "could not write \(path)")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while try files.contentsOfDirectory(atPath: directory).count < parties {
            guard clock.now < deadline else {
                throw ClientFailure(description: "the other processes did not reach \(directory) within \(limit)")
            }
            usleep(200)
        }
    }
}
