import DapodikVerification
import Foundation

/// A ``DeliveryStatus`` as the code page shows it: every value as text in the person's language,
/// times on the school's clock. The page renders it and the status endpoint sends it as JSON, so
/// the live update and the page without script say the same.
struct StatusPresentation: Encodable, Sendable {
    /// The named values (`stateLabel`, `handedOverAt`, …) as text. The values of one delivery state
    /// (`handedOverAt`, `retry`, `failure`) are absent in the others, never a bare dash.
    let fields: [String: String]
    /// When a new code may be asked for, for the countdown; `nil` when now or never.
    let newCodeAllowedAtMillis: Double?
    /// When the newest code expires, for the countdown.
    let codeExpiresAtMillis: Double?
    /// Whether a new code may be asked for now.
    let mayRequestNewCode: Bool
    /// Whether the address is verified.
    let isVerified: Bool

    /// The order and labels of the fields on the page.
    static func labels(_ visit: Visit) -> [(field: String, label: String)] {
        [
            ("trouble", visit.text("Perhatian", "Attention")),
            ("stateLabel", visit.text("Status pengiriman", "Delivery state")),
            ("address", visit.text("Dikirim ke", "Sent to")),
            ("handedOverAt", visit.text("Diserahkan ke server email", "Handed to the mail server")),
            ("retry", visit.text("Dicoba lagi", "Retrying")),
            ("failure", visit.text("Gagal", "Failed")),
            ("validUntil", visit.text("Kode berlaku sampai", "Code valid until")),
            ("newCode", visit.text("Kode baru boleh diminta", "A new code may be asked for")),
            ("attemptsLeft", visit.text("Sisa percobaan kode", "Code attempts left")),
            ("codesLeft", visit.text("Sisa kode yang dapat dikirim", "Codes that can still be sent")),
            ("explanation", visit.text("Keterangan", "Explanation")),
        ]
    }

    /// The presentation of `status` to `visit`.
    /// - Parameters:
    ///   - status: The delivery status.
    ///   - visit: The visit, for its language.
    ///   - mailTrouble: Why no mail can be sent until the transport's configuration is fixed
    ///     (``MailTransportWatch/trouble``): shown, as an alert (`trouble`), while the code's delivery
    ///     is being retried.
    init(_ status: DeliveryStatus, visit: Visit, mailTrouble: LocalizedText? = nil) {
        let zone = status.timeZone
        let language = visit.language
        func time(_ date: Date) -> String { zone.formattedDateTime(date, language: language) }
        // When the code was handed to the mail server, the next retry and the failure are set only in
        // their own state: a dash in the others would say nothing, and after too many wrong codes
        // "handed to the mail server: –" would read as if the code had never been sent.
        var fields: [String: String] = [
            "address": status.maskedAddress ?? "–",
            "validUntil": status.codeExpiryDescription.map { visit.text($0) } ?? "–",
            "attemptsLeft": String(status.attemptsLeft),
            "codesLeft": String(status.codesLeft),
            "explanation": visit.text(status.explanation),
        ]
        var verified = false
        switch status.state {
        case .notStarted:
            fields["stateLabel"] = visit.text("Belum ada kode yang diminta", "No code asked for yet")
        case .queued(let since):
            fields["stateLabel"] = visit.text("Dalam antrean sejak ", "Queued since ") + time(since)
        case .sending(let since):
            fields["stateLabel"] = visit.text("Sedang dikirim sejak ", "Being sent since ") + time(since)
        case .handedOver(let at, let masked):
            fields["stateLabel"] = visit.text("Terkirim ke server email", "Handed over to the mail server")
            fields["handedOverAt"] = time(at)
            fields["address"] = masked
        case .retrying(let reason, let next, let attempts):
            fields["stateLabel"] = visit.text("Pengiriman dicoba lagi", "Delivery is being retried")
            // The library says only that the server is misconfigured; the transport said how.
            if let mailTrouble { fields["trouble"] = visit.text(mailTrouble) }
            // The whole minute not before the attempt, as the explanation says it; the reason is a
            // sentence of its own.
            var why = visit.text(reason)
            if why.hasSuffix(".") { why.removeLast() }
            fields["retry"] =
                zone.formattedDateTime(notBefore: next, language: language) + " (" + why
                + visit.text("; percobaan ke-", "; attempt ") + String(attempts) + ")"
        case .failed(let reason, let whatToDo):
            fields["stateLabel"] = visit.text("Tidak terkirim", "Not delivered")
            fields["failure"] = visit.text(reason) + " " + visit.text(whatToDo)
        case .expired:
            fields["stateLabel"] = visit.text("Kode kedaluwarsa", "Code expired")
        case .attemptsExhausted:
            fields["stateLabel"] = visit.text("Terlalu banyak kode salah", "Too many wrong codes")
        case .verified(let at):
            fields["stateLabel"] = visit.text("Terverifikasi pada ", "Verified at ") + time(at)
            verified = true
        }
        if status.mayRequestNewCode {
            fields["newCode"] = visit.text("sekarang", "now")
        } else if let allowedAt = status.newCodeAllowedAt {
            fields["newCode"] =
                visit.text("mulai ", "from ") + zone.formattedDateTime(notBefore: allowedAt, language: language)
        } else {
            fields["newCode"] = visit.text("tidak lagi untuk verifikasi ini", "no more in this verification")
        }
        // An expired code, or one refused after too many wrong tries, has no time left to show.
        let codeUsable = status.state != .expired && status.state != .attemptsExhausted
        if !codeUsable { fields["validUntil"] = visit.text("tidak berlaku lagi", "no longer valid") }
        self.fields = fields
        newCodeAllowedAtMillis = status.mayRequestNewCode ? nil : status.newCodeAllowedAt.map(Self.millis)
        codeExpiresAtMillis = codeUsable ? status.codeExpiresAt.map(Self.millis) : nil
        mayRequestNewCode = status.mayRequestNewCode
        isVerified = verified
    }

