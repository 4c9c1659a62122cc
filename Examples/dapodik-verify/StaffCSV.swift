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
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: " ", with: "_")
            guard let column = Self.columns.first(where: { $0.names.contains(name) }) else {
                problem(
                    header.line, "Kolom tidak dikenal: \"\(raw)\".",
                    "Unknown column: \"\(raw)\".")
                continue
            }
            if position[column.field] != nil {
                problem(
                    header.line, "Kolom \(column.field) muncul dua kali.", "The column \(column.field) appears twice.")
            }
            position[column.field] = index
        }
        for column in Self.columns where column.required && position[column.field] == nil {
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
            do {
                let name = try DisplayName(value("name") ?? "")
                let email = try EmailAddress(value("email") ?? "")
                if !acceptUnusualDomains, let suggestion = email.suggestedCorrection {
                    problem(
                        line, "\(email.value): domain mirip salah ketik, maksud Anda \(suggestion.value)?",
                        "\(email.value): the domain looks mistyped, did you mean \(suggestion.value)?")
                    continue
                }
                let username = try Username(value("username") ?? email.localPart)
                let emailName = email.canonical
                let usernameName = username.value.lowercased()
                if let first = seen[emailName] {
                    problem(
                        line,
                        first.isEmail
                            ? "\(email.value) sudah dipakai di baris \(first.line)."
                            : "\(email.value) sudah menjadi username di baris \(first.line).",
                        first.isEmail
                            ? "\(email.value) is already used on line \(first.line)."
                            : "\(email.value) is already the username on line \(first.line).")
                    continue
                }
                if usernameName != emailName, let first = seen[usernameName] {
                    problem(
                        line,
                        first.isEmail
                            ? "Username \(username.value) sudah menjadi alamat email di baris \(first.line)."
                            : "Username \(username.value) sudah dipakai di baris \(first.line).",
                        first.isEmail
                            ? "The username \(username.value) is already the e-mail address on line \(first.line)."
                            : "The username \(username.value) is already used on line \(first.line).")
                    continue
                }
                // Spaces count in a password (PasswordPolicy): a cell that begins or ends with one is refused
                // rather than trimmed into another password or kept with a space nobody meant.
                let password = position["password"].map { record.fields[$0] } ?? ""
                if password != password.trimmingCharacters(in: .whitespaces) {
                    problem(
                        line, "Kata sandi diawali atau diakhiri spasi; hapus spasinya.",
                        "The password begins or ends with a space; remove it.")
                    continue
                }
                try passwordPolicy.validate(password, username: username, email: email)
                let registration = AccountRegistration(
                    displayName: name, username: username, email: email, password: password,
                    nuptk: try value("nuptk").map { text throws(ValidationError) in try NUPTK(text) },
                    nik: try value("nik").map { text throws(ValidationError) in try NIK(text) },
                    nip: try value("nip").map { text throws(ValidationError) in try NIP(text) },
                    confirmingUnusualDomain: acceptUnusualDomains)
                seen[emailName] = (line, true)
                if seen[usernameName] == nil { seen[usernameName] = (line, false) }
                rows.append(Row(line: line, registration: registration))
            } catch {
                let column = error.field
                problems.append(
                    Problem(
                        line: line,
                        message: LocalizedText(
                            indonesian: "\(Self.indonesianColumnName[column] ?? column): \(error.message.indonesian)",
                            english: "\(column): \(error.message.english)")))
            }
        }
        self.init(rows: rows, problems: problems, rowCount: records.count - 1, headerLine: header.line)
    }

    private init(rows: [Row], problems: [Problem], rowCount: Int, headerLine: Int) {
        self.rows = rows
        self.problems = problems
        self.rowCount = rowCount
        self.headerLine = headerLine
    }
}
