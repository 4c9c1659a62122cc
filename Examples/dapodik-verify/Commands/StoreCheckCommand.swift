import DapodikVerification
import Foundation

/// `store check`: every byte of the file store read and checked against its checksum.
enum StoreCheckCommand {
    /// The JSON form of an intact store's report.
    struct CheckJSON: Encodable {
        let intact: Bool
        let generation: UInt64
        let lastSequence: UInt64
        let snapshotValues: Int
        let logCommits: UInt64
        let bytesRead: UInt64
        /// What the read-only check left out after the log's last commit, and left on disk.
        let leftOutTail: TailJSON?
    }

    /// The JSON form of ``FileRecordStore/LeftOutTail``.
    struct TailJSON: Encodable {
        /// `tornWrite` or `unacknowledgedCommits`.
        let reason: String
        let file: String
        let offset: UInt64
        let bytes: UInt64
    }

    static let command = Command(
        "check",
        summary: text(
            "baca seluruh penyimpanan berkas dan periksa setiap byte terhadap checksum-nya; tidak mengubah apa pun.",
            "read the whole file store and check every byte against its checksum; changes nothing."),
        discussion: text(
            """
            Membuka penyimpanan hanya membaca indeks snapshot; sebuah nilai baru diperiksa ketika dibaca. Perintah
            ini membaca setiap nilai snapshot dan setiap frame log generasi sekarang, sehingga kerusakan
            (bit yang berubah di disk, berkas yang diubah dengan tangan) ketahuan sekarang, bukan saat
            rekaman seseorang dibaca. Penyimpanan dibuka hanya-baca: tidak ada berkas yang dibuat, diubah
            atau dihapus, jadi cadangan di media hanya-baca (mount read-only, snapshot, CD) pun dapat
            diperiksa sebelum dipulihkan. Boleh dijalankan kapan saja, juga saat proses lain memakai
            direktori data (misalnya dari cron sebelum mencadangkan); yang diperiksa adalah keadaan saat
            perintah mulai. Kode keluar 0 bila utuh; 74 bila rusak, dengan berkas, posisi byte dan cara
            memperbaikinya.
            """,
            """
            Opening the store reads only the snapshot's index; a value is checked when it is read. This
            command reads every snapshot value and every log frame of the current generation, so damage
            (a bit flipped on the disk, a file changed by hand) is found now, not when someone's record
            is read. The store is opened read-only: no file is created, changed or removed, so a backup on
            read-only media (a read-only mount, a snapshot, a CD) can be checked before it is restored.
            Safe at any time, also while other processes use the data directory (say, from cron before a
            backup); what is checked is the store as it was when the command began. Exit code 0 when
            intact; 74 when damaged, with the file, the byte offset and how to repair it.
            """),
        examples: ["dapodik-verify store check", "dapodik-verify store check --json"], supportsJSON: true,
        action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        try StoreCommands.requireFileStore(
            invocation, "store check",
            indonesian: "Periksa basis data dengan alat PostgreSQL sendiri: pg_amcheck (indeks dan tabel), dan "
                + "data checksums (initdb --data-checksums) untuk halaman yang rusak.",
            english: "Check the database with PostgreSQL's own tools: pg_amcheck (indexes and tables), and data "
                + "checksums (initdb --data-checksums) for damaged pages.")
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.requireExisting()
        try data.requireFileStoreNotLost()
        // Read-only always, not only where the store cannot be written: a check changes nothing, and a
        // store opened for writing repairs what it can (a torn tail, a crashed compaction's leftovers).
        var options = try StoreLockWait.options(invocation)
        options.readOnly = true
        let store = try FileRecordStore(directory: data.store, options: options)
        defer { store.close() }
        let report = try await store.checkIntegrity()
        if invocation.globals.json {
            try invocation.console.printJSON(
                CheckJSON(
                    intact: true, generation: report.generation, lastSequence: report.lastSequence,
                    snapshotValues: report.snapshotValues, logCommits: report.logCommits,
                    bytesRead: report.bytesRead,
                    leftOutTail: report.leftOutTail.map {
                        TailJSON(
                            reason: jsonName(of: $0.reason), file: $0.file,
                            offset: $0.offset, bytes: $0.length)
                    }))
        } else {
            invocation.console.say(
                "Penyimpanan utuh: generasi \(report.generation), commit terakhir \(report.lastSequence). "
                    + "\(report.snapshotValues) nilai snapshot dan \(report.logCommits) commit di log dibaca "
                    + "(\(report.bytesRead) byte); semuanya cocok dengan checksum-nya.",
                "The store is intact: generation \(report.generation), last commit \(report.lastSequence). "
                    + "\(report.snapshotValues) snapshot values and \(report.logCommits) log commits were read "
                    + "(\(report.bytesRead) bytes); each matched its checksum.")
            if let tail = report.leftOutTail { say(tail, invocation) }
        }
        // Read-only, the check reads a store without LOCK; opening it for writing refuses it.
        let lock = data.store.appendingPathComponent("LOCK").path
        if !FileManager.default.fileExists(atPath: lock) {
            invocation.console.warn(
                code: "store.lockFileMissing",
                invocation.console.pick(
                    "Peringatan: berkas kunci \(lock) tidak ada. Datanya utuh, tetapi penyimpanan tidak dapat dibuka "
                        + "untuk ditulis sampai 'dapodik-verify store recover --yes' membuatnya lagi (hentikan dulu setiap "
                        + "proses yang memakai penyimpanan ini).",
                    "Warning: the lock file \(lock) is missing. The data is intact, but the store cannot be opened for "
                        + "writing until 'dapodik-verify store recover --yes' makes it again (first stop every process "
                        + "that uses this store)."))
        }
        return .success
    }

