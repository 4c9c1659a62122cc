import DapodikTestSupport
import Foundation
import Testing

/// The CLI driven like a person (or a script) would: passwords on standard input, the data
/// directory on disk, mail in its Maildir.
@Suite("dapodik-verify flows over a data directory")
struct CommandFlowTests {
    static let operatorPassword = "Sekolah-Hebat-2026"
    /// The password of the PTK `budi` that ``School/withPTK(sendingCode:)`` registers.
    static let ptkPassword = "Guru-Teladan-2026"

    /// A data directory with a verified operator `siti` of school 20100101. Passwords are hashed
    /// with few PBKDF2 iterations (settings.json) so the debug build stays quick.
    struct School {
        /// Holds the data directory and the files beside it; removed when the last copy goes away.
        let scratch: TemporaryDirectory
        var data: URL { scratch.appending("data", isDirectory: true) }

        func run(_ arguments: [String], input: String = "", lang: String = "id") async throws -> ExampleProcess.Result {
            try await ExampleProcess.run(
                "dapodik-verify", arguments + ["--data", data.path], input: input, environment: ["DAPODIK_LANG": lang])
        }

        /// A new data directory with the school and its operator `siti`, whose address is not
        /// confirmed yet.
        static func created(timeZone: String = "WIB") async throws -> School {
            let school = School(scratch: try TemporaryDirectory("example"))
            let data = school.data
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
            let created = try await school.run(
                [
                    "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name",
                    "Siti Aminah", "--operator-email", "siti.aminah@gmail.com", "--operator-username", "siti",
                    "--time-zone", timeZone,
                ], input: operatorPassword + "\n")
            try #require(created.status == 0, "\(created.standardError)")
            return school
        }

        /// A new data directory with the school and its operator `siti`, whose address is confirmed.
        static func make(timeZone: String = "WIB") async throws -> School {
            let school = try await created(timeZone: timeZone)
            let requested = try await school.run(
                ["operator", "request-code", "--as", "siti"], input: operatorPassword + "\n")
            #expect(requested.status == 0, "\(requested.standardError)")
            let code = try await school.run(["mailbox", "code", "--to", "siti.aminah@gmail.com"])
            let confirmed = try await school.run(
                [
                    "operator", "confirm", "--as", "siti",
                    code.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines),
                ],
                input: operatorPassword + "\n")
            #expect(confirmed.status == 0, "\(confirmed.standardError)")
            return school
        }

        /// ``make(timeZone:)`` with the PTK `budi` (budi@gmail.com, password ``ptkPassword``)
        /// registered by the operator, and their first code sent when `sendingCode`.
        static func withPTK(sendingCode: Bool) async throws -> School {
            let school = try await make()
            let registered = try await school.run(
                ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
                input: operatorPassword + "\n" + ptkPassword + "\n")
            try #require(registered.status == 0, "\(registered.standardError)")
            if sendingCode {
                let sent = try await school.run(["ptk", "continue", "--as", "budi"], input: ptkPassword + "\n")
                try #require(sent.status == 0, "\(sent.standardError)")
            }
            return school
        }

        func write(_ csv: String, name: String = "ptk.csv") throws -> String {
            let url = data.deletingLastPathComponent().appendingPathComponent(name)
            try Data(csv.utf8).write(to: url)
            return url.path
        }

