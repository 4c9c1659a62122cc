import BenchmarkHarness
import BenchmarkReport
import DapodikAccounts
import DapodikMail
import Foundation

/// Scenario `render`: turning one verification e-mail into its bytes with `MailMessage.rendered()`
/// (header fields, RFC 2047 display names, the multipart boundary, quoted-printable text and HTML),
/// on a message of the verification e-mail's shape and size: Indonesian words, the code alone on its
/// line, a recipient and an expiry that change with every message. The templates themselves are
/// `package` API of the library, out of this package's reach; the service cycle's profile shows them.
enum MailRendering {
    static func run(messages: Int, round: Int) throws -> BenchmarkResult {
        let sender = Mailbox(try EmailAddress("verifikasi@dapodik.example.id"), displayName: "Dapodik")
        let inputs = try (0..<256).map { try message(number: $0, from: sender) }
        var index = 0
        var bytes = 0
        let statistics = try Measure.serial(warmUp: max(2, messages / 20), operations: messages) {
            let rendered = try inputs[index % inputs.count].rendered()
            bytes += rendered.bytes.count
            index += 1
        }
        return BenchmarkResult(
            scenario: "mail.render", variant: "verification e-mail", subject: "MailMessage.rendered()", round: round,
            statistics: statistics, figures: ["bytes per message": Double(bytes / max(index, 1))])
    }

    /// Message `number`: every fourth recipient has a name with non-ASCII letters (an encoded-word).
    private static func message(number: Int, from sender: Mailbox) throws -> MailMessage {
        let name = number % 4 == 3 ? "Ni Luh Putu Ayu Pradnyaswari Ñoman \(number)" : "Guru Nomor \(number)"
        let code = String(100_000 + number * 7919 % 900_000)
        let expiry = "Selasa, 1 Desember 2026 pukul \(10 + number % 10).\(10 + number % 50) WIB"
        let paragraphs = [
            "Yth. \(name),", "Berikut kode verifikasi email untuk akun PTK Anda di Dapodik:", code,
            "Kode ini berlaku sampai \(expiry).",
            "Nama pengguna: ptk\(number)\nSekolah: SD Negeri 1 Contoh (NPSN 20100101)",
            "Ketik kode ini pada kolom Kode Verifikasi di halaman yang sedang Anda buka, lalu klik SIMPAN.",
            "Jika Anda tidak meminta kode ini, abaikan email ini: tanpa kode ini alamat email Anda tidak akan "
                + "terverifikasi. Jika alamat ini didaftarkan tanpa sepengetahuan Anda, beri tahu operator sekolah.",
            "Jangan berikan kode ini kepada siapa pun, termasuk yang mengaku petugas Dapodik.",
        ]
        let text =
            paragraphs.joined(separator: "\n\n")
            + "\n\n-- \nEmail ini dikirim otomatis; balasan ke email ini tidak dibaca.\n"
        let html =
            "<!DOCTYPE html>\n<html lang=\"id\">\n<head>\n<meta charset=\"utf-8\">\n"
            + "<title>Kode verifikasi email akun PTK Dapodik</title>\n</head>\n"
            + "<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:15px;line-height:1.5;color:#222\">\n"
            + paragraphs.map { "<p>" + $0.replacingOccurrences(of: "\n", with: "<br>\n") + "</p>\n" }.joined()
            + "<p style=\"color:#777;font-size:12px\">Email ini dikirim otomatis; balasan ke email ini tidak dibaca.</p>\n"
            + "</body>\n</html>\n"
        return MailMessage(
            from: sender, to: [Mailbox(try EmailAddress("ptk.\(number)@sekolah.sch.id"), displayName: name)],
            subject: "Kode verifikasi email akun PTK Dapodik", textBody: text, htmlBody: html,
            date: Date(timeIntervalSince1970: 1_796_000_000 + Double(number * 61)), dateSecondsFromUTC: 7 * 3600,
            messageID: try MessageID("m\(number)@dapodik.example.id"))
    }
}
