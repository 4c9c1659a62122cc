import DapodikVerification
import Foundation

/// How the CLI shows the library's status values: as text in the person's language, or as JSON
/// with stable keys (`--json`).
enum StatusPresentation {
    /// The JSON form of a ``DeliveryStatus``. Keys are stable; a value that does not apply is left out.
    struct DeliveryJSON: Encodable {
        let state: String
        var since: Date? = nil
        var handedOverAt: Date? = nil
        var nextAttemptAt: Date? = nil
        var attempts: Int? = nil
        var reason: String? = nil
        var whatToDo: String? = nil
        var verifiedAt: Date? = nil
        var maskedAddress: String?
        let codeOrdinal: Int?
        let codeExpiresAt: Date?
        let codeExpiresAtText: String?
        let mayRequestNewCode: Bool
        let newCodeAllowedAt: Date?
        let codesLeft: Int
        let attemptsLeft: Int
        let timeZone: String
        let explanation: String
        var returned: ReturnedJSON? = nil
        var delayEndedAt: Date? = nil
    }

    /// The stable name of a delivery state.
    static func name(of state: DeliveryStatus.State) -> String {
        switch state {
        case .notStarted: "notStarted"
        case .queued: "queued"
        case .sending: "sending"
        case .handedOver: "handedOver"
        case .retrying: "retrying"
        case .failed: "failed"
        case .expired: "expired"
        case .attemptsExhausted: "attemptsExhausted"
        case .verified: "verified"
        }
    }

    static func json(_ status: DeliveryStatus, language: Language) -> DeliveryJSON {
        var json = DeliveryJSON(
            state: name(of: status.state), maskedAddress: status.maskedAddress, codeOrdinal: status.codeOrdinal,
            codeExpiresAt: status.codeExpiresAt,
            codeExpiresAtText: status.codeExpiresAt.map { status.timeZone.formattedTime($0, language: language) },
            mayRequestNewCode: status.mayRequestNewCode, newCodeAllowedAt: status.newCodeAllowedAt,
            codesLeft: status.codesLeft, attemptsLeft: status.attemptsLeft, timeZone: status.timeZone.abbreviation,
            explanation: status.explanation.text(in: language),
            returned: status.returned.map { Self.json($0, in: status.timeZone, language: language) },
            delayEndedAt: status.delayEndedAt)
        switch status.state {
        case .queued(let date), .sending(let date): json.since = date
        case .handedOver(let date, let address):
            json.handedOverAt = date
            json.maskedAddress = address
        case .retrying(let why, let next, let count):
            json.reason = why.text(in: language)
            json.nextAttemptAt = next
            json.attempts = count
        case .failed(let why, let todo):
            json.reason = why.text(in: language)
            json.whatToDo = todo.text(in: language)
        case .verified(let date): json.verifiedAt = date
        case .notStarted, .expired, .attemptsExhausted: break
        }
        return json
    }

    /// A time as the school's people read it: `Senin, 24 Agustus 2026 pukul 08.05 WIB`.
    static func time(_ date: Date, in zone: SchoolTimeZone, _ language: Language) -> String {
        zone.formattedDateTime(date, language: language)
    }

