import BenchmarkReport
import Foundation
import Testing

/// The report on a run recorded on 2 December 2026 (`Benchmarks/run --rounds 5 --skip-scale --skip-smtp
/// --skip-postgres` at `56a426b`) must say what `Documentation/PerformanceHistory.md` quotes from it, so a
/// change to the report's arithmetic cannot quietly change the figures the documentation stands on.
@Suite("Report: the eighth pass's recorded run, as PerformanceHistory.md quotes it")
struct RecordedRunTests {
    private func report() throws -> Report {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/results-56a426b.jsonl")
        return try Report(resultsPath: fixture.path)
    }

    @Test("the in-memory cycle: 13,092/s, 1.20× at 8 clients, 0.75× of two processes with one round left out")
    func cycle() throws {
        let report = try report()
        let one = try #require(report.row(startingWith: "Verification cycle in memory, 1 client: VerificationService"))
        #expect(one[1].hasPrefix("13,092 ops/s, p50 64 µs") && one[5] == "**missed**")
        let eight = try #require(
            report.row(startingWith: "Verification cycle in memory, 8 clients: VerificationService"))
        #expect(
            eight[4]
                == "≥ 1.7× 1 client (1.20× of the medians (rounds: 1.19, 1.60, 1.47, 1.10, 1.31); "
                + "0.75× of two processes at once (rounds: 0.59, 1.11, 0.64, 0.87))")
        let pair = try #require(report.row(startingWith: "Verification cycle in memory, two processes"))
        #expect(pair[0].contains("(1 of 5 rounds left out"))
        #expect(pair[1] == "22,693 ops/s together" && pair[3] == "1.62× 1 client (rounds: 2.03, 1.43, 1.73, 1.52)")
    }

    @Test("the durable cycle: 1.31× SQLite at 1 client and 5.58× at 8, both met")
    func durable() throws {
        let report = try report()
        let one = try #require(report.row(startingWith: "Durable cycle, 1 client"))
        #expect(one[3] == "1.31× (rounds: 1.31, 1.38, 1.07, 1.35, 1.04)" && one[5] == "met")
        let eight = try #require(report.row(startingWith: "Durable cycle, 8 clients"))
        #expect(eight[3] == "5.58× (rounds: 4.67, 5.75, 6.35, 4.41, 5.58)" && eight[5] == "met")
    }
}
