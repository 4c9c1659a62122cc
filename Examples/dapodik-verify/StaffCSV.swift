import DapodikVerification
import Foundation

/// A school's PTK list as a CSV file, checked row by row before anything is imported.
///
/// Columns (header row, any order, case-insensitive; Indonesian or English names): `nama`/`name`,
/// `email`, `password`/`kata_sandi` are required; `username`, `nuptk`, `nik`, `nip` are optional.
/// Each row is checked with the library's own validators (the same ones registration uses), plus
/// what only the whole file can show: the same address or username twice.
struct StaffCSV {
    /// A row that passed every check.
    struct Row: Sendable {
        let line: Int
        let registration: AccountRegistration
    }

    /// A row (or the header) that did not.
    struct Problem: Sendable, Equatable {
        let line: Int
        let message: LocalizedText
    }

    /// The column names the file may use, by field.
    static let columns: [(field: String, names: Set<String>, required: Bool)] = [
        ("name", ["nama", "name", "nama_lengkap", "full_name"], true),
        ("email", ["email", "email_aktif", "e-mail", "active_email"], true),
        ("password", ["password", "kata_sandi", "sandi"], true),
        ("username", ["username", "nama_pengguna", "user_name"], false),
        ("nuptk", ["nuptk"], false),
        ("nik", ["nik"], false),
        ("nip", ["nip"], false),
    ]

    /// The column a field is named by in Indonesian text (the file's own first name for it).
    static let indonesianColumnName = ["name": "nama", "password": "kata_sandi", "username": "nama_pengguna"]

    let rows: [Row]
    let problems: [Problem]
    /// How many data rows the file has (good and bad).
    let rowCount: Int
    /// Whether the header row (or its absence) was refused, so that no data row was checked.
    var headerRefused: Bool { rows.isEmpty && !problems.isEmpty && problems.allSatisfy { $0.line == headerLine } }
    /// The header's line number (1 unless the file starts with empty lines).
    let headerLine: Int