    /// The text lines of a delivery status: the explanation first, then the facts.
    /// - Parameter now: The time the person reads it, to tell a retry that is overdue.
    static func lines(_ status: DeliveryStatus, language: Language, now: Date = Date()) -> [String] {
        let english = language == .english
        func pick(_ indonesian: String, _ englishText: String) -> String { english ? englishText : indonesian }
        func at(_ date: Date) -> String { time(date, in: status.timeZone, language) }
        func from(_ date: Date) -> String { status.timeZone.formattedDateTime(notBefore: date, language: language) }
        var lines = [status.explanation.text(in: language)]
        switch status.state {
        case .notStarted: lines.append(pick("Status: belum dimulai", "Status: not started"))
        case .queued(let date):
            lines.append(pick("Status: antre sejak \(at(date))", "Status: queued since \(at(date))"))
        case .sending(let date):
            lines.append(pick("Status: sedang dikirim sejak \(at(date))", "Status: being sent since \(at(date))"))
        case .handedOver(let date, let address):
            lines.append(
                pick(
                    "Status: diserahkan ke server email \(at(date)) untuk \(address)",
                    "Status: handed to the mail server \(at(date)) for \(address)"))
        case .retrying(let reason, let next, let attempts):
            let reason = withoutFinalPeriod(reason)
            lines.append(
                pick(
                    "Status: dicoba lagi (percobaan ke-\(attempts): \(reason.indonesian)); "
                        + "percobaan berikutnya \(from(next))",
                    "Status: retrying (attempt \(attempts): \(reason.english)); next try \(from(next))"))
            // This program sends only when a command does: say which, rather than promise a retry.
            lines.append(
                next <= now
                    ? pick(
                        "Percobaan itu belum dijalankan: tidak ada pengirim yang berjalan. Jalankan: dapodik-verify "
                            + "outbox drain (atau pasang outbox run / cron, lihat README).",
                        "That attempt has not run: no dispatcher is running. Run: dapodik-verify outbox drain (or set "
                            + "up outbox run / cron, see the README).")
                    : pick(
                        "Percobaan ulang dijalankan oleh 'dapodik-verify outbox run' atau 'outbox drain' dari cron; "
                            + "tanpa keduanya, jalankan 'dapodik-verify outbox drain' setelah waktu itu.",
                        "Retries are made by 'dapodik-verify outbox run' or 'outbox drain' from cron; without either, "
                            + "run 'dapodik-verify outbox drain' after that time."))
        case .failed(let reason, let whatToDo):
            let reason = withoutFinalPeriod(reason)
            lines.append(pick("Status: gagal: \(reason.indonesian)", "Status: failed: \(reason.english)"))
            lines.append(pick("Yang perlu dilakukan: \(whatToDo.indonesian)", "What to do: \(whatToDo.english)"))
        case .expired: lines.append(pick("Status: kode kedaluwarsa", "Status: the code expired"))
        case .attemptsExhausted:
            lines.append(pick("Status: terlalu banyak kode salah", "Status: too many wrong codes"))
        case .verified(let date):
            lines.append(pick("Status: terverifikasi \(at(date))", "Status: verified \(at(date))"))
        }
        if let ordinal = status.codeOrdinal, let expiry = status.codeExpiresAt {
            switch status.state {
            case .queued, .sending, .handedOver, .retrying:
                lines.append(
                    pick(
                        "Kode ke-\(ordinal) berlaku sampai \(at(expiry))",
                        "Code no. \(ordinal) is valid until \(at(expiry))"))
            case .expired where expiry <= now:
                lines.append(
                    pick(
                        "Kode ke-\(ordinal) kedaluwarsa \(at(expiry))", "Code no. \(ordinal) expired \(at(expiry))"))
            case .notStarted, .expired, .failed, .attemptsExhausted, .verified:
                // No code of this challenge is accepted any more, or none is needed: no validity to state.
                break
            }
        }
        if case .verified = status.state { return lines }
        if status.mayRequestNewCode {
            lines.append(
                pick(
                    "Kode baru boleh diminta sekarang (sisa \(status.codesLeft)).",
                    "A new code may be asked for now (\(status.codesLeft) left)."))
        } else if let allowed = status.newCodeAllowedAt {
            // The count is what is left once the wait ends; a daily limit's count is the 0 of now (a wait
            // that ends always lets one through), so it is not said as "then 0 left".
            let then =
                status.codesLeft > 0 ? pick(" (lalu sisa \(status.codesLeft))", " (then \(status.codesLeft) left)") : ""
            lines.append(
                pick(
                    "Kode baru boleh diminta mulai \(from(allowed))\(then).",
                    "A new code may be asked for from \(from(allowed))\(then)."))
        }
        return lines
    }

    /// A reason quoted inside a sentence, so without its own final period in either language.
    private static func withoutFinalPeriod(_ text: LocalizedText) -> LocalizedText {
        func trimmed(_ string: String) -> String { string.hasSuffix(".") ? String(string.dropLast()) : string }
        return LocalizedText(indonesian: trimmed(text.indonesian), english: trimmed(text.english))
    }

    /// The JSON form of an ``AccountOverview`` (BIODATA → Akun).
    struct AccountJSON: Encodable {
        let account: String
        let role: String
        let name: String
        let username: String
        let email: String?
        let verified: Bool
        let updatedAt: Date
        let school: String
        let npsn: String
        let delivery: DeliveryJSON
    }

    static func json(_ overview: AccountOverview, language: Language) -> AccountJSON {
        AccountJSON(
            account: overview.account.description, role: overview.role.rawValue, name: overview.displayName.value,
            username: overview.username.value, email: overview.email?.value, verified: overview.isVerified,
            updatedAt: overview.updatedAt, school: overview.schoolName, npsn: overview.npsn.value,
            delivery: json(overview.status, language: language))
    }

    /// The text lines of an account overview, as the BIODATA → Akun page shows it.
    static func lines(_ overview: AccountOverview, language: Language) -> [String] {
        let english = language == .english
        func pick(_ indonesian: String, _ englishText: String) -> String { english ? englishText : indonesian }
        return [
            pick("Akun", "Account") + ": \(overview.displayName.value) (\(overview.username.value))",
            pick("Sekolah", "School") + ": \(overview.schoolName) (NPSN \(overview.npsn.value))",
            "Email Aktif: \(overview.email?.value ?? "-")",
            pick("Status", "Status") + ": "
                + (overview.isVerified
                    ? pick("terverifikasi", "verified") : pick("belum verifikasi", "not verified")),
            pick("Terakhir diperbarui", "Last updated") + ": "
                + time(overview.updatedAt, in: overview.status.timeZone, language),
        ]
    }

    /// The JSON form of an ``Account`` in a list.
    struct StaffJSON: Encodable {
        let account: String
        let role: String
        let name: String
        let username: String
        let email: String?
        let verified: Bool
        let nuptk: String?
        let updatedAt: Date
    }

    static func json(_ account: Account) -> StaffJSON {
        StaffJSON(
            account: account.id.description, role: account.role.rawValue, name: account.displayName.value,
            username: account.username.value, email: account.email?.value, verified: account.isEmailVerified,
            nuptk: account.nuptk?.value, updatedAt: account.updatedAt)
    }
}