        func staff() async throws -> [[String: Any]] {
            let list = try await run(["ptk", "list", "--as", "siti", "--json"], input: operatorPassword + "\n")
            #expect(list.status == 0, "\(list.standardError)")
            return try JSONSerialization.jsonObject(with: Data(list.standardOutput.utf8)) as? [[String: Any]] ?? []
        }
    }

    static let badCSV =
        [
            "\u{FEFF}nama;email;password;nuptk",
            "Budi Santoso;budi.santoso@gmail.com;Guru-Teladan-2026;1234567890123456",
            "Ani Lestari;ani.lestari@gmial.com;Guru-Teladan-2026;",
            "\"Wati; S.Pd\";wati@yahoo.co.id;123;",
            "Dedi;not-an-address;Guru-Teladan-2026;",
            "Eko;budi.santoso@gmail.com;Guru-Teladan-2026;",
            "Fajar;fajar@gmail.com;Guru-Teladan-2026;12345",
        ].joined(separator: "\r\n") + "\r\n"

    @Test("an import with bad rows reports every bad row by line and imports nothing", .timeLimit(.minutes(10)))
    func badRowsImportNothing() async throws {
        let school = try await School.make()
        let path = try school.write(Self.badCSV)
        let result = try await school.run(["ptk", "import", "--as", "siti", path], input: Self.operatorPassword + "\n")
        #expect(result.status == 65)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        for (line, reason) in [
            (3, "gmail.com"), (4, "kata_sandi"), (5, "email"), (6, "baris 2"), (7, "nuptk"),
        ] {
            #expect(
                lines.contains { $0.hasPrefix("\(path) baris \(line): ") && $0.contains(reason) },
                "line \(line) not reported with \(reason): \(lines)")
        }
        #expect(!lines.contains { $0.contains("baris 2:") })
        #expect(!result.standardError.contains("Guru-Teladan-2026"))  // never echo a password
        #expect(!result.standardError.contains("\r"))  // no progress bar when standard error is not a terminal
        #expect(result.standardOutput.contains("Tidak ada yang diimpor"))
        #expect(try await school.staff().isEmpty)
    }

    @Test("--check reports without logging in; --skip-invalid imports only the good rows", .timeLimit(.minutes(10)))
    func checkAndSkip() async throws {
        let school = try await School.make()
        let path = try school.write(Self.badCSV)
        let check = try await school.run(["ptk", "import", "--as", "siti", "--check", "--json", path], lang: "en")
        #expect(check.status == 65)
        let outcome = try JSONSerialization.jsonObject(with: Data(check.standardOutput.utf8)) as? [String: Any]
        #expect(outcome?["rows"] as? Int == 6)
        #expect(outcome?["valid"] as? Int == 1)
        #expect((outcome?["problems"] as? [[String: Any]])?.map { $0["line"] as? Int } == [3, 4, 5, 6, 7])

        let skip = try await school.run(
            ["ptk", "import", "--as", "siti", "--skip-invalid", path], input: Self.operatorPassword + "\n")
        #expect(skip.status == 0)
        #expect(skip.standardOutput.contains("Diimpor 1 PTK"), "\(skip.standardOutput)\(skip.standardError)")
        let staff = try await school.staff()
        #expect(staff.map { $0["email"] as? String } == ["budi.santoso@gmail.com"])
        #expect(staff.first?["verified"] as? Bool == false)

        // Running a corrected file again imports the rest and skips what is already there.
        let fixed = try school.write(
            "name,email,password\nBudi Santoso,budi.santoso@gmail.com,Guru-Teladan-2026\n"
                + "Ani Lestari,ani.lestari@gmail.com,Guru-Teladan-2026\n", name: "fixed.csv")
        let again = try await school.run(["ptk", "import", "--as", "siti", fixed], input: Self.operatorPassword + "\n")
        #expect(again.status == 0, "\(again.standardError)")
        #expect(again.standardOutput.contains("Diimpor 1 PTK; 1 sudah terdaftar (kata sandinya tidak diganti)"))
        #expect(try await school.staff().count == 2)

        // A row equal but for its password is already registered, and says that the password stays.
        let newPassword = try school.write(
            "name,email,password\nBudi Santoso,budi.santoso@gmail.com,Sandi-Lain-Sekali-99\n", name: "password.csv")
        let third = try await school.run(
            ["ptk", "import", "--as", "siti", newPassword], input: Self.operatorPassword + "\n", lang: "en")
        #expect(third.status == 0, "\(third.standardError)")
        #expect(
            third.standardOutput.contains(
                "Imported 0 PTK; 1 already registered (their passwords left as they were); 0 rows skipped."),
            "\(third.standardOutput)")
        let login = try await school.run(
            ["ptk", "status", "--as", "budi.santoso@gmail.com"], input: "Guru-Teladan-2026\n")
        #expect(login.status == 0, "the old password still works: \(login.standardError)")

        // A row with the account's address and username but another name is a conflict, said in the
        // person's language.
        let renamed = try school.write(
            "nama,email,password\nBudi S,budi.santoso@gmail.com,Guru-Teladan-2026\n", name: "renamed.csv")
        for (lang, words) in [
            ("id", "berbeda: nama 'Budi Santoso' ≠ 'Budi S'"), ("en", "differs: name 'Budi Santoso' ≠ 'Budi S'"),
        ] {
            let conflict = try await school.run(
                ["ptk", "import", "--as", "siti", renamed], input: Self.operatorPassword + "\n", lang: lang)
            #expect(conflict.status == 65, "\(conflict.standardError)")
            #expect(conflict.standardError.contains(words), "\(conflict.standardError)")
        }
    }

    @Test(
        "an import asks about its rows once: a good file spends none of the daily bound, a refused one its rows once",
        .timeLimit(.minutes(10)))
    func importSpendsTheBoundOnce() async throws {
        let school = try await School.make()
        let good = try school.write(
            "name,email,password\nBudi Santoso,budi.santoso@gmail.com,Guru-Teladan-2026\n"
                + "Ani Lestari,ani.lestari@gmail.com,Guru-Teladan-2026\n")
        let imported = try await school.run(
            ["ptk", "import", "--as", "siti", good], input: Self.operatorPassword + "\n")
        #expect(imported.status == 0, "\(imported.standardError)")
        func checks() async throws -> [String] {
            let feed = try await school.run(["feed", "--json", "--limit", "1000"])
            let page = try JSONSerialization.jsonObject(with: Data(feed.standardOutput.utf8)) as? [String: Any]
            let events = try #require(page?["events"] as? [[String: Any]], "\(feed.standardOutput)")
            #expect(events.contains { $0["kind"] as? String == "accountRegistered" })
            return events.filter { $0["kind"] as? String == "staffChecked" }.compactMap {
                $0["detail"] as? String
            }
        }
        #expect(try await checks().isEmpty)
        // The operator's own address is taken: only the library can say so.
        let taken = try school.write(
            "name,email,password\nDedi,dedi@gmail.com,Guru-Teladan-2026\nSiti,siti.aminah@gmail.com,Guru-Teladan-2026\n",
            name: "taken.csv")
        let refused = try await school.run(
            ["ptk", "import", "--as", "siti", taken], input: Self.operatorPassword + "\n")
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(try await checks() == ["refused batch: 2 rows checked (2 not asked in 24 hours), 1 already registered"])
        #expect(try await school.staff().count == 2)
        // As the refusal advises, the same file with --skip-invalid: its rows were asked already, so
        // they cost nothing more, and the good one is imported.
        let skipped = try await school.run(
            ["ptk", "import", "--as", "siti", "--skip-invalid", "--json", taken], input: Self.operatorPassword + "\n")
        #expect(skipped.status == 0, "\(skipped.standardError)")
        let outcome = try JSONSerialization.jsonObject(with: Data(skipped.standardOutput.utf8)) as? [String: Any]
        #expect(outcome?["imported"] as? Int == 1, "\(skipped.standardOutput)")
        #expect(outcome?["valid"] as? Int == 1, "the row the library refused is not valid: \(skipped.standardOutput)")
        #expect(
            try await checks() == [
                "refused batch: 2 rows checked (2 not asked in 24 hours), 1 already registered",
                "refused batch: 2 rows checked (0 not asked in 24 hours), 1 already registered",
            ])
        #expect(try await school.staff().count == 3)
    }

    @Test(
        "the same file imported twice at the same moment: one imports every row, the other finds them registered",
        .timeLimit(.minutes(10)))
    func concurrentImportsOfOneFile() async throws {
        let rows = (1...12).map { "Guru \($0),guru.\($0)@gmail.com,Guru-Teladan-2026" }
        // Several attempts, each on a new school: the two processes need not overlap every time, and
        // whether or not they do the outcome must be the same.
        for _ in 0..<3 {
            let school = try await School.make()
            let path = try school.write("name,email,password\n" + rows.joined(separator: "\n") + "\n")
            let arguments = ["ptk", "import", "--as", "siti", "--json", path]
            async let first = school.run(arguments, input: Self.operatorPassword + "\n")
            async let second = school.run(arguments, input: Self.operatorPassword + "\n")
            let results = try await [first, second]
            var outcomes: [(imported: Int, already: Int)] = []
            for result in results {
                #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
                let outcome = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
                #expect((outcome?["problems"] as? [Any])?.isEmpty == true, "\(result.standardOutput)")
                outcomes.append((outcome?["imported"] as? Int ?? -1, outcome?["alreadyRegistered"] as? Int ?? -1))
            }
            let sorted = outcomes.sorted { $0.imported < $1.imported }
            #expect(sorted.map(\.imported) == [0, 12] && sorted.map(\.already) == [12, 0], "\(outcomes)")
            #expect(try await school.staff().count == 12)
        }
    }

    @Test(
        "a row whose address another school's account holds: exit 65, the line named, nothing imported",
        .timeLimit(.minutes(10)))
    func anotherSchoolsAddress() async throws {
        let school = try await School.make()
        let other = try await school.run(
            [
                "school", "create", "--npsn", "20100102", "--name", "SD Negeri 2 Lain", "--operator-name",
                "Rina Wulandari", "--operator-email", "rina.wulandari@gmail.com", "--operator-username", "rina",
            ], input: Self.operatorPassword + "\n")
        #expect(other.status == 0, "\(other.standardError)")
        let path = try school.write(
            "nama,email,password\nBudi Santoso,budi.santoso@gmail.com,Guru-Teladan-2026\n"
                + "Rina Guru,Rina.Wulandari@gmail.com,Guru-Teladan-2026\n"
                + "Ani Lestari,ani.lestari@gmail.com,Guru-Teladan-2026\n")

        let result = try await school.run(["ptk", "import", "--as", "siti", path], input: Self.operatorPassword + "\n")

        #expect(result.status == 65)
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("\(path) baris ") }.count == 1, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(path) baris 3: ") && $0.contains("sudah dipakai akun lain") })
        for secret in ["20100102", "SD Negeri 2", "rina", "Rina Wulandari"] {
            #expect(!result.standardError.contains(secret) && !result.standardOutput.contains(secret))
        }
        #expect(result.standardOutput.contains("Tidak ada yang diimpor"))
        #expect(try await school.staff().isEmpty)
        let feed = try await school.run(["feed", "--json"])
        #expect(!feed.standardOutput.contains("accountRegistered"), "\(feed.standardOutput)")

        // --skip-invalid imports the two other rows together.
        let skip = try await school.run(
            ["ptk", "import", "--as", "siti", "--skip-invalid", "--json", path], input: Self.operatorPassword + "\n")
        #expect(skip.status == 0, "\(skip.standardError)")
        let outcome = try JSONSerialization.jsonObject(with: Data(skip.standardOutput.utf8)) as? [String: Any]
        #expect(outcome?["imported"] as? Int == 2)
        #expect((outcome?["problems"] as? [[String: Any]])?.map { $0["line"] as? Int } == [3])
        #expect(
            try await school.staff().compactMap { $0["email"] as? String }.sorted() == [
                "ani.lestari@gmail.com", "budi.santoso@gmail.com",
            ])
    }

    @Test(
        "correcting the operator's verified address to itself in other letters says nothing changed",
        .timeLimit(.minutes(10)))
    func correctToTheVerifiedAddress() async throws {
        let school = try await School.make()
        let result = try await school.run(
            ["operator", "correct-email", "--as", "siti", "--email", "Siti.Aminah@Gmail.com"],
            input: Self.operatorPassword + "\n", lang: "en")
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("is verified already; nothing changed"), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("request-code"), "\(result.standardOutput)")
    }

    @Test("when a new code may be asked for is shown in the school's own zone", .timeLimit(.minutes(10)))
    func retryInSchoolZone() async throws {
        let school = try await School.make(timeZone: "WITA")
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        let first = try await school.run(["ptk", "continue", "--as", "budi"], input: "Guru-Teladan-2026\n")
        #expect(first.status == 0, "\(first.standardError)")
        let again = try await school.run(["ptk", "resend", "--as", "budi"], input: "Guru-Teladan-2026\n")
        #expect(again.status == 75)  // the cool-down: waiting fixes it
        #expect(again.standardError.contains("Coba lagi mulai"), "\(again.standardError)")
        #expect(again.standardError.contains(" WITA"), "\(again.standardError)")
        #expect(!again.standardError.contains(" WIB"), "\(again.standardError)")
    }

    @Test(
        "a corrected address says when its first code may be asked for, and continue keeps to it",
        .timeLimit(.minutes(10)))
    func correctionKeepsTheCooldown() async throws {
        let school = try await School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        let ptk = "Guru-Teladan-2026\n"
        let first = try await school.run(["ptk", "continue", "--as", "budi"], input: ptk)
        #expect(first.status == 0, "\(first.standardError)")
        let corrected = try await school.run(
            ["ptk", "correct-email", "--as", "budi", "--email", "budi.benar@gmail.com"], input: ptk)
        #expect(corrected.status == 0, "\(corrected.standardError)")
        #expect(corrected.standardOutput.contains("Kode dapat diminta mulai"), "\(corrected.standardOutput)")
        #expect(corrected.standardOutput.contains("ptk continue --as budi"), "\(corrected.standardOutput)")
        let again = try await school.run(["ptk", "continue", "--as", "budi"], input: ptk)
        #expect(again.status == 75)  // the account's cooldown: waiting fixes it
        #expect(again.standardError.contains("baru saja diminta"), "\(again.standardError)")
        #expect(again.standardError.contains("Coba lagi mulai"), "\(again.standardError)")
        let mailbox = try await school.run(["mailbox", "code", "--to", "budi.benar@gmail.com"])
        #expect(mailbox.status != 0, "no code was mailed to the corrected address: \(mailbox.standardOutput)")
    }

    @Test("a PTK verifies from the command line: start, continue, read the mailbox, submit", .timeLimit(.minutes(10)))
    func ptkVerification() async throws {
        let school = try await School.make()
        let operatorThenPTK = Self.operatorPassword + "\nGuru-Teladan-2026\n"
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmial.com"],
            input: operatorThenPTK)
        #expect(registered.status == 65)  // a value (the address) to confirm or correct
        #expect(registered.standardError.contains("--accept-unusual-domain"))
        let fixed = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: operatorThenPTK)
        #expect(fixed.status == 0, "\(fixed.standardError)")

        let ptk = "Guru-Teladan-2026\n"
        let start = try await school.run(["ptk", "start", "--as", "budi"], input: ptk, lang: "en")
        #expect(start.standardOutput.contains("active e-mail: budi@gmail.com"))
        let sent = try await school.run(["ptk", "continue", "--as", "budi", "--json"], input: ptk)
        #expect(sent.status == 0, "\(sent.standardError)")
        let status = try JSONSerialization.jsonObject(with: Data(sent.standardOutput.utf8)) as? [String: Any]
        #expect(status?["state"] as? String == "handedOver")
        #expect(status?["codeOrdinal"] as? Int == 1)
        #expect(status?["timeZone"] as? String == "WIB")

        let wrong = try await school.run(["ptk", "submit", "--as", "budi", "000000"], input: ptk)
        let code = try await school.run(["mailbox", "code", "--to", "budi@gmail.com"])
        let digits = code.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        if digits != "000000" { #expect(wrong.status == 1) }
        let submitted = try await school.run(["ptk", "submit", "--as", "budi", digits, "--json"], input: ptk)
        #expect(submitted.status == 0, "\(submitted.standardError)")
        #expect(submitted.standardOutput.contains("\"outcome\" : \"verified\""))

        let report = try await school.run(["report", "--as", "siti", "--json"], input: Self.operatorPassword + "\n")
        let picture = try JSONSerialization.jsonObject(with: Data(report.standardOutput.utf8)) as? [String: Any]
        #expect(picture?["verified"] as? Int == 1)
        let feed = try await school.run(["feed", "--json"])
        let events = try JSONSerialization.jsonObject(with: Data(feed.standardOutput.utf8)) as? [String: Any]
        let kinds = (events?["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        #expect(kinds.filter { $0 == "emailVerified" }.count == 2)
        #expect(!feed.standardOutput.contains(digits))  // the feed never holds a code
    }

    @Test(
        "without a password on standard input a command stops with 64; a wrong one is refused with 1",
        .timeLimit(.minutes(10)))
    func passwords() async throws {
        let school = try await School.make()
        let none = try await school.run(["ptk", "list", "--as", "siti"])
        #expect(none.status == 64)
        #expect(none.standardError.contains("tidak pernah diterima dari baris perintah"))
        let wrong = try await school.run(["ptk", "list", "--as", "siti"], input: "salah\n", lang: "en")
        #expect(wrong.status == 1)
        let unknown = try await school.run(["ptk", "list", "--as", "nobody"], input: "salah\n", lang: "en")
        #expect(unknown.status == 1)
        #expect(wrong.standardError == unknown.standardError)  // the same answer for both
    }

    /// The parsed `secret-keys` file of a data directory.
    static func keyFile(of school: School) throws -> [String: Any] {
        let data = try Data(contentsOf: school.data.appendingPathComponent("secret-keys"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// Registers PTK `username`, asks for a code and types the code from the mailbox back in.
    /// - Returns: The exit status of `ptk submit` and what it printed.
    static func verifyNewStaff(
        _ school: School, username: String, name: String, sendBetween: (() async throws -> Void)? = nil
    ) async throws -> ExampleProcess.Result {
        let email = "\(username)@gmail.com"
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", name, "--email", email, "--username", username],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        let sent = try await school.run(["ptk", "continue", "--as", username], input: "Guru-Teladan-2026\n")
        #expect(sent.status == 0, "\(sent.standardError)")
        try await sendBetween?()
        let code = try await school.run(["mailbox", "code", "--to", email])
        #expect(code.status == 0, "\(code.standardError)")
        return try await school.run(
            ["ptk", "submit", "--as", username, code.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)],
            input: "Guru-Teladan-2026\n")
    }

    @Test(
        "codes sent before a key rotation verify after it; the key file holds only code keys; early retiring is refused",
        .timeLimit(.minutes(10)))
    func keyRotation() async throws {
        let school = try await School.make()
        let first = try Self.keyFile(of: school)
        #expect(first["format"] as? Int == 2)
        let firstGenerations = try #require(first["generations"] as? [[String: Any]])
        // One secret (no seal key), with its check value.
        #expect(firstGenerations.map { Set($0.keys) } == [["id", "createdAt", "code", "check"]])

        // Budi's code is issued and sealed under k1, then checked after k2 took over.
        let underOldKey = try await Self.verifyNewStaff(school, username: "budi", name: "Budi Santoso") {
            let rotated = try await school.run(["key", "rotate", "--json"])
            #expect(rotated.status == 0, "\(rotated.standardError)")
            let keys = try JSONSerialization.jsonObject(with: Data(rotated.standardOutput.utf8)) as? [[String: Any]]
            #expect(keys?.map { $0["id"] as? String } == ["k1", "k2"])
            #expect(keys?.map { $0["current"] as? Bool } == [false, true])
            #expect(keys?.allSatisfy { Set($0.keys) == ["id", "createdAt", "current"] } == true)  // never the material
        }
        #expect(underOldKey.status == 0, "\(underOldKey.standardOutput)\(underOldKey.standardError)")

        let rotated = try Self.keyFile(of: school)
        let generations = try #require(rotated["generations"] as? [[String: Any]])
        #expect(generations.map { $0["id"] as? String } == ["k1", "k2"])
        #expect(generations.allSatisfy { Set($0.keys) == ["id", "createdAt", "code", "check"] })
        #expect(generations[0]["code"] as? String == firstGenerations[0]["code"] as? String)  // k1 kept as it was

        // Ani's code is issued and sealed under k2.
        let underNewKey = try await Self.verifyNewStaff(school, username: "ani", name: "Ani Lestari")
        #expect(underNewKey.status == 0, "\(underNewKey.standardOutput)\(underNewKey.standardError)")

        let listed = try await school.run(["key", "list"], lang: "en")
        #expect(listed.status == 0)
        let lines = listed.standardOutput.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("k1\t") == true && lines.first?.contains("current") == false)
        #expect(
            lines.last?.hasPrefix("k2\t") == true
                && lines.last?.hasSuffix("(current: makes and seals new codes)") == true)

        let early = try await school.run(["key", "rotate", "--retire", "k1", "--json"], lang: "en")
        #expect(early.status == 75)  // waiting fixes it
        #expect(early.standardError.contains("may still be valid"))
        #expect(early.standardError.contains("\"tryLater.keyStillInUse\""), "\(early.standardError)")
        for notAKey in ["", "k 1", "../k1"] {
            let refused = try await school.run(["key", "rotate", "--retire", notAKey], lang: "en")
            #expect(refused.status == 65, "'\(notAKey)': \(refused.standardError)")
            #expect(refused.standardError.contains("--retire: A key identifier must have"), "\(refused.standardError)")
        }
        let unknown = try await school.run(["key", "rotate", "--retire", "k9"], lang: "en")
        #expect(unknown.status == 1, "\(unknown.standardError)")

        let again = try await school.run(["key", "rotate"], lang: "en")
        #expect(again.status == 0)
        #expect(
            again.standardOutput.contains("Key k3 now makes and seals new codes; k2 still checks codes already sent."))
        #expect(again.standardOutput.contains("dapodik-verify key rotate --retire k2"))

        // A day after k2 took over, k1 may go; what remains is still code keys only.
        var file = try Self.keyFile(of: school)
        var backdated = try #require(file["generations"] as? [[String: Any]])
        backdated[1]["createdAt"] = Date().addingTimeInterval(-25 * 3600).formatted(.iso8601)
        file["generations"] = backdated
        let url = school.data.appendingPathComponent("secret-keys")
        try JSONSerialization.data(withJSONObject: file).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        let retired = try await school.run(["key", "rotate", "--retire", "k1"], lang: "en")
        #expect(retired.status == 0, "\(retired.standardError)")
        #expect(retired.standardOutput.contains("Key k1 is retired"))
        let remaining = try #require(try Self.keyFile(of: school)["generations"] as? [[String: Any]])
        #expect(remaining.map { $0["id"] as? String } == ["k2", "k3"])
        #expect(remaining.allSatisfy { Set($0.keys) == ["id", "createdAt", "code", "check"] })

        try FileManager.default.removeItem(at: url)
        let missing = try await school.run(["ptk", "status", "--as", "budi"], input: "Guru-Teladan-2026\n")
        #expect(missing.status == 74)
        #expect(missing.standardError.contains("key rotate"))
    }

    @Test(
        "a key file of another format is refused and left as it is (format 1 was never released)",
        .timeLimit(.minutes(10)))
    func otherKeyFileFormat() async throws {
        let school = try await School.make()
        let url = school.data.appendingPathComponent("secret-keys")
        let written = try Self.keyFile(of: school)
        for format in [1, 3] {
            var other = written
            other["format"] = format
            let bytes = try JSONSerialization.data(withJSONObject: other)
            try bytes.write(to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            let refused = try await school.run(["key", "list"], lang: "en")
            #expect(refused.status == 74)
            #expect(refused.standardError.contains("has format \(format), but this program reads format 2"))
            #expect(try Data(contentsOf: url) == bytes)
        }
    }

    @Test(
        "asking for a code exits 69 when the address is refused for good or the transport is misconfigured",
        .timeLimit(.minutes(10)))
    func requestExitStatus() async throws {
        let school = try await School.make()
        let outside = school.data.deletingLastPathComponent()
        for (name, sendmailStatus, state) in [("budi", Int32(67), "failed"), ("ani", 78, "retrying")] {
            let registered = try await school.run(
                [
                    "ptk", "register", "--as", "siti", "--name", "\(name.capitalized) Santoso", "--email",
                    "\(name)@gmail.com",
                ],
                input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
            #expect(registered.status == 0, "\(registered.standardError)")
            let sendmail = try Self.fakeSendmail(in: outside, exitStatus: sendmailStatus, reply: nil)
            let requested = try await school.run(
                ["--sendmail", sendmail.path, "ptk", "continue", "--as", name, "--json"],
                input: "Guru-Teladan-2026\n")
            #expect(requested.status == 69, "sendmail \(sendmailStatus): \(requested.standardError)")
            let status = try JSONSerialization.jsonObject(with: Data(requested.standardOutput.utf8)) as? [String: Any]
            #expect(status?["state"] as? String == state, "\(requested.standardOutput)")
        }
    }

    /// Writes an executable shell script standing in for sendmail; on a non-zero exit it prints
    /// `reply` (an SMTP reply, which decides over the exit status) when there is one.
    static func fakeSendmail(
        in directory: URL, exitStatus: Int32, reply: String? = "451 4.3.0 try again later"
    ) throws -> URL {
        let script = directory.appendingPathComponent("sendmail-\(exitStatus)")
        let body = """
            #!/bin/sh
            cat > "\(directory.path)/sent-$$.eml"
            echo "$@" > "\(directory.path)/arguments-$$"
            \(reply.map { "[ \(exitStatus) -ne 0 ] && echo \"\($0)\" >&2" } ?? "")
            exit \(exitStatus)
            """
        try Data(body.utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    @Test("--sendmail hands the mail to a sendmail program; its exit 75 shows as retrying", .timeLimit(.minutes(10)))
    func sendmail() async throws {
        let school = try await School.make()
        let outside = school.data.deletingLastPathComponent()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")

        let busy = try Self.fakeSendmail(in: outside, exitStatus: 75)
        let deferred = try await school.run(
            ["--sendmail", busy.path, "ptk", "continue", "--as", "budi", "--json"], input: "Guru-Teladan-2026\n")
        #expect(deferred.status == 0, "\(deferred.standardError)")
        let status = try JSONSerialization.jsonObject(with: Data(deferred.standardOutput.utf8)) as? [String: Any]
        #expect(status?["state"] as? String == "retrying")
        #expect(status?["nextAttemptAt"] is String)

        #expect((status?["reason"] as? String)?.isEmpty == false)

        let other = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Ani Lestari", "--email", "ani@gmail.com"],
            input: Self.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(other.status == 0, "\(other.standardError)")
        let working = try Self.fakeSendmail(in: outside, exitStatus: 0)
        let sentNow = try await school.run(
            ["--sendmail", working.path, "ptk", "continue", "--as", "ani", "--json"], input: "Guru-Teladan-2026\n")
        let handedOver = try JSONSerialization.jsonObject(with: Data(sentNow.standardOutput.utf8)) as? [String: Any]
        #expect(handedOver?["state"] as? String == "handedOver")
        let files = try FileManager.default.contentsOfDirectory(atPath: outside.path)
        let messages = try files.filter { $0.hasPrefix("sent-") }.map {
            try String(contentsOf: outside.appendingPathComponent($0), encoding: .utf8)
        }
        #expect(messages.count == 2)  // one attempt each; budi's is retried later by the outbox
        #expect(messages.contains { $0.contains("ani@gmail.com") })
        let arguments = try files.filter { $0.hasPrefix("arguments-") }.map {
            try String(contentsOf: outside.appendingPathComponent($0), encoding: .utf8)
        }
        // The envelope sender is the message's own return address (VERP), on the sender's domain.
        #expect(
            arguments.contains {
                $0.contains("-f bounce+") && $0.contains("@dapodik.example --") && $0.contains("-- ani@gmail.com")
            })
        // Nothing went to the Maildir: --sendmail replaced it.
        let mailbox = try await school.run(["mailbox", "list", "--json"])
        let inMaildir = try JSONSerialization.jsonObject(with: Data(mailbox.standardOutput.utf8)) as? [Any]
        #expect(inMaildir?.count == 1)  // only the operator's own code, sent before --sendmail was used
    }

    @Test("outbox run keeps sending until interrupted, then stops cleanly with 0", .timeLimit(.minutes(10)))
    func outboxRunStopsOnInterrupt() async throws {
        let school = try await School.make()
        let process = Process()
        process.executableURL = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify")
        process.arguments = ["outbox", "run", "--interval", "1", "--data", school.data.path, "--lang", "en"]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // The reads and the wait block, so they run on a thread of their own, not on one of the few
        // that the tests' tasks share (blocking those stalled other tests past their time limits).
        let fallbackSent = SentFlag()
        let (first, rest) = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // Wait for the first line (the loop has started), not for a length of time.
                let reader = output.fileHandleForReading
                var received = Data()
                while !received.contains(UInt8(ascii: "\n")) {
                    let chunk = reader.availableData
                    if chunk.isEmpty { break }
                    received.append(chunk)
                }
                process.interrupt()
                // If the interrupt were lost the test would wait forever: end the process after a
                // while (SIGTERM, which it handles too) and fail below, rather than hang.
                DispatchQueue.global().asyncAfter(deadline: .now() + 30) {
                    if process.isRunning {
                        fallbackSent.set()
                        process.terminate()
                    }
                }
                let rest = reader.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: (received, rest))
            }
        }
        // A Ctrl-C right after the line must not be lost (it was, while the signal watcher was not
        // yet registered: the process then stopped only at the SIGTERM 30 seconds later).
        #expect(!fallbackSent.isSet, "SIGINT right after the start line was lost")
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("Sending mail from the outbox"))
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let said = String(decoding: rest, as: UTF8.self)
        #expect(said.contains("Stopped."))
        // Said at once, before the stop: a send under way could hold it up to the transport's limit.
        #expect(said.contains("Stopping… (a message being sent is finished first)\nStopped."), "\(said)")
    }
}

/// Whether the test's fallback signal was sent, set on one thread and read on another.
private final class SentFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var sent = false

    func set() { lock.withLock { sent = true } }

    var isSet: Bool { lock.withLock { sent } }
}
