import DapodikVerification
import Testing

@testable import dapodik_verify

@Suite("CSV reader (RFC 4180)")
struct CSVReaderTests {
    func fields(_ text: String, separator: Character = ",") throws -> [[String]] {
        try CSVReader(separator: separator).records(in: text).map(\.fields)
    }

    @Test("reads plain fields with CRLF, LF or CR line ends alike", arguments: ["\r\n", "\n", "\r"])
    func lineEnds(end: String) throws {
        let text = "nama,email" + end + "Budi,budi@gmail.com" + end + "Siti,siti@yahoo.co.id" + end
        #expect(
            try fields(text) == [["nama", "email"], ["Budi", "budi@gmail.com"], ["Siti", "siti@yahoo.co.id"]])
    }

    @Test(
        "a CR alone in a file of LF or CRLF lines is refused with its line, never taken as a line end",
        arguments: ["\n", "\r\n"])
    func strayCarriageReturn(end: String) throws {
        for text in [
            "nama,email" + end + "Budi\rSantoso,budi@gmail.com" + end,
            "nama,email" + end + "Budi,budi@gmail.com\rSiti,siti@gmail.com" + end,
        ] {
            let failure = #expect(throws: CSVReader.Failure.self) { try CSVReader().records(in: text) }
            #expect(failure?.line == 2)
            #expect(failure?.message.english.contains("A CR (U+000D) on its own") == true)
        }
        // Inside quotes it is the field's own character, left for the column's check to judge.
        #expect(try fields("nama" + end + "\"Budi\rSantoso\"" + end) == [["nama"], ["Budi\rSantoso"]])
    }

    @Test("quoted fields hold separators, doubled quotes and line breaks (RFC 4180 §2 rules 5-7)")
    func quoting() throws {
        let text = "nama,catatan\r\n\"Santoso, Budi\",\"kata \"\"guru\"\"\"\r\n\"Siti\",\"baris 1\r\nbaris 2\"\r\n"
        #expect(
            try fields(text) == [
                ["nama", "catatan"], ["Santoso, Budi", "kata \"guru\""], ["Siti", "baris 1\r\nbaris 2"],
            ])
    }

    @Test("records carry the line they start on, counting line breaks inside quotes")
    func lineNumbers() throws {
        let text = "a,b\n\"x\ny\",1\n\n2,3\n"
        let records = try CSVReader().records(in: text)
        #expect(records.map(\.line) == [1, 2, 5])
    }

    @Test("a byte order mark is skipped; invalid UTF-8 is refused on line 1")
    func byteOrderMark() throws {
        let text = try CSVReader.decode([0xEF, 0xBB, 0xBF] + Array("nama\nBudi\n".utf8))
        #expect(try fields(text) == [["nama"], ["Budi"]])
        #expect(throws: CSVReader.Failure.self) { try CSVReader.decode([0x6E, 0xFF, 0x0A]) }
    }

    @Test("empty fields, a missing final line break and a quoted empty line are kept")
    func edges() throws {
        #expect(try fields("a,,c\n,,\n\"\"\nlast,row") == [["a", "", "c"], ["", "", ""], [""], ["last", "row"]])
        #expect(try fields("") == [])
    }

    @Test("semicolons are detected as the separator (Excel with an Indonesian locale)")
    func semicolons() throws {
        let text = "nama;email\n\"Santoso, Budi\";budi@gmail.com\n"
        #expect(CSVReader.detectSeparator(in: text) == ";")
        #expect(CSVReader.detectSeparator(in: "nama,email;x\n") == ",")
        #expect(try fields(text, separator: ";") == [["nama", "email"], ["Santoso, Budi", "budi@gmail.com"]])
    }

    @Test(
        "malformed quoting is refused with the line of the problem",
        arguments: [
            ("a,b\nx\"y,1\n", 2),
            ("a,b\n\"x\"y,1\n", 2),
            ("a,b\n1,2\n\"never closed,3\n4,5\n", 3),
        ])
    func malformed(text: String, line: Int) {
        #expect {
            try CSVReader().records(in: text)
        } throws: { error in
            (error as? CSVReader.Failure)?.line == line
        }
    }
}

@Suite("progress bar")
struct ProgressBarTests {
    @Test("renders the fraction done as cells, a count and a percentage")
    func render() {
        #expect(ProgressBar.render(completed: 0, total: 4, label: "Impor", width: 8) == "Impor [........] 0/4   0%")
        #expect(ProgressBar.render(completed: 1, total: 4, label: "Impor", width: 8) == "Impor [##......] 1/4  25%")
        #expect(ProgressBar.render(completed: 4, total: 4, label: "Impor", width: 8) == "Impor [########] 4/4 100%")
        #expect(ProgressBar.render(completed: 0, total: 0, label: "x", width: 2) == "x [##] 0/0 100%")
    }

    @Test("redraws only when the bar visibly changes, and ends its line")
    func redraws() {
        final class Sink { var writes: [String] = [] }
        let sink = Sink()
        var bar = ProgressBar(total: 100_000, label: "x", width: 10, draw: { sink.writes.append($0) })
        for _ in 0..<100_000 { bar.advance() }
        bar.finish()
        #expect(sink.writes.count == 1001 + 1)  // permille 0…1000, then the line end
        #expect(sink.writes.allSatisfy { $0.hasPrefix("\r") || $0 == "\n" })
        #expect(sink.writes.last == "\n")
        #expect(sink.writes.dropLast().last == "\rx [##########] 100000/100000 100%")
    }

    @Test("a password cell that begins or ends with a space is refused, never trimmed into another password")
    func passwordSpaces() throws {
        let text =
            "nama,email,password\nBudi,budi@gmail.com, Guru-Teladan-2026\nSiti,siti@gmail.com,Guru Teladan 2026\n"
            + "Ani,ani@gmail.com,Guru-Teladan-2026 \n"
        let staff = StaffCSV(
            records: try CSVReader().records(in: text), passwordPolicy: PasswordPolicy(), acceptUnusualDomains: false)
        #expect(staff.rows.map(\.line) == [3])
        #expect(staff.rows.first?.registration.password == "Guru Teladan 2026")
        #expect(staff.problems.map(\.line) == [2, 4])
        #expect(
            staff.problems.allSatisfy { $0.message.english == "The password begins or ends with a space; remove it." })
    }
}
