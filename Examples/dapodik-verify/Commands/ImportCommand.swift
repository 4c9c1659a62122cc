import DapodikVerification
import Foundation

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
    }

    static let run: Command.Action = { invocation in
        let arguments = invocation.arguments
        let console = invocation.console
        let path = arguments.positional(0)!
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw CLIError(
                .fileUnreadable, status: .ioError, indonesian: "Berkas \(path) tidak dapat dibaca.",
                english: "Cannot read the file \(path).")
        }
        let records: [CSVReader.Record]
        do {
            let text = try CSVReader.decode(Array(bytes))
            var separator = CSVReader.detectSeparator(in: text)
            if let given = arguments.value("separator") {
                guard given == "," || given == ";" else {
                    throw CLIError.usage(
                        .invalidValue, indonesian: "--separator harus , atau ;.", english: "--separator must be , or ;."
                    )
                }
                separator = Character(given)
            }
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
            acceptUnusualDomains: arguments.has("accept-unusual-domains"), progress: { checking.advance() })
        checking.finish()
        var problems = file.problems
        var toImport = file.rows
        var alreadyRegistered = 0
        let checkOnly = arguments.has("check")

        var context: ServiceContext?
        var session: Session?
        if !checkOnly {
            let opened = try ServiceContext.open(invocation)
            let loggedIn = try await opened.login(invocation)
            context = opened
            session = loggedIn
            // Rows already in the school exactly as in the file are skipped, so running the same
            // file again after fixing a bad row completes the import without duplicates.
            let existing = try await opened.service.listStaff(by: loggedIn.account)
            toImport = []
            for row in file.rows {
                let registration = row.registration
                let sameEmail = existing.first { $0.email?.canonical == registration.email.canonical }
                let sameUsername = existing.first { $0.username == registration.username }
                if let sameEmail, sameEmail.id == sameUsername?.id {
                    alreadyRegistered += 1
                } else if sameEmail != nil {
                    problems.append(
                        StaffCSV.Problem(
                            line: row.line,
                            message: text(
                                "\(registration.email.value) sudah dipakai akun lain di sekolah ini.",
                                "\(registration.email.value) already belongs to another account of this school.")))
                } else if sameUsername != nil {
                    problems.append(
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
        }
        problems.sort { $0.line < $1.line }

        let refuseAll = !problems.isEmpty && !arguments.has("skip-invalid")
        var imported = 0
        var importFailures = 0
        if let context, let session, !checkOnly, !refuseAll, !toImport.isEmpty {
            var importing = ProgressBar(total: toImport.count, label: console.pick("Mengimpor", "Importing"))
            for row in toImport {
                do {
                    _ = try await context.service.registerStaff(row.registration, by: session.account)
                    imported += 1
                } catch {
                    importFailures += 1
                    problems.append(
                        StaffCSV.Problem(line: row.line, message: ErrorClassification.classify(error).message))
                }
                importing.advance()
            }
            importing.finish()
        }

        if invocation.globals.json {
            try console.printJSON(
                OutcomeJSON(
                    rows: file.rowCount, valid: file.rows.count, imported: imported,
                    alreadyRegistered: alreadyRegistered, checkOnly: checkOnly,
                    problems: problems.map { .init(line: $0.line, message: $0.message.text(in: console.language)) }))
        } else {
            for problem in problems {
                console.warn(
                    console.pick("\(path) baris \(problem.line): ", "\(path) line \(problem.line): ")
                        + problem.message.text(in: console.language))
            }
            if checkOnly {
                console.say(
                    "\(file.rowCount) baris diperiksa: \(file.rows.count) benar, \(problems.count) salah.",
                    "\(file.rowCount) rows checked: \(file.rows.count) good, \(problems.count) bad.")
            } else if refuseAll {
                console.say(
                    "Tidak ada yang diimpor: perbaiki \(problems.count) baris di atas (atau pakai --skip-invalid).",
                    "Nothing was imported: fix the \(problems.count) rows above (or use --skip-invalid).")
            } else {
                console.say(
                    "Diimpor \(imported) PTK; \(alreadyRegistered) sudah terdaftar; \(problems.count) baris dilewati.",
                    "Imported \(imported) PTK; \(alreadyRegistered) already registered; \(problems.count) rows skipped."
                )
            }
        }
        // With --skip-invalid the person accepted that bad rows are left out; a row the library then
        // refused (an address another school uses) still makes the import incomplete.
        let skipped = arguments.has("skip-invalid") && !checkOnly
        return problems.isEmpty || (skipped && importFailures == 0) ? .success : .dataError
    }
}
