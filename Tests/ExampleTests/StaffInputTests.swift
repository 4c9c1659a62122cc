import DapodikTestSupport
import Foundation
import Testing

/// Names with control characters are refused, naming the character, and a CSV row is compared on
/// every column before it is called "already registered" (issue 11, items 10 and 13).
@Suite("dapodik-verify names and CSV rows")
struct StaffInputTests {
    typealias School = CommandFlowTests.School
    static let password = CommandFlowTests.operatorPassword

    static let controls: [(String, String)] = [
        ("\r\nBcc: x@evil.test", "U+000D"), ("\u{0B}", "U+000B"), ("\u{0C}", "U+000C"), ("\u{2028}", "U+2028"),
        ("\u{2029}", "U+2029"), ("\u{85}", "U+0085"), ("\u{202E}", "U+202E"), ("\u{1B}", "U+001B"),
        ("\u{9B}", "U+009B"),
    ]

    @Test(
        "a PTK name with a control character is refused with 65, naming it; nothing is stored",
        .timeLimit(.minutes(10)))
    func ptkName() async throws {
        let school = try await School.make()
        for (character, codePoint) in Self.controls {
            let result = try await school.run(
                ["ptk", "register", "--as", "siti", "--name", "Budi" + character, "--email", "budi@gmail.com"],
                input: Self.password + "\nGuru-Teladan-2026\n", lang: "en")
            #expect(result.status == 65, "\(codePoint): \(result.standardError)")
            #expect(result.standardError.contains("--name"))
            #expect(result.standardError.contains(codePoint), "\(result.standardError)")
        }
        #expect(try await school.staff().isEmpty)
    }

