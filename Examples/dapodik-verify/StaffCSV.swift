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

    let rows: [Row]
    let problems: [Problem]
    /// How many data rows the file has (good and bad).
    let rowCount: Int

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
            self.init(rows: [], problems: problems, rowCount: 0)
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
            self.init(rows: [], problems: problems, rowCount: records.count - 1)
            return
        }
        var seenEmails: [String: Int] = [:]
        var seenUsernames: [String: Int] = [:]
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
                if let first = seenEmails[email.canonical] {
                    problem(
                        line, "\(email.value) sudah dipakai di baris \(first).",
                        "\(email.value) is already used on line \(first).")
                    continue
                }
                if let first = seenUsernames[username.value] {
                    problem(
                        line, "Username \(username.value) sudah dipakai di baris \(first).",
                        "The username \(username.value) is already used on line \(first).")
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
                seenEmails[email.canonical] = line
                seenUsernames[username.value] = line
                rows.append(Row(line: line, registration: registration))
            } catch {
                let column = error.field
                problems.append(
                    Problem(
                        line: line,
                        message: LocalizedText(
                            indonesian: "\(column): \(error.message.indonesian)",
                            english: "\(column): \(error.message.english)")))
            }
        }
        self.init(rows: rows, problems: problems, rowCount: records.count - 1)
    }

    private init(rows: [Row], problems: [Problem], rowCount: Int) {
        self.rows = rows
        self.problems = problems
        self.rowCount = rowCount
    }
}
