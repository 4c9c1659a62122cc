import DapodikAccounts
import DapodikMail
import DapodikTestSupport
import Foundation

/// Random inputs for the property tests: Indonesian names, non-ASCII, emoji, long subjects and
/// lines, and lines a careless mail system would alter ('.' and "From " at the start).
struct RandomMail {
    var generator: SeededGenerator

    static let names = [
        "Siti Nurhaliza", "Made Wiranata", "Ni Luh Putu Ayu Sukmawati", "I Gusti Ngurah Rai", "Cut Nyak Dien",
        "Dr. Ir. H. Bambang Suprapto, M.Pd.", "Ahmad Fauzi bin Abdullah", "Ma'ruf", "Budi \"Bud\" Santoso",
        "Yohanes Marthen Wanggai", "Andi Tenri Ajeng", "La Ode Muhammad Ridwan", "Ketut Ariasa S.Pd",
        "Nyoman Sukerti-Wijaya", "Theresia Ngabalin", "Back\\slash Guru", "Zoë Ayu Ñoño", "王小明",
        "Ratna Sari Dewi 👩🏽‍🏫", "مدرسة النور", "ꦱꦼꦏꦺꦴꦭꦃ Jawa", "Operator SD Negeri 1 Wamena 🇮🇩",
        "José Ramos-Horta", "=?UTF-8?Q?not_an_encoded_word?=", "Keluarga 👨‍👩‍👧‍👦 Sinaga", "Ahmad",
        "Ahmad Rizky Pratama Wicaksono Nugroho Saputra Hidayatullah Kusumawardhani Siregar",
    ]

    static let words = [
        "Kode", "verifikasi", "akun", "Dapodik", "sekolah", "PTK", "operator", "berlaku", "sampai", "pukul",
        "WIB", "WITA", "WIT", "kedaluwarsa", "Sekolah Dasar", "SMP", "Ñandú", "über", "ḍ", "é", "ü",
        "😀", "🏫", "👩🏽‍🏫", "🇮🇩", "👨‍👩‍👧‍👦", "=?", "?=", "_", "=", "?", "\"", "(", ")", "<", ">", ",", ";",
        ":", "\\", "@", "\t", "Keterangan:", "e\u{301}", "ꦲꦏ꧀ꦱꦫ", "中文", "Ελληνικά",
        String(repeating: "a", count: 90), String(repeating: "é", count: 40), String(repeating: "🏫", count: 30),
    ]

    static let addresses = [
        "budi@sdn1.sch.id", "siti.nurhaliza@gmail.com", "made_w+dapodik@yahoo.co.id", "x@ptk.kemdikbud.go.id",
        "o'brien@example.org", "ops-20100001@belajar.id",
    ]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &generator) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...items.count - 1)] }
    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }

    mutating func text(maximumLength: Int) -> String {
        var out = ""
        while out.count < maximumLength {
            let word = pick(Self.words)
            let separator = chance(8) ? "  " : " "
            if out.count + word.count + 1 > maximumLength { break }
            out += out.isEmpty ? word : separator + word
        }
        return out
    }

    mutating func name() -> String? {
        if chance(10) { return nil }
        return chance(70) ? pick(Self.names) : text(maximumLength: int(1...60))
    }

    mutating func mailbox() -> Mailbox {
        Mailbox(try! EmailAddress(pick(Self.addresses)), displayName: name())
    }

    mutating func subject() -> String {
        switch int(0...5) {
        case 0: return String(text(maximumLength: 300).prefix(300))
        case 1: return "Kode verifikasi akun Dapodik (kode ke-\(int(1...5)))"
        case 2: return String(repeating: "🏫", count: 300)
        default: return text(maximumLength: int(1...120))
        }
    }

    mutating func body() -> String {
        var lines: [String] = []
        for _ in 0..<int(1...20) {
            switch int(0...11) {
            case 0: lines.append(".")
            case 1: lines.append(".. leading dots " + text(maximumLength: 30))
            case 2: lines.append("From the operator: " + text(maximumLength: 40))
            case 3: lines.append(String(repeating: "x", count: int(900...2500)))
            case 4: lines.append(String(repeating: "é🏫 ", count: int(100...400)))
            case 5: lines.append("")
            case 6: lines.append("trailing spaces   ")
            case 7: lines.append("tab\tand = signs == =3D")
            case 8: lines.append(String(repeating: "a", count: 75) + "." + "From ")
            default: lines.append(text(maximumLength: int(0...200)))
            }
        }
        let separator = chance(20) ? "\r\n" : "\n"
        return lines.joined(separator: separator) + (chance(50) ? separator : "")
    }

    mutating func message(index: Int) -> (MailMessage, code: String) {
        let code = String(int(0...999_999) + 1_000_000).dropFirst()
        var textBody = body()
        textBody += "\n\n\(code)\n\n" + body()
        let html: String? = chance(70) ? "<p>" + body() + "</p>\n<p>\(code)</p>" : nil
        let zones = [0, 7 * 3600, 8 * 3600, 9 * 3600, -5 * 3600, 5 * 3600 + 1800]
        var extra: [MailHeaderField] = []
        if chance(40) { extra.append(MailHeaderField(name: "X-Dapodik-Note", value: text(maximumLength: 100))) }
        let message = MailMessage(
            from: mailbox(), to: (0..<int(1...3)).map { _ in mailbox() }, replyTo: chance(30) ? mailbox() : nil,
            subject: subject(), textBody: textBody, htmlBody: html,
            date: Date(timeIntervalSince1970: Double(int(0...4_102_444_800))),
            dateSecondsFromUTC: pick(zones),
            messageID: chance(50) ? try! MessageID("fixed.\(index)@sekolah.example") : nil, extraHeaders: extra)
        return (message, String(code))
    }
}