    @Test(
        "a school or operator name with a control character is refused; no directory is set up",
        .timeLimit(.minutes(10)))
    func schoolAndOperatorNames() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        for (option, codePoint, value) in [
            ("--name", "U+000A", "SD 1\nKode: 000000"), ("--operator-name", "U+202E", "Siti\u{202E}nimA"),
            ("--operator-name", "U+2028", "Siti\u{2028}Aminah"),
        ] {
            var arguments = [
                "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1", "--operator-name", "Siti",
                "--operator-email", "siti@gmail.com", "--data", data.path,
            ]
            arguments[arguments.firstIndex(of: option)! + 1] = value
            let result = try await ExampleProcess.run("dapodik-verify", arguments, input: Self.password + "\n")
            #expect(result.status == 65, "\(option): \(result.standardError)")
            #expect(result.standardError.contains(option + ":"))
            #expect(result.standardError.contains(codePoint), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: data.path))
        }
    }

    @Test("a CSV name with a control character is a bad row naming it; nothing is imported", .timeLimit(.minutes(10)))
    func csvName() async throws {
        let school = try await School.make()
        let path = try school.write(
            "name,email,password\n\"Budi\r\nBcc: x@evil.test\",budi@gmail.com,Guru-Teladan-2026\n"
                + "Ani\u{202E},ani@gmail.com,Guru-Teladan-2026\nEko Prasetyo,eko@gmail.com,Guru-Teladan-2026\n")
        let result = try await school.run(["ptk", "import", "--as", "siti", path], input: Self.password + "\n")
        #expect(result.status == 65, "\(result.standardError)")
        #expect(result.standardError.contains("baris 2: nama:") && result.standardError.contains("U+000D"))
        #expect(result.standardError.contains("baris 4: nama:") && result.standardError.contains("U+202E"))
        #expect(try await school.staff().isEmpty)
    }

    @Test(
        "a different person under a registered e-mail is a conflict row, not 'already registered'",
        .timeLimit(.minutes(10)))
    func differentPersonConflicts() async throws {
        let school = try await School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Guru", "--email", "guru@gmail.com"],
            input: Self.password + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        let path = try school.write(
            "name,email,password\nPuput,guru@gmail.com,Guru-Teladan-2026\n", name: "other.csv")
        let result = try await school.run(
            ["ptk", "import", "--as", "siti", "--json", path], input: Self.password + "\n", lang: "en")
        #expect(result.status == 65, "\(result.standardOutput)")
        let outcome = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(outcome?["alreadyRegistered"] as? Int == 0)
        let problems = try #require(outcome?["problems"] as? [[String: Any]])
        #expect(problems.map { $0["line"] as? Int } == [2])
        let message = problems.first?["message"] as? String ?? ""
        #expect(message.contains("someone else") && message.contains("name 'Guru' ≠ 'Puput'"), "\(message)")
        #expect(try await school.staff().map { $0["name"] as? String } == ["Guru"])

        // The same person (every column alike) is still skipped as already registered.
        let same = try school.write("name,email,password\nGuru,guru@gmail.com,Another-Pass-2026\n", name: "same.csv")
        let again = try await school.run(
            ["ptk", "import", "--as", "siti", "--json", same], input: Self.password + "\n")
        #expect(again.status == 0, "\(again.standardOutput)")
        let skipped = try JSONSerialization.jsonObject(with: Data(again.standardOutput.utf8)) as? [String: Any]
        #expect(skipped?["alreadyRegistered"] as? Int == 1)
    }

    @Test("--check counts lines, not problems, and says when a wrong header left the rows unchecked")
    func checkCountsLines() async throws {
        let school = try await School.make()
        let semicolons = try school.write("nama;email;password\nAni;ani@gmail.com;Rahasia-Ani-2026\n", name: "a.csv")
        let header = try await school.run(
            ["ptk", "import", "--as", "siti", "--check", "--separator", ",", semicolons], input: Self.password + "\n")
        #expect(header.status == 65)
        #expect(header.standardOutput == "Baris judul kolom salah, jadi 1 baris data belum diperiksa.\n")
        let rows = try school.write(
            "nama,email,password\nAni,ani@gmail.com,Rahasia-Ani-2026\nBudi,budi@gmail,x\nEko,eko@gmail.com,Rahasia-Eko-2026\n",
            name: "b.csv")
        let checked = try await school.run(
            ["ptk", "import", "--as", "siti", "--check", rows], input: Self.password + "\n")
        #expect(checked.standardOutput == "3 baris diperiksa: 2 benar, 1 salah.\n", "\(checked.standardError)")
        #expect(checked.standardError.contains("baris 3: email:"), "\(checked.standardError)")
    }

    @Test("a username that is another line's address is found by --check, as the import would refuse it")
    func loginNamesAcrossColumns() async throws {
        let school = try await School.make()
        let path = try school.write(
            "nama,email,password,username\nCcc Satu,ccc@gmail.com,Rahasia-Ccc-2026,ddd@gmail.com\n"
                + "Ddd Dua,ddd@gmail.com,Rahasia-Ddd-2026,dddu\n")
        for check in [true, false] {
            let result = try await school.run(
                ["ptk", "import", "--as", "siti"] + (check ? ["--check"] : []) + [path], input: Self.password + "\n")
            #expect(result.status == 65, "check \(check): \(result.standardError)")
            #expect(
                result.standardError.contains("baris 3: ddd@gmail.com sudah menjadi username di baris 2."),
                "check \(check): \(result.standardError)")
        }
        #expect(try await school.staff().isEmpty)
    }

    @Test("a byte that is not UTF-8 is reported on its own line; an empty file argument is said to be empty")
    func fileErrorsLocated() async throws {
        let school = try await School.make()
        let url = school.data.deletingLastPathComponent().appendingPathComponent("latin1.csv")
        try Data(
            "nama,email,password\nAni,ani@gmail.com,Rahasia-Ani-2026\nJos".utf8 + [0xE9]
                + Data(",jose@gmail.com,Rahasia-Jose-2026\n".utf8)
        )
        .write(to: url)
        let latin1 = try await school.run(["ptk", "import", "--as", "siti", url.path], input: Self.password + "\n")
        #expect(latin1.status == 65)
        #expect(latin1.standardError.contains("latin1.csv baris 3: Berkas bukan teks UTF-8"), "\(latin1.standardError)")
        let empty = try await school.run(
            ["ptk", "import", "--as", "siti", ""], input: Self.password + "\n", lang: "en")
        #expect(empty.status == 65, "\(empty.standardError)")
        #expect(empty.standardError.contains("is empty"), "\(empty.standardError)")
        let backup = try await school.run(["store", "backup", ""], lang: "en")
        #expect(backup.status == 65, "\(backup.standardError)")
        #expect(backup.standardError.contains("is empty"), "\(backup.standardError)")
    }

    @Test(
        "a file without its header row is said to lack it; no header cell is ever echoed, a password least of all",
        .timeLimit(.minutes(10)))
    func headerCellsNeverEchoed() async throws {
        let school = try await School.make()
        let headerless = try school.write(
            "Budi Santoso,budi.s@gmail.com,Rahasia-Budi-2026\nAni Lestari,ani@gmail.com,Rahasia-Ani-2026\n")
        for arguments in [["--check"], ["--json"], []] {
            let result = try await school.run(
                ["ptk", "import", "--as", "siti"] + arguments + [headerless], input: Self.password + "\n", lang: "en")
            #expect(result.status == 65, "\(arguments): \(result.standardError)")
            let said = result.standardOutput + result.standardError
            #expect(!said.contains("Rahasia-Budi-2026") && !said.contains("budi.s@gmail.com"), "\(said)")
            #expect(said.contains("The first line looks like data, not column names"), "\(said)")
        }
        let unknown = try school.write("nama,email,password,kolom rahasia\nBudi,budi@gmail.com,Guru-Teladan-2026,x\n")
        let result = try await school.run(["ptk", "import", "--as", "siti", "--check", unknown])
        #expect(result.status == 65)
        #expect(result.standardError.contains("Kolom ke-4 di baris judul tidak dikenal"), "\(result.standardError)")
        #expect(!result.standardError.contains("rahasia"), "\(result.standardError)")
        #expect(try await school.staff().isEmpty)
    }

    @Test(
        "every problem of a row is reported at once; a default username is named as derived from the address",
        .timeLimit(.minutes(10)))
    func everyProblemOfARow() async throws {
        let school = try await School.make()
        let path = try school.write(
            "nama,email,password,username,nik\nEko,eko@gmial.com,password,c,123\n"
                + "Ani,ab@gmail.com,Guru-Teladan-2026,,\n")
        let result = try await school.run(["ptk", "import", "--as", "siti", "--check", path])
        #expect(result.status == 65)
        let line2 = result.standardError.split(separator: "\n").filter { $0.contains(" baris 2: ") }
        for reason in ["gmail.com", "kata_sandi", "nama_pengguna", "nik"] {
            #expect(line2.contains { $0.contains(reason) }, "\(reason) missing: \(line2)")
        }
        #expect(
            result.standardError.contains("baris 3: username bawaan 'ab' (dari alamat ab@gmail.com)"),
            "\(result.standardError)")
        #expect(result.standardOutput.contains("2 baris diperiksa: 0 benar, 2 salah"), "\(result.standardOutput)")
    }

    @Test(
        "--check warns of more good rows than one import takes; a stray CR never splits a row",
        .timeLimit(.minutes(10)))
    func checkLimitAndStrayCR() async throws {
        let school = try await School.make()
        let rows = (0...1_000).map { "Guru \($0),guru.\($0)@gmail.com,Guru-Teladan-2026" }
        let large = try school.write("name,email,password\n" + rows.joined(separator: "\n") + "\n")
        // Without a login --check cannot tell registered rows (which do not count) from new ones: a warning.
        let check = try await school.run(["ptk", "import", "--as", "siti", "--check", large], lang: "en")
        #expect(check.status == 0, "\(check.standardError)")
        #expect(check.standardError.contains("an import takes at most 1000 new PTK"), "\(check.standardError)")
        let json = try await school.run(["ptk", "import", "--as", "siti", "--check", "--json", large], lang: "en")
        let outcome = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(
            (outcome?["warnings"] as? [String])?.first?.contains("split the file") == true, "\(json.standardOutput)")
        // The import itself refuses more than 1,000 new rows, importing nothing.
        let refused = try await school.run(["ptk", "import", "--as", "siti", large], input: Self.password + "\n")
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(try await school.staff().isEmpty)

        let directory = try await school.run(
            ["ptk", "import", "--as", "siti", "--check", school.data.path], input: Self.password + "\n", lang: "en")
        #expect(directory.status == 66, "\(directory.standardError)")
        #expect(directory.standardError.contains("is a directory, not a CSV file"), "\(directory.standardError)")

        let stray = try school.write(
            "nama,email,password,username\nBudi\rSantoso,x@gmail.com,Guru-Abc-2026x,budi.s1\n", name: "cr.csv")
        let skip = try await school.run(
            ["ptk", "import", "--as", "siti", "--skip-invalid", stray], input: Self.password + "\n", lang: "en")
        #expect(skip.status == 65, "\(skip.standardOutput)")
        #expect(skip.standardError.contains("line 2: A CR (U+000D) on its own"), "\(skip.standardError)")
        #expect(try await school.staff().isEmpty)
    }

    @Test(
        "an empty password line is 'no password' (64), never a failed login: five in a row lock nobody out",
        .timeLimit(.minutes(10)))
    func emptyPasswordLine() async throws {
        let school = try await School.make()
        for _ in 0..<6 {
            let result = try await school.run(["ptk", "list", "--as", "siti", "--json"], input: "\n", lang: "en")
            #expect(result.status == 64, "\(result.standardError)")
            #expect(result.standardError.contains("The password is empty"), "\(result.standardError)")
        }
        #expect(try await school.staff().isEmpty, "the right password still logs in at once")
    }
}
