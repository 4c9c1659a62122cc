import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import dapodik_verify

/// The CSV reader against an independent writer: random tables written by Python's `csv` module
/// (the writer behind many of the exports an operator saves) must read back cell for cell; and the
/// same files, damaged byte by byte, must give records or a `CSVReader.Failure`, never a trap.
@Suite("CSV reader against Python's csv writer")
struct CSVReaderPythonTests {
    /// What a cell is made of: the separators, quotes and line breaks RFC 4180 quotes, spaces at
    /// the edges, non-ASCII names and addresses.
    static let pieces = [
        "Budi", "Siti Rahayu", "budi.santoso@gmail.com", ",", ";", "\"", "\"\"", "\r\n", "\n", "\r", " ", "\t",
        "Ñoño", "Sri Hartini, S.Pd.", "😀", "=1+1", "'", "20512345",
    ]

    /// One random table: a header of letters only (so that the separator can be detected from it)
    /// and 0–6 rows of random cells, as wide as the header.
    ///
    /// A file with LF line ends gets no cell with a CR alone: Python (3.11) does not quote such a
    /// cell when its line end is LF, and the reader refuses an unquoted CR alone in such a file by
    /// design (`CSVReaderTests.strayCarriageReturn`), since a spreadsheet's row must never be split
    /// in two.
    static func randomTable(lineEnd: String, using generator: inout SeededGenerator) -> [[String]] {
        let pieces = lineEnd == "\n" ? Self.pieces.filter { $0 != "\r" } : Self.pieces
        let columns = Int.random(in: 2...5, using: &generator)
        let header = (0..<columns).map { "kolom\($0)" }
        let rows = (0..<Int.random(in: 0...6, using: &generator)).map { _ in
            (0..<columns).map { _ in
                (0..<Int.random(in: 0...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
                    .joined()
            }
        }
        return [header] + rows
    }

    /// Writes each table with Python's `csv.writer` (QUOTE_MINIMAL) and the given separator and line
    /// end, one file per table in `directory`.
    static func writeWithPython(_ tables: [(separator: String, lineEnd: String, rows: [[String]])], in directory: URL)
        throws
    {
        let input = directory.appendingPathComponent("tables.json")
        let json = tables.map { ["separator": $0.separator, "lineEnd": $0.lineEnd, "rows": $0.rows] as [String: Any] }
        try JSONSerialization.data(withJSONObject: json).write(to: input)
        let script = """
            import csv, json, sys
            directory = sys.argv[1]
            for number, table in enumerate(json.load(open(directory + "/tables.json", encoding="utf-8"))):
                with open(f"{directory}/table-{number}.csv", "w", encoding="utf-8", newline="") as file:
                    writer = csv.writer(file, delimiter=table["separator"], lineterminator=table["lineEnd"])
                    writer.writerows(table["rows"])
            """
        let result = try ChildProcess.run("python3", ["-c", script, directory.path])
        try #require(result.status == 0, "python3 failed: \(result.standardError)")
    }

    @Test(
        "300 random tables written by Python's csv module read back cell for cell, their separator detected",
        .requires(.python3))
    func agreesWithPython() throws {
        var generator = SeededGenerator(seed: 0x4353_5652)
        let tables = (0..<300).map { number in
            (
                separator: number % 2 == 0 ? "," : ";", lineEnd: number % 3 == 0 ? "\n" : "\r\n",
                rows: Self.randomTable(lineEnd: number % 3 == 0 ? "\n" : "\r\n", using: &generator)
            )
        }
        let directory = try TemporaryDirectory()
        try Self.writeWithPython(tables, in: directory.url)
        for (number, table) in tables.enumerated() {
            let bytes = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent("table-\(number).csv")))
            let text = try CSVReader.decode(bytes)
            let separator = CSVReader.detectSeparator(in: text)
            #expect(separator == Character(table.separator), "table \(number)")
            let records = try CSVReader(separator: separator).records(in: text)
            // A row of one empty cell is a blank line to the reader, which skips it (documented); the
            // random rows have two cells at least, so every row is kept.
            #expect(records.map(\.fields) == table.rows, "table \(number): \(text.debugDescription)")
            #expect(records.map(\.line) == records.map(\.line).sorted(), "table \(number): lines out of order")
        }
    }

    @Test(
        "the same files with random bytes changed, added or removed: records or a Failure, never a trap",
        .requires(.python3))
    func damagedFiles() throws {
        var generator = SeededGenerator(seed: 0x4441_4D41)
        let tables = (0..<40).map { number in
            (
                separator: number % 2 == 0 ? "," : ";", lineEnd: "\r\n",
                rows: Self.randomTable(lineEnd: "\r\n", using: &generator)
            )
        }
        let directory = try TemporaryDirectory()
        try Self.writeWithPython(tables, in: directory.url)
        var outcomes = (records: 0, failures: 0)
        for number in tables.indices {
            let original = try [UInt8](Data(contentsOf: directory.url.appendingPathComponent("table-\(number).csv")))
            for _ in 0..<50 {
                var bytes = original
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let index = Int.random(in: 0...bytes.count, using: &generator)
                    let byte = [0x22, 0x2C, 0x3B, 0x0D, 0x0A, 0xEF, 0xBB, 0xBF, 0xFF, 0x00].randomElement(
                        using: &generator)!
                    switch Int.random(in: 0..<3, using: &generator) {
                    case 0 where index < bytes.count: bytes[index] = UInt8(byte)
                    case 1 where index < bytes.count: bytes.remove(at: index)
                    default: bytes.insert(UInt8(byte), at: index)
                    }
                }
                do {
                    let text = try CSVReader.decode(bytes)
                    let records = try CSVReader(separator: CSVReader.detectSeparator(in: text)).records(in: text)
                    #expect(records.allSatisfy { $0.line >= 1 })
                    outcomes.records += 1
                } catch {
                    #expect(error.line >= 1)
                    #expect(!error.message.indonesian.isEmpty && !error.message.english.isEmpty)
                    outcomes.failures += 1
                }
            }
        }
        // Both ends were reached: the damage was not all harmless, nor all fatal.
        #expect(outcomes.records > 0 && outcomes.failures > 0, "\(outcomes)")
    }
}
