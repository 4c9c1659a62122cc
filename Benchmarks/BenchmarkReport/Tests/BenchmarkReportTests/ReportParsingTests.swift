import BenchmarkReport
import Foundation
import Testing

@Suite("Report: reading a results file")
struct ReportParsingTests {
    @Test("JSON lines are results; the remarks between them and blank lines are skipped")
    func skipsRemarks() throws {
        let line =
            #"{"figures":{},"notes":{},"round":2,"scenario":"fsync","subject":"disk","variant":"4 KiB append + fsync"}"#
        let report = try Report(lines: "== building\n\(line)\n\nwarning: something\n\(line)\n")
        #expect(report.results.count == 2)
        #expect(report.results.first?.round == 2)
        #expect(report.results.first?.statistics == nil)
    }

    @Test("a line that starts like a result and is not one stops the report with an error")
    func rejectsGarbledLine() {
        let truncated = #expect(throws: Report.UnreadableLine.self) { try Report(lines: #"{"scenario":"fsync""#) }
        #expect(truncated?.number == 1 && truncated?.reason is DecodingError)
        let good = #"{"figures":{},"notes":{},"round":1,"scenario":"fsync","subject":"disk","variant":"v"}"#
        let incomplete = #expect(throws: Report.UnreadableLine.self) {
            try Report(lines: "remark\n\(good)\n\n" + #"{"scenario":"fsync","variant":"v"}"#)
        }
        #expect(incomplete?.number == 4 && incomplete?.reason is DecodingError)
    }

    @Test("what a result writes is one line, read back whole")
    func roundTrip() throws {
        let result = Make.pairedProcess(round: 3, rate: 12_345.5, end: 1_700_000_000.25)
        let line = try result.jsonLine()
        #expect(!line.contains("\n"))
        let read = try #require(try Report(lines: line).results.first)
        #expect(read.scenario == result.scenario && read.variant == "1 client, 2 processes")
        #expect(read.statistics?.operationsPerSecond == 12_345.5)
        #expect(read.notes == result.notes)
    }

    @Test("a figure that is not a finite number cannot be written: an error, not an empty line")
    func nonFiniteFigure() {
        for value in [Double.nan, .infinity, -.infinity] {
            let result = Make.figures("scale.load", "bulk load", "FileRecordStore", round: 1, ["seconds": value])
            #expect(throws: EncodingError.self) { try result.jsonLine() }
        }
    }

    @Test("an empty file is an empty report that says it measured nothing")
    func empty() throws {
        let report = try Report(lines: "")
        #expect(report.results.isEmpty)
        #expect(report.row(startingWith: "Durable cycle, 1 client")?[5] == "not measured")
    }

    @Test("a variant is named the way the report looks for it")
    func variantNames() {
        #expect(BenchmarkResult.variant(clients: 1) == "1 client")
        #expect(BenchmarkResult.variant(clients: 8) == "8 clients")
        #expect(BenchmarkResult.variant(clients: 1, processes: 2) == "1 client, 2 processes")
    }
}