    /// Checks a whole file.
    /// - Parameters:
    ///   - records: The file's records, the header first.
    ///   - passwordPolicy: The policy new passwords must meet.
    ///   - acceptUnusualDomains: Accept addresses that look mistyped (`gmial.com`).
    ///   - progress: Called after each row.
    init(
        records: [CSVReader.Record], passwordPolicy: PasswordPolicy, acceptUnusualDomains: Bool,
        progress: () -> Void = {}
    ) {
        var problems: [Problem] = []
        var rows: [Row] = []
        func problem(_ line: Int, _ indonesian: String, _ english: String) {
            problems.append(Problem(line: line, message: LocalizedText(indonesian: indonesian, english: english)))
        }
        guard let header = records.first else {
            problem(1, "Berkas kosong: baris judul kolom tidak ada.", "The file is empty: there is no header row.")
            self.init(rows: [], problems: problems, rowCount: 0, headerLine: 1)
            return
        }
        var position: [String: Int] = [:]
        var unknown: [Int] = []
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
            guard let column = Self.columns.first(where: { $0.names.contains(name) }) else {
                unknown.append(index + 1)
                continue
            }
            if position[column.field] != nil {
                problem(
                    header.line, "Kolom \(column.field) muncul dua kali.", "The column \(column.field) appears twice.")
            }
            position[column.field] = index
        }
        let headerless = !unknown.isEmpty && Self.looksLikeData(header)
        if headerless {
            // Said once: the columns it lacks follow from it.
            problems = [Problem(line: header.line, message: Self.missingHeaderRow)]
        } else if !unknown.isEmpty {
            // An unknown header cell is never echoed: it may be a password.
            problems.append(Problem(line: header.line, message: Self.unknownColumns(unknown)))
        }
        for column in Self.columns where !headerless && column.required && position[column.field] == nil {
            let names = column.names.sorted().joined(separator: "/")
            problem(header.line, "Kolom wajib tidak ada: \(names).", "A required column is missing: \(names).")
        }
        guard problems.isEmpty else {
            self.init(rows: [], problems: problems, rowCount: records.count - 1, headerLine: header.line)
            return
        }
        // Addresses and usernames are one namespace of login names, as the library keeps them: each
        // name's first line, and whether it was that line's address.
        var seen: [String: (line: Int, isEmail: Bool)] = [:]
        for record in records.dropFirst() {
            defer { progress() }
            let line = record.line
            guard record.fields.count == header.fields.count else {
                problem(
                    line, "Jumlah kolom \(record.fields.count), seharusnya \(header.fields.count).",
                    "\(record.fields.count) fields, expected \(header.fields.count).")
                continue
            }
            func value(_ field: String) -> String? {
                guard let index = position[field] else { return nil }
                let text = record.fields[index].trimmingCharacters(in: .whitespaces)
                return text.isEmpty ? nil : text
            }
            // Every problem of the row is told at once, so one round of corrections is enough.
            var found: [LocalizedText] = []
            func check<Value>(_ make: () throws(ValidationError) -> Value) -> Value? {
                do { return try make() } catch {
                    found.append(Self.columnMessage(error))
                    return nil
                }
            }
            let name = check { () throws(ValidationError) in try DisplayName(value("name") ?? "") }
            let email = check { () throws(ValidationError) in try EmailAddress(value("email") ?? "") }
            if let email, !acceptUnusualDomains, let suggestion = email.suggestedCorrection {
                found.append(
                    LocalizedText(
                        indonesian: "\(email.value): domain mirip salah ketik, maksud Anda \(suggestion.value)?",
                        english: "\(email.value): the domain looks mistyped, did you mean \(suggestion.value)?"))
            }
            let username: Username?
            if let given = value("username") {
                username = check { () throws(ValidationError) in try Username(given) }
            } else if let email {
                username = Self.derivedUsername(from: email, into: &found)
            } else {
                username = nil
            }
            // Spaces count in a password (PasswordPolicy): a cell that begins or ends with one is refused
            // rather than trimmed into another password or kept with a space nobody meant.
            let password = position["password"].map { record.fields[$0] } ?? ""
            if password != password.trimmingCharacters(in: .whitespaces) {
                found.append(
                    LocalizedText(
                        indonesian: "Kata sandi diawali atau diakhiri spasi; hapus spasinya.",
                        english: "The password begins or ends with a space; remove it."))
            } else {
                _ = check { () throws(ValidationError) in
                    try passwordPolicy.validate(password, username: username, email: email)
                }
            }
            let nuptk = check { () throws(ValidationError) in
                try value("nuptk").map { text throws(ValidationError) in try NUPTK(text) }
            }
            let nik = check { () throws(ValidationError) in
                try value("nik").map { text throws(ValidationError) in try NIK(text) }
            }
            let nip = check { () throws(ValidationError) in
                try value("nip").map { text throws(ValidationError) in try NIP(text) }
            }
            if let email, let username {
                found += Self.repeated(email: email, username: username, seen: seen)
            }
            guard found.isEmpty, let name, let email, let username, let nuptk, let nik, let nip else {
                problems += found.map { Problem(line: line, message: $0) }
                continue
            }
            seen[email.canonical] = (line, true)
            if seen[username.value.lowercased()] == nil { seen[username.value.lowercased()] = (line, false) }
            rows.append(
                Row(
                    line: line,
                    registration: AccountRegistration(
                        displayName: name, username: username, email: email, password: password, nuptk: nuptk,
                        nik: nik, nip: nip, confirmingUnusualDomain: acceptUnusualDomains)))
        }
        self.init(rows: rows, problems: problems, rowCount: records.count - 1, headerLine: header.line)
    }

    /// A validator's refusal of one column, named by the file's own column name.
    static func columnMessage(_ error: ValidationError) -> LocalizedText {
        let column = error.field
        return LocalizedText(
            indonesian: "\(indonesianColumnName[column] ?? column): \(error.message.indonesian)",
            english: "\(column): \(error.message.english)")
    }

    /// The username a row without a username column gets (its address's local part), or `nil` with
    /// the reason in `found`, said as the derived name it is, not as a column the file lacks.
    static func derivedUsername(from email: EmailAddress, into found: inout [LocalizedText]) -> Username? {
        do {
            return try Username(email.localPart)
        } catch {
            found.append(
                LocalizedText(
                    indonesian: "username bawaan '\(email.localPart)' (dari alamat \(email.value)) tidak dapat "
                        + "dipakai: \(error.message.indonesian) Tambahkan kolom username.",
                    english: "the default username '\(email.localPart)' (from the address \(email.value)) cannot "
                        + "be used: \(error.message.english) Add a username column."))
            return nil
        }
    }

    /// A row's address or username that an earlier row of the file already has (addresses and
    /// usernames are one namespace of login names, as the library keeps them).
    static func repeated(email: EmailAddress, username: Username, seen: [String: (line: Int, isEmail: Bool)])
        -> [LocalizedText]
    {
        let emailName = email.canonical
        let usernameName = username.value.lowercased()
        if let first = seen[emailName] {
            return [
                first.isEmail
                    ? LocalizedText(
                        indonesian: "\(email.value) sudah dipakai di baris \(first.line).",
                        english: "\(email.value) is already used on line \(first.line).")
                    : LocalizedText(
                        indonesian: "\(email.value) sudah menjadi username di baris \(first.line).",
                        english: "\(email.value) is already the username on line \(first.line).")
            ]
        }
        if usernameName != emailName, let first = seen[usernameName] {
            return [
                first.isEmail
                    ? LocalizedText(
                        indonesian: "Username \(username.value) sudah menjadi alamat email di baris \(first.line).",
                        english: "The username \(username.value) is already the e-mail address on line "
                            + "\(first.line).")
                    : LocalizedText(
                        indonesian: "Username \(username.value) sudah dipakai di baris \(first.line).",
                        english: "The username \(username.value) is already used on line \(first.line).")
            ]
        }
        return []
    }

    /// Whether a header row is a row of data: one of its cells is an e-mail address, so the file
    /// most likely lacks its header row.
    static func looksLikeData(_ header: CSVReader.Record) -> Bool {
        header.fields.contains { (try? EmailAddress($0.trimmingCharacters(in: .whitespaces))) != nil }
    }

    /// What a file without its header row is told (its first line is never echoed: it holds a
    /// password).
    static let missingHeaderRow = LocalizedText(
        indonesian: "Baris pertama tampaknya data, bukan judul kolom (berisi alamat email). Tambahkan baris judul di "
            + "atasnya, misalnya: nama,email,password. Isinya tidak ditampilkan karena bisa berisi kata sandi.",
        english: "The first line looks like data, not column names (it holds an e-mail address). Add a header row "
            + "above it, such as: nama,email,password. Its content is not shown, as it may hold a password.")

    /// The header's unknown columns, by position, never by content (a cell may be a password).
    static func unknownColumns(_ positions: [Int]) -> LocalizedText {
        let known = columns.flatMap { column in column.names.sorted() }.joined(separator: ", ")
        let list = positions.map(String.init).joined(separator: ", ")
        return LocalizedText(
            indonesian: "Kolom ke-\(list) di baris judul tidak dikenal (isinya tidak ditampilkan karena bisa berisi "
                + "kata sandi). Nama kolom yang dikenal: \(known).",
            english: "Column \(list) of the header row is not known (its content is not shown, as it may hold a "
                + "password). Known column names: \(known).")
    }

    private init(rows: [Row], problems: [Problem], rowCount: Int, headerLine: Int) {
        self.rows = rows
        self.problems = problems
        self.rowCount = rowCount
        self.headerLine = headerLine
    }
}