    /// How `--json` names why a tail was left out; a switch, so that a new reason cannot pass for
    /// one of these.
    static func jsonName(of reason: FileRecordStore.LeftOutTail.Reason) -> String {
        switch reason {
        case .tornWrite: "tornWrite"
        case .unacknowledgedCommits: "unacknowledgedCommits"
        }
    }

    /// Says what the check left out after the log's last commit, and what the next open for writing
    /// does with it: the check itself changes nothing.
    static func say(_ tail: FileRecordStore.LeftOutTail, _ invocation: Invocation) {
        switch tail.reason {
        case .unacknowledgedCommits:
            invocation.console.say(
                "Catatan: log \(tail.file) memuat \(tail.length) byte commit setelah commit terakhir yang "
                    + "dikonfirmasi (mulai posisi byte \(tail.offset)), ditulis oleh proses yang berhenti di tengah "
                    + "perubahannya. Commit itu tidak ikut diperiksa dan dibiarkan apa adanya; pembukaan berikutnya "
                    + "untuk menulis akan menyimpannya.",
                "Note: the log \(tail.file) holds \(tail.length) bytes of commits after the last acknowledged one "
                    + "(from byte offset \(tail.offset)), written by a process that stopped during its change. They "
                    + "were left out of the check and left as they are; the next open for writing keeps them.")
        case .tornWrite:
            invocation.console.say(
                "Catatan: log \(tail.file) diakhiri \(tail.length) byte sisa tulisan yang terpotong (mulai posisi "
                    + "byte \(tail.offset)), yang tidak pernah dikonfirmasi, misalnya karena crash atau listrik padam. "
                    + "Byte itu tidak ikut diperiksa dan dibiarkan apa adanya; pembukaan berikutnya untuk menulis akan "
                    + "mengenolkannya.",
                "Note: the log \(tail.file) ends with \(tail.length) bytes of a write cut short (from byte offset "
                    + "\(tail.offset)), never acknowledged, as a crash or a power loss leaves them. They were left out "
                    + "of the check and left as they are; the next open for writing zeroes them.")
        }
    }
}
