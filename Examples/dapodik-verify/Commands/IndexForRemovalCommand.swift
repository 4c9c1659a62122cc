import DapodikVerification
import Foundation

/// `store index-for-removal`: the one-off step after upgrading a store written before idle records and
/// old outbox messages were removed (``VerificationService/indexRecordsForRemoval(progress:)``).
enum IndexForRemovalCommand {
    /// The JSON form of the report.
    struct ReportJSON: Encodable {
        let changesRead: Int
        let recordsRead: Int
        let recordsIndexed: Int
        let complete: Bool
    }

    static let command = Command(
        "index-for-removal",
        summary: text(
            "beri rekaman lama tanda agar dihapus setelah tidak diperlukan lagi.",
            "mark earlier records so that they are removed once nothing needs them."),
        discussion: text(
            """
            Kuota alamat dan pemeriksaan yang sudah tidak menghitung apa pun, catatan login gagal yang sudah
            tidak menunda apa pun, dan pesan keluar yang selesai lebih dari masa simpannya dihapus sendiri oleh
            layanan; rekaman yang ditulis versi sebelum 2026-12-07 tidak memiliki tanda untuk itu dan akan
            tersimpan selamanya. Perintah ini membaca feed perubahan sekali dan memberi tanda itu pada rekaman
            tersebut, sedikit demi sedikit. Jalankan sekali setelah memperbarui, setelah setiap proses versi
            lama dihentikan. Aman saat layanan berjalan dan aman diulang; bila terhenti, jalankan lagi: ia
            melanjutkan dari tempat terakhir.
            """,
            """
            Address and check quotas that no longer count anything, failed-login records that no longer delay
            anything and outbox messages done with for longer than their retention are removed by the service;
            records written by a version before 2026-12-07 lack the entry for that and would stay for ever. This
            command reads the change feed once and gives those records that entry, a little at a time. Run it
            once after upgrading, once every process of the earlier version has stopped. Safe while the service
            runs, and safe to run again; if it stops, run it again: it goes on from where it was.
            """),
        examples: ["dapodik-verify store index-for-removal", "dapodik-verify store index-for-removal --json"],
        supportsJSON: true, action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let context = try await ServiceContext.open(invocation)
        let showsProgress = !invocation.globals.json && Console.isTerminal(2)
        let report = try await context.service.indexRecordsForRemoval { report in
            if showsProgress {
                Console.write(
                    console.pick(
                        "\rPerubahan dibaca: \(report.changesRead)", "\rChanges read: \(report.changesRead)"),
                    to: .standardError)
            }
        }
        if showsProgress { Console.write("\n", to: .standardError) }
        if invocation.globals.json {
            try console.printJSON(
                ReportJSON(
                    changesRead: report.changesRead, recordsRead: report.recordsRead,
                    recordsIndexed: report.recordsIndexed, complete: report.isComplete))
            return .success
        }
        console.say(
            "Perubahan dibaca: \(report.changesRead); rekaman diperiksa: \(report.recordsRead); "
                + "rekaman diberi tanda: \(report.recordsIndexed). Selesai.",
            "Changes read: \(report.changesRead); records looked at: \(report.recordsRead); "
                + "records marked: \(report.recordsIndexed). Done.")
        return .success
    }
}
