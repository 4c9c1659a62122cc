import DapodikVerification
import Foundation
import Synchronization

/// `ptk import`: a school's PTK list from a CSV file, every row checked before anything is stored.
enum ImportCommand {
    /// The JSON form of the outcome.
    struct OutcomeJSON: Encodable {
        struct ProblemJSON: Encodable {
            let line: Int
            let message: String
        }
        let rows: Int
        let valid: Int
        let imported: Int
        let alreadyRegistered: Int
        let checkOnly: Bool
        let problems: [ProblemJSON]
        /// What the person should know that does not make the file bad.
        let warnings: [String]
    }

    static let check = Flag(
        "check", "Hanya periksa berkas; jangan impor apa pun.", "Only check the file; import nothing.")
    static let skipInvalid = Flag(
        "skip-invalid", "Impor baris yang benar (dalam satu commit) dan lewati baris yang salah.",
        "Import the good rows (in one commit) and skip the bad ones.")
    static let separator = Option<Character>(
        "separator", ",|;", "Pemisah kolom (bawaan: dikenali dari baris judul).",
        "The field separator (default: detected from the header row)."
    ) { text, _ throws(CLIError) in
        guard text == "," || text == ";" else {
            throw CLIError.invalidValue(
                indonesian: "--separator harus , atau ;.", english: "--separator must be , or ;.")
        }
        return Character(text)
    }
    static let acceptUnusualDomains = Flag(
        "accept-unusual-domains", "Terima alamat yang domainnya mirip salah ketik.",
        "Accept addresses whose domain looks like a typo.")
    static let file = Argument("file", "Berkas CSV.", "The CSV file.")

    static let command = Command(
        "import",
        summary: text(
            "impor daftar PTK dari berkas CSV (operator).", "import a list of PTK from a CSV file (operator)."),
        discussion: text(
            """
            Baris pertama adalah judul kolom: nama, email, password (wajib) dan nuptk, nik, nip, username
            (boleh). Judul bahasa Inggris juga diterima (name, email, password). Pemisah ',' atau ';'
            dikenali otomatis; BOM UTF-8 dan akhir baris CRLF/LF diterima (RFC 4180).

            Setiap baris diperiksa lebih dulu: isi berkas, lalu (setelah masuk) alamat email dan username
            yang sudah dipakai akun mana pun, juga akun sekolah lain (tanpa menyebut akun siapa). Bila ada
            baris yang salah, setiap baris salah dilaporkan dengan nomor baris dan alasannya, dan TIDAK ADA
            yang diimpor (kode keluar 65). Dengan --skip-invalid, baris yang benar diimpor. Semua PTK yang
            diimpor disimpan dalam satu commit: semuanya atau tidak sama sekali. Baris yang sudah terdaftar
            persis sama dilewati, jadi berkas yang sudah diperbaiki boleh diimpor ulang; kolom password tidak
            dibandingkan, dan impor tidak pernah mengganti kata sandi akun yang sudah ada (PTK mungkin sudah
            menggantinya; operator menggantinya dengan 'ptk edit <ptk> --password'). Paling banyak 1000
            PTK baru sekali impor. --check hanya memeriksa isi berkas, tanpa masuk. Kata sandi operator
            diminta sekali. Berkas berisi kata sandi: hapus setelah impor.
            """,
            """
            The first row holds the column names: nama, email, password (required) and nuptk, nik, nip,
            username (optional). English names are accepted too (name, email, password). The separator ','
            or ';' is detected; a UTF-8 BOM and CRLF/LF line ends are accepted (RFC 4180).

            Every row is checked first: the file's content, then (after the login) addresses and usernames
            any account already uses, including accounts of other schools (without saying whose). If any row
            is bad, each bad row is reported with its line number and the reason, and NOTHING is imported
            (exit code 65). With --skip-invalid the good rows are imported. All imported PTK are stored in
            one commit: all or nothing. Rows already registered exactly as in the file are skipped, so a
            corrected file may be imported again; the password column is not compared, and an import never
            replaces an existing account's password (the PTK may have changed it; the operator changes it
            with 'ptk edit <ptk> --password'). At most 1000 new PTK per import. --check only checks the
            file's content, without a login. The operator's password is asked for once. The file holds
            passwords: delete it after the import.
            """),
        options: [CommonOptions.asOperator, check, skipInvalid, separator, acceptUnusualDomains],
        arguments: [file],
        examples: [
            "dapodik-verify ptk import --as siti@sdn1.sch.id --check ptk.csv",
            "dapodik-verify ptk import --as siti@sdn1.sch.id ptk.csv",
        ],
        supportsJSON: true, action: run)

