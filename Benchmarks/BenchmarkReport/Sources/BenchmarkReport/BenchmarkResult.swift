import Foundation

/// One measured run, printed as one JSON line on standard output; `dapodik-bench report` turns a
/// file of these lines (and the ones `Scripts/openssl_crypto.py` prints) into the Markdown table.
public struct BenchmarkResult: Codable, Sendable {
    /// The scenario, e.g. `cycle.file`, `cycle.sqlite`, `fsync`, `crypto.hmac`.
    public var scenario: String
    /// The variant inside the scenario, e.g. `1 client`, `8 clients`.
    public var variant: String
    /// The implementation measured, e.g. `FileRecordStore`, `SQLite 3.40.1`, `OpenSSL 3.0`.
    public var subject: String
    /// Which interleaved round of the run produced it (1-based).
    public var round: Int
    /// Throughput and latency, when the scenario measures operations.
    public var statistics: Statistics?
    /// Further figures (bytes, seconds, resident memory in MiB…), by name.
    public var figures: [String: Double]
    /// Free-form remarks (what was dropped from the page cache, versions…).
    public var notes: [String: String]

    /// A result with the figures a scenario measured (each argument is the property of that name).
    public init(
        scenario: String,
        variant: String,
        subject: String,
        round: Int,
        statistics: Statistics? = nil,
        figures: [String: Double] = [:],
        notes: [String: String] = [:]
    ) {
        self.scenario = scenario
        self.variant = variant
        self.subject = subject
        self.round = round
        self.statistics = statistics
        self.figures = figures
        self.notes = notes
    }

    /// The variant of a run by `clients` concurrent clients in each of `processes` processes measuring at
    /// once: `1 client`, `8 clients`, `1 client, 2 processes`. `Report` finds runs by these names.
    public static func variant(clients: Int, processes: Int = 1) -> String {
        (clients == 1 ? "1 client" : "\(clients) clients") + (processes > 1 ? ", \(processes) processes" : "")
    }

    /// The result as one line of JSON, keys sorted: what ``Report`` reads.
    /// - Throws: `EncodingError` when a figure is not a finite number (JSON has none).
    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Prints the result as one JSON line and a readable line on standard error. A result that cannot
    /// be written (a figure that is not a finite number) ends the process with status 70 after saying
    /// so, rather than leaving a measurement out of the results without a word.
    public func emit() {
        let line: String
        do {
            line = try jsonLine()
        } catch {
            FileHandle.standardError.write(
                Data("dapodik-bench: cannot write the result of \(scenario) · \(variant) · \(subject): \(error)\n".utf8)
            )
            exit(70)
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
        var human = "[\(scenario) · \(variant) · \(subject) · round \(round)]"
        if let statistics {
            human += String(
                format: " %.1f ops/s, p50 %.1f µs, p99 %.1f µs (%d ops in %.2f s)",
                statistics.operationsPerSecond, statistics.p50Microseconds, statistics.p99Microseconds,
                statistics.operations, statistics.seconds)
        }
        for (name, value) in figures.sorted(by: { $0.key < $1.key }) { human += " \(name)=\(value)" }
        for (name, value) in notes.sorted(by: { $0.key < $1.key }) { human += " \(name)=\(value)" }
        FileHandle.standardError.write(Data((human + "\n").utf8))
    }
}