    private static func millis(_ date: Date) -> Double { (date.timeIntervalSince1970 * 1000).rounded() }

    /// The status panel: a list of labelled values the script updates in place, and the two
    /// countdowns. A row without a value is sent `hidden`, so the script can show it when the
    /// delivery reaches its state.
    func panel(_ visit: Visit) -> HTML {
        let rows = Self.labels(visit).map { item -> HTML in
            // The state is read out when it changes; a trouble, as an alert, also when the script shows it.
            let live: HTML =
                switch item.field {
                case "stateLabel": " aria-live=\"polite\""
                case "trouble": " class=\"error\" role=\"alert\""
                default: ""
                }
            guard let value = fields[item.field] else {
                return "<dt hidden>\(item.label)</dt><dd data-field=\"\(item.field)\"\(live) hidden></dd>"
            }
            return "<dt>\(item.label)</dt><dd data-field=\"\(item.field)\"\(live)>\(value)</dd>"
        }
        let newCodeAt = newCodeAllowedAtMillis.map { String(Int64($0)) } ?? ""
        let expiryAt = codeExpiresAtMillis.map { String(Int64($0)) } ?? ""
        return """
            <section aria-labelledby="status-judul">
            <h2 id="status-judul">\(visit.text("Status kode verifikasi", "Verification code status"))</h2>
            <dl id="status" data-status-url="/verifikasi/status.json">
            \(rows)
            <dt>\(visit.text("Hitung mundur kode baru", "New code countdown"))</dt>
            <dd data-countdown="newCode" data-at="\(newCodeAt)">\(newCodeAt.isEmpty ? "–" : fields["newCode"] ?? "")</dd>
            <dt>\(visit.text("Sisa waktu kode", "Code time left"))</dt>
            <dd data-countdown="expiry" data-at="\(expiryAt)">\(expiryAt.isEmpty ? "–" : fields["validUntil"] ?? "")</dd>
            </dl>
            </section>
            """
    }
}
