import DapodikVerification
import Foundation

/// `store reserve-mailboxes`: the one-off step after upgrading a store written before one account
/// per mailbox (``VerificationService/reserveMailboxes(progress:)``).
enum ReserveMailboxesCommand {
    /// The JSON form of the report.
    struct ReportJSON: Encodable {
        let accountsRead: Int
        let reserved: Int
        let alreadyReserved: Int
        let shared: [SharedJSON]
    }

    /// One account left without its mailbox, in JSON.
    struct SharedJSON: Encodable {
        let account: String
        let school: String
        let address: String
        let holder: String
    }

    static let command = Command(
        "reserve-mailboxes",
        summary: text(
            "pesan kotak surat setiap akun lama, agar satu kotak surat hanya untuk satu akun.",
            "reserve every earlier account's mailbox, so one mailbox serves one account only."),
        discussion: text(
            """
            Satu kotak surat hanya untuk satu akun, bagaimanapun alamatnya ditulis (Gmail tidak membedakan titik
            dan mengabaikan bagian setelah +, jadi budi.santoso@gmail.com dan budisantoso+ptk@gmail.com adalah satu
            kotak surat). Pendaftaran, perubahan alamat dan verifikasi memesan kotak suratnya sendiri; perintah ini
            memesan milik akun yang ditulis versi sebelumnya. Jalankan sekali setelah memperbarui, setelah setiap
            proses versi lama dihentikan: sampai itu, alamat tidak dapat didaftarkan, diubah atau diverifikasi
            (kode keluar 69). Aman saat layanan berjalan dan aman diulang. Dua akun lama yang menuju satu kotak
            surat disebutkan: akun yang terverifikasi memegangnya; yang lain tetap seperti adanya, tetapi selama
            belum terverifikasi ia tidak diberi kode dan tidak dapat diverifikasi sampai alamatnya diganti. --json
            menulis alamat-alamat itu utuh (untuk administrator); teks biasa menyamarkannya.
            """,
            """
            One mailbox serves one account only, however its address is spelled (Gmail ignores dots and
            whatever follows a +, so budi.santoso@gmail.com and budisantoso+ptk@gmail.com are one mailbox).
            Registrations, address changes and verifications reserve their own; this command reserves those of
            the accounts an earlier version wrote. Run it once after upgrading, once every process of the earlier
            version has stopped: until then addresses cannot be registered, changed or verified (exit code 69).
            Safe while the service runs, and safe to run again. Two earlier accounts that reach one mailbox are
            listed: a verified one holds it; the other stays as it is, but while unverified it is given no code
            and cannot be verified until its address changes. --json writes those addresses whole (for the
            administrator); the plain text masks them.
            """),
        examples: ["dapodik-verify store reserve-mailboxes", "dapodik-verify store reserve-mailboxes --json"],
        supportsJSON: true, action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let context = try await ServiceContext.open(invocation)
        let showsProgress = !invocation.globals.json && Console.isTerminal(2)
        let report = try await context.service.reserveMailboxes { read in
            if showsProgress {
                Console.write(console.pick("\rAkun dibaca: \(read)", "\rAccounts read: \(read)"), to: .standardError)
            }
        }
        if showsProgress { Console.write("\n", to: .standardError) }
        if invocation.globals.json {
            try console.printJSON(
                ReportJSON(
                    accountsRead: report.accountsRead, reserved: report.reserved,
                    alreadyReserved: report.alreadyReserved,
                    shared: report.shared.map {
                        SharedJSON(
                            account: $0.account.description, school: $0.school.description,
                            address: $0.address.value, holder: $0.holder.description)
                    }))
            return .success
        }
        console.say(
            "Akun dibaca: \(report.accountsRead); kotak surat dipesan sekarang: \(report.reserved); "
                + "sudah dipesan sebelumnya: \(report.alreadyReserved).",
            "Accounts read: \(report.accountsRead); mailboxes reserved now: \(report.reserved); "
                + "reserved before: \(report.alreadyReserved).")
        for line in report.shared {
            console.say(
                "Akun \(line.account) (sekolah \(line.school), \(line.address.masked)) menuju kotak surat yang sudah "
                    + "dipesan akun \(line.holder); alamat salah satunya perlu diganti oleh operator sekolahnya.",
                "Account \(line.account) (school \(line.school), \(line.address.masked)) reaches the mailbox account "
                    + "\(line.holder) holds; the school's operator needs to change one of the two addresses.")
        }
        return .success
    }
}