    /// The most bytes a CSV file may hold: far above any school's staff (a row is about 150 bytes),
    /// far below what would exhaust memory (`/dev/zero` given by mistake).
    static let maximumFileBytes = 16 * 1024 * 1024

    /// Reads the CSV file to its end, so a device or pipe (`/dev/null`, `<(…)`) is read as what it
    /// holds, and at most ``maximumFileBytes``.
    /// - Throws: ``CLIError``: 66 when there is no such file or it is a directory, 74 with the system's reason in the
    ///   person's language when it cannot be read; 65 when it holds more than ``maximumFileBytes``.
    static func readFile(_ path: String) throws(CLIError) -> Data {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw CLIError(
                .fileUnreadable, status: .noInput,
                indonesian: "\(path) adalah direktori, bukan berkas CSV; tidak ada yang diimpor.",
                english: "\(path) is a directory, not a CSV file; nothing was imported.")
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            let reason = FoundationErrorText.reason(of: error, file: path)
            throw CLIError(
                .fileUnreadable, status: FoundationErrorText.errno(under: error) == ENOENT ? .noInput : .ioError,
                indonesian: "Berkas \(path) tidak dapat dibaca: \(reason.indonesian)",
                english: "Cannot read the file \(path): \(reason.english)")
        }
        guard data.count <= maximumFileBytes else {
            let mebibytes = maximumFileBytes / (1024 * 1024)
            throw CLIError(
                .badData, status: .dataError,
                indonesian: "Berkas \(path) lebih dari \(mebibytes) MiB: bukan berkas CSV PTK; tidak ada yang diimpor.",
                english:
                    "The file \(path) holds more than \(mebibytes) MiB: not a staff CSV file; nothing was imported.")
        }
        return data
    }

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let path = invocation.value(Self.file)
        let bytes = try readFile(path)
        let records: [CSVReader.Record]
        do {
            let text = try CSVReader.decode(Array(bytes))
            var separator = CSVReader.detectSeparator(in: text)
            if let given = try invocation.value(Self.separator) { separator = given }
            records = try CSVReader(separator: separator).records(in: text)
        } catch let failure as CSVReader.Failure {
            throw CLIError(
                .badData, status: .dataError,
                indonesian: "\(path) baris \(failure.line): \(failure.message.indonesian)",
                english: "\(path) line \(failure.line): \(failure.message.english)")
        }

        var checking = ProgressBar(
            total: max(records.count - 1, 0), label: console.pick("Memeriksa", "Checking"))
        let file = StaffCSV(
            records: records, passwordPolicy: PasswordPolicy(),
            acceptUnusualDomains: invocation.isSet(Self.acceptUnusualDomains), progress: { checking.advance() })
        checking.finish()
        var problems = file.problems
        var alreadyRegistered = 0
        let checkOnly = invocation.isSet(Self.check)
        let skipInvalid = invocation.isSet(Self.skipInvalid)
        var imported = 0

        if !checkOnly {
            let context = try await ServiceContext.open(invocation)
            let session = try await context.login(invocation, as: CommonOptions.asOperator)
            let run = { () async throws -> Pass in
                try await importPass(
                    file.rows, fileHasProblems: !file.problems.isEmpty, service: context.service,
                    operator: session.account, skipInvalid: skipInvalid, path: path, console: console)
            }
            var pass = try await run()
            // The same file imported at the same moment by another process (a double click, two
            // terminals): its rows are refused here as "address in use". A second pass, as a rerun
            // would, finds them registered exactly as in the file, and says so.
            if try await pass.lostRace(service: context.service, operator: session.account) {
                let first = pass
                pass = try await run()
                pass.imported += first.imported
                pass.alreadyRegistered = max(0, pass.alreadyRegistered - first.imported)
            }
            problems += pass.problems
            imported = pass.imported
            alreadyRegistered = pass.alreadyRegistered
        }
        // Without a login, --check cannot know which rows are registered already (those do not count),
        // so more good rows than one import takes is a warning, not a bad file.
        var warnings: [LocalizedText] = []
        if checkOnly, file.rows.count > VerificationService.maximumStaffBatchSize {
            let maximum = VerificationService.maximumStaffBatchSize
            warnings.append(
                text(
                    "Berkas berisi \(file.rows.count) baris benar; sekali impor paling banyak \(maximum) PTK baru. Baris "
                        + "yang sudah terdaftar persis sama tidak dihitung; bila lebih dari \(maximum) yang baru, bagi "
                        + "berkasnya.",
                    "The file has \(file.rows.count) good rows; an import takes at most \(maximum) new PTK. Rows already "
                        + "registered exactly as in the file do not count; if more than \(maximum) are new, split the "
                        + "file."))
        }
        problems.sort { $0.line < $1.line }
        let refuseAll = !problems.isEmpty && !skipInvalid
        // The rows that passed every check: the file's own, less those the school's accounts or the
        // library refused.
        let refusedLines = Set(problems.map(\.line))
        let valid = file.rows.filter { !refusedLines.contains($0.line) }.count

        if invocation.globals.json {
            try console.printJSON(
                OutcomeJSON(
                    rows: file.rowCount, valid: valid, imported: imported,
                    alreadyRegistered: alreadyRegistered, checkOnly: checkOnly,
                    problems: problems.map { .init(line: $0.line, message: $0.message.text(in: console.language)) },
                    warnings: warnings.map { $0.text(in: console.language) }))
        } else {
            for warning in warnings { console.warn(warning.text(in: console.language)) }
            for problem in problems {
                console.warn(
                    console.pick("\(path) baris \(problem.line): ", "\(path) line \(problem.line): ")
                        + problem.message.text(in: console.language))
            }
            // A line may have more than one problem (a row with two bad columns): lines are counted.
            let badLines = refusedLines.count
            let badRows = refusedLines.subtracting([file.headerLine]).count
            if checkOnly && file.headerRefused && file.rowCount == 0 {
                console.say("Baris judul kolom salah.", "The header row is wrong.")
            } else if checkOnly && file.headerRefused {
                console.say(
                    "Baris judul kolom salah, jadi \(file.rowCount) baris data belum diperiksa.",
                    "The header row is wrong, so no data row was checked (\(file.rowCount) in the file).")
            } else if checkOnly {
                console.say(
                    "\(file.rowCount) baris diperiksa: \(valid) benar, \(badRows) salah.",
                    "\(englishCount(file.rowCount, "row")) checked: \(valid) good, \(badRows) bad.")
            } else if refuseAll {
                console.say(
                    "Tidak ada yang diimpor: perbaiki \(badLines) baris di atas (atau pakai --skip-invalid).",
                    "Nothing was imported: fix the \(badLines == 1 ? "line" : "\(badLines) lines") above (or use "
                        + "--skip-invalid).")
            } else {
                console.say(
                    "Diimpor \(imported) PTK; \(alreadyRegistered) sudah terdaftar (kata sandinya tidak diganti); "
                        + "\(badLines) baris dilewati.",
                    "Imported \(imported) PTK; \(alreadyRegistered) already registered (their passwords left as "
                        + "they were); \(englishCount(badLines, "row")) skipped.")
            }
        }
        // With --skip-invalid the person accepted that bad rows are left out.
        return problems.isEmpty || (skipInvalid && !checkOnly) ? .success : .dataError
    }

    /// What one pass over the file's valid rows did.
    struct Pass {
        var imported = 0
        var alreadyRegistered = 0
        /// The problems only the school's accounts and the library could show.
        var problems: [StaffCSV.Problem] = []
        /// The rows the library refused because their address or username is in use (not because an
        /// earlier row of the file has it).
        var refusedInUse: [StaffCSV.Row] = []

        /// Whether an account now registered exactly as one of ``refusedInUse`` (another import of the
        /// same rows committed while this one ran) explains the refusals.
        func lostRace(service: VerificationService, operator account: AccountID) async throws -> Bool {
            guard !refusedInUse.isEmpty else { return false }
            let existing = try await service.listStaff(by: account)
            return refusedInUse.contains { row in
                existing.contains { registeredExactly(row.registration, as: $0) }
            }
        }
    }

    /// One pass: the school's accounts now, the rows sorted against them (already registered, in
    /// conflict, new), and the new ones registered in one commit (the library refuses bad rows
    /// before hashing anything), unless a row is bad (in the file, `fileHasProblems`, or found here)
    /// and `skipInvalid` is not set: then the library only checks them, and nothing is registered.
    static func importPass(
        _ rows: [StaffCSV.Row], fileHasProblems: Bool, service: VerificationService, operator account: AccountID,
        skipInvalid: Bool, path: String, console: Console
    ) async throws -> Pass {
        var pass = Pass()
        // Rows already in the school exactly as in the file (every column but the password, which
        // the PTK may have changed since) are skipped, so running the same file again after fixing a
        // bad row completes the import without duplicates. A row whose e-mail and username match an
        // account but whose other columns differ is another person: a conflict, never "already
        // registered".
        let existing = try await service.listStaff(by: account)
        var toImport: [StaffCSV.Row] = []
        for row in rows {
            let registration = row.registration
            let sameEmail = existing.first { $0.email?.canonical == registration.email.canonical }
            let sameUsername = existing.first { $0.username == registration.username }
            if let sameEmail, sameEmail.id == sameUsername?.id {
                let differences = differingColumns(of: registration, from: sameEmail)
                if differences.isEmpty {
                    pass.alreadyRegistered += 1
                } else {
                    pass.problems.append(
                        StaffCSV.Problem(
                            line: row.line,
                            message: text(
                                "\(registration.email.value) sudah terdaftar di sekolah ini dengan data lain "
                                    + "(berbeda: \(differences.map(\.indonesian).joined(separator: ", "))). Bila itu orang yang sama, "
                                    + "samakan barisnya dengan akun itu (lihat 'dapodik-verify ptk list'); bila orang "
                                    + "lain, beri baris ini alamat email dan username sendiri.",
                                "\(registration.email.value) is already registered in this school with other data "
                                    + "(differs: \(differences.map(\.english).joined(separator: ", "))). If it is the same person, "
                                    + "make the row match that account (see 'dapodik-verify ptk list'); if it is "
                                    + "someone else, give this row its own e-mail address and username.")))
                }
            } else if sameEmail != nil {
                pass.problems.append(
                    StaffCSV.Problem(
                        line: row.line,
                        message: text(
                            "\(registration.email.value) sudah dipakai akun lain di sekolah ini.",
                            "\(registration.email.value) already belongs to another account of this school.")))
            } else if sameUsername != nil {
                pass.problems.append(
                    StaffCSV.Problem(
                        line: row.line,
                        message: text(
                            "Username \(registration.username.value) sudah dipakai akun lain di sekolah ini.",
                            "The username \(registration.username.value) already belongs to another account "
                                + "of this school.")))
            } else {
                toImport.append(row)
            }
        }
        guard toImport.count <= VerificationService.maximumStaffBatchSize else {
            let maximum = VerificationService.maximumStaffBatchSize
            throw CLIError(
                .badData, status: .dataError,
                indonesian: "\(path) berisi \(toImport.count) PTK baru; paling banyak \(maximum) sekali impor. "
                    + "Bagi berkasnya; tidak ada yang diimpor.",
                english: "\(path) has \(toImport.count) new PTK; at most \(maximum) per import. "
                    + "Split the file; nothing was imported.")
        }
        // What only the library can tell (an address or username held by an account of another
        // school, without saying whose) it tells for every row at once, before any password is
        // hashed: the registration itself when rows are to be imported, a dry run otherwise. Each
        // counts towards the operator's daily bound of rows checked, so the rows are asked once, not
        // checked first and then registered.
        guard (pass.problems.isEmpty && !fileHasProblems) || skipInvalid else {
            let checked = try await service.checkStaff(toImport.map(\.registration), by: account)
            pass.refusedInUse += refusedInUse(checked, of: toImport)
            pass.problems += refusals(checked, of: toImport)
            return pass
        }
        pass.imported = try await importAll(&toImport, pass: &pass, skipInvalid: skipInvalid) { rows in
            let bar = Mutex(ProgressBar(total: rows.count, label: console.pick("Mengimpor", "Importing")))
            defer { bar.withLock { $0.finish() } }
            return try await service.registerStaff(
                rows.map(\.registration), by: account,
                progress: { hashed in bar.withLock { $0.advance(by: hashed - $0.completed) } }
            ).count
        }
        return pass
    }

    /// Whether `account` is the row's registration exactly (e-mail, username and every column the
    /// row gives but the password).
    static func registeredExactly(_ row: AccountRegistration, as account: Account) -> Bool {
        account.email?.canonical == row.email.canonical && account.username == row.username
            && differingColumns(of: row, from: account).isEmpty
    }

    /// The columns of a row that differ from the account registered under its e-mail and username,
    /// with both values for the name and NUPTK (identity numbers are only named). An identity number
    /// the row leaves empty (or has no column for) is not compared, nor is the password: the PTK
    /// may have changed it.
    static func differingColumns(of row: AccountRegistration, from account: Account) -> [LocalizedText] {
        var differences: [LocalizedText] = []
        func compare(_ column: LocalizedText, _ stored: String?, _ given: String?, showValues: Bool = true) {
            guard let given, stored != given else { return }
            let values = showValues ? " '\(stored ?? "")' ≠ '\(given)'" : ""
            differences.append(
                LocalizedText(indonesian: column.indonesian + values, english: column.english + values))
        }
        compare(LocalizedText(indonesian: "nama", english: "name"), account.displayName.value, row.displayName.value)
        compare(LocalizedText(indonesian: "nuptk", english: "nuptk"), account.nuptk?.value, row.nuptk?.value)
        compare(LocalizedText(indonesian: "nik", english: "nik"), account.nik?.value, row.nik?.value, showValues: false)
        compare(LocalizedText(indonesian: "nip", english: "nip"), account.nip?.value, row.nip?.value, showValues: false)
        if account.role != .ptk {
            differences.append(
                LocalizedText(
                    indonesian: "peran \(account.role.displayName.indonesian)",
                    english: "role \(account.role.displayName.english)"))
        }
        return differences
    }

    /// Registers `rows` in one commit. A row the library refuses (its address or username is in
    /// use, or a concurrent request took it) refuses the whole commit; with `skipInvalid` such rows
    /// join the pass's problems and the rest is tried again (a few times), otherwise nothing is
    /// imported and they are reported.
    /// - Returns: How many rows were imported (all of `rows`, or none).
    static func importAll(
        _ rows: inout [StaffCSV.Row], pass: inout Pass, skipInvalid: Bool,
        register: ([StaffCSV.Row]) async throws -> Int
    ) async throws -> Int {
        // The library's refusal of bad rows, then up to three concurrent changes.
        for _ in 0..<4 {
            guard !rows.isEmpty else { return 0 }
            do {
                return try await register(rows)
            } catch let error as VerificationError where error.code == .invalidBatch {
                let refused = refusals(error.rowFailures, of: rows)
                pass.refusedInUse += refusedInUse(error.rowFailures, of: rows)
                pass.problems += refused
                guard skipInvalid else { return 0 }
                let lines = Set(refused.map(\.line))
                rows.removeAll { lines.contains($0.line) }
            }
        }
        throw VerificationError(
            .busy,
            message: LocalizedText(
                indonesian: "Data sekolah terus berubah selama impor; tidak ada yang diimpor. Coba lagi.",
                english: "The school's data kept changing during the import; nothing was imported. Try again."))
    }

    /// The rows refused because an account holds their address or username (not an earlier row).
    static func refusedInUse(_ failures: [StaffBatchFailure], of rows: [StaffCSV.Row]) -> [StaffCSV.Row] {
        failures.filter { failure in
            failure.sameAsRow == nil && [.emailInUse, .usernameInUse].contains(failure.error.code)
        }.map { rows[$0.row] }
    }

    /// The library's refusals as problems of the file's lines.
    static func refusals(_ failures: [StaffBatchFailure], of rows: [StaffCSV.Row]) -> [StaffCSV.Problem] {
        failures.map { failure in
            let message = ErrorClassification.classify(failure.error).message
            guard let earlier = failure.sameAsRow else {
                return StaffCSV.Problem(line: rows[failure.row].line, message: message)
            }
            let line = rows[earlier].line
            return StaffCSV.Problem(
                line: rows[failure.row].line,
                message: LocalizedText(
                    indonesian: "\(message.indonesian) (baris \(line))", english: "\(message.english) (line \(line))"))
        }
    }
}

/// `count` and `noun` in English: "1 row", "3 rows".
func englishCount(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }
