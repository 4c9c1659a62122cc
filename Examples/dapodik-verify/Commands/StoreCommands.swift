import DapodikVerification
import Foundation

/// `store compact|check|salvage|recover|backup|reserve-mailboxes|index-for-removal`: maintenance of
/// the store. With `--store postgres://…` `compact` works on the database's change feed and
/// `reserve-mailboxes` and `index-for-removal` on its records; the others work on the data
/// directory's files and refuse, so that none of them acts on a file store the records are not in.
enum StoreCommands {
    static let command = Command.group(
        "store", summary: text("pemeliharaan penyimpanan data.", "maintenance of the store."),
        [
            Compact.command, StoreCheckCommand.command, Salvage.command, RecoverCommand.command,
            BackupCommand.command, ReserveMailboxesCommand.command, IndexForRemovalCommand.command,
        ])

    /// `--yes`, which the commands that rewrite the store's files need.
    static func confirmation(_ indonesian: String, _ english: String) -> Flag { Flag("yes", indonesian, english) }

    /// Refuses a command that works on the data directory's file store when `--store` keeps the records
    /// in PostgreSQL (a usage error, exit 64), before anything is read or written.
    /// - Parameters:
    ///   - name: The command, e.g. `store backup`.
    ///   - indonesian: What to do instead, in Indonesian.
    ///   - english: What to do instead, in English.
    /// - Throws: ``CLIError`` `fileStoreOnly` when `--store` is given.
    static func requireFileStore(
        _ invocation: Invocation, _ name: String, indonesian: String, english: String
    ) throws(CLIError) {
        guard invocation.recordsInDatabase else { return }
        throw CLIError.usage(
            .fileStoreOnly,
            indonesian: "'dapodik-verify \(name)' hanya untuk penyimpanan berkas di direktori data, sedangkan --store "
                + "menaruh data di PostgreSQL; tidak ada yang diubah. \(indonesian)",
            english: "'dapodik-verify \(name)' works only on the file store of the data directory, and --store keeps "
                + "the records in PostgreSQL; nothing was changed. \(english)")
    }

    /// What replaces `salvage` and `recover` on PostgreSQL.
    static let postgresRepair = (
        "PostgreSQL memulihkan dirinya sendiri dari WAL saat server dijalankan lagi; bila basis data rusak, "
            + "pulihkan dari cadangan pg_dump atau replika (Documentation/Operations.md).",
        "PostgreSQL recovers by itself from its WAL when the server starts again; if the database is damaged, "
            + "restore a pg_dump backup or a replica (Documentation/Operations.md)."
    )

    /// `store compact`: the live records into a new generation.
    enum Compact {
        static let command = Command(
            "compact",
            summary: text(
                "tulis ulang rekaman yang hidup ke generasi baru (berkas lebih kecil, buka lebih cepat).",
                "rewrite the live records into a new generation (smaller files, faster opening)."),
            discussion: text(
                """
                Aman dijalankan kapan saja, juga saat proses lain memakai direktori yang sama; penyimpanan juga
                memadatkan diri otomatis saat log membesar. Peristiwa feed sinkron tidak pernah hilang.
                Dengan --store postgres://…: riwayat feed perubahan di basis data diringkas (setiap rekaman
                hidup tetap sekali); ruang tabel dikembalikan oleh autovacuum PostgreSQL.
                """,
                """
                Safe at any time, also while other processes use the same directory; the store also
                compacts itself when the log grows. Events of the sync feed are never lost.
                With --store postgres://…: the database's change feed history is summarized (each live
                record stays once); PostgreSQL's autovacuum gives the table space back.
                """),
            examples: [
                "dapodik-verify store compact",
                "dapodik-verify store compact --store postgres://dapodik@db.example:5432/dapodik",
            ], action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            if let url = try invocation.value(PostgresStoreOption.url) {
                try await PostgresStoreOption.compact(url: url, environment: invocation.environment)
                invocation.console.say(
                    "Riwayat feed perubahan di PostgreSQL diringkas.",
                    "The change feed history in PostgreSQL was summarized.")
                return .success
            }
            let data = DataDirectory(path: invocation.globals.dataDirectory)
            try data.requireExisting()
            try data.requireFileStoreNotLost()
            if let problem = data.readOnlyProblem { throw problem }
            let store = try FileRecordStore(directory: data.store, options: StoreLockWait.options(invocation))
            defer { store.close() }
            try await store.compact()
            invocation.console.say(
                "Penyimpanan data dipadatkan: \(data.store.path).", "The store was compacted: \(data.store.path).")
            return .success
        }

    }

    /// The JSON form of a salvage report.
    struct SalvageJSON: Encodable {
        let file: String?
        let offset: UInt64?
        let removedBytes: UInt64
        let damagedCopy: String?
        let lastSequence: UInt64
        let generation: UInt64
        let recoveredCommits: Int
        let lostSequences: [[UInt64]]
        let lostCommitCount: UInt64
        let lostCollections: [String]
        let lostKeys: [String]
        let unverifiedLostKeys: [String]
        let unreadableLostCommits: UInt64
    }

    /// `store salvage`: a store with a damaged log made openable again.
    enum Salvage {
        static let yes = confirmation("Ya, buang commit yang rusak.", "Yes, drop the damaged commits.")

        static let command = Command(
            "salvage",
            summary: text(
                "buat penyimpanan yang lognya rusak dapat dibuka lagi, dengan menyimpan setiap commit yang utuh.",
                "make a store with a damaged log openable again, keeping every intact commit."),
            discussion: text(
                """
                Commit di bagian log yang rusak hilang, juga commit sesudahnya yang tidak lagi cocok (misalnya
                versi berikutnya dari data yang sama); setiap commit utuh lain disimpan. Laporannya menyebut
                urutan, jumlah, koleksi dan kunci yang hilang, agar dapat dimasukkan ulang. Log yang rusak
                disalin utuh di sampingnya. Snapshot atau manifest yang rusak tidak diperbaiki di sini. Tidak
                boleh ada proses lain yang memakai direktori data.
                """,
                """
                Commits in the damaged part of the log are lost, and so are later ones that no longer fit (say,
                the next version of the same record); every other intact commit is kept. The report names the
                sequences, count, collections and keys lost, so they can be entered again. The damaged log is
                copied beside it, untouched. A damaged snapshot or manifest is not repaired here. No other
                process may use the data directory.
                """),
            options: [yes], examples: ["dapodik-verify store salvage --yes"], supportsJSON: true, action: run)

        static func run(_ invocation: Invocation) async throws -> ExitStatus {
            let console = invocation.console
            try requireFileStore(
                invocation, "store salvage", indonesian: postgresRepair.0, english: postgresRepair.1)
            try requireConfirmation(
                invocation, Self.yes,
                indonesian: "salvage membuang commit yang rusak dan menyimpan setiap commit utuh sesudahnya (log yang "
                    + "rusak disalin lebih dulu); ulangi dengan --yes setelah semua proses lain berhenti.",
                english: "salvage drops the damaged commits and keeps every intact commit after them (the damaged log "
                    + "is copied first); repeat with --yes once every other process has stopped.")
            let data = DataDirectory(path: invocation.globals.dataDirectory)
            try data.requireExisting()
            try data.requireFileStoreNotLost()
            if let problem = data.readOnlyProblem { throw problem }
            let report = try FileRecordStore.salvage(
                directory: data.store, lockWait: StoreLockWait.policy(invocation))
            if invocation.globals.json {
                try console.printJSON(
                    SalvageJSON(
                        file: report.file, offset: report.offset, removedBytes: report.removedBytes,
                        damagedCopy: report.damagedCopy, lastSequence: report.lastSequence,
                        generation: report.generation,
                        recoveredCommits: report.recoveredCommits,
                        lostSequences: report.lostSequences.map { [$0.lowerBound, $0.upperBound] },
                        lostCommitCount: report.lostCommitCount, lostCollections: report.lostCollections,
                        lostKeys: report.lostKeys.map(\.description),
                        unverifiedLostKeys: report.unverifiedLostKeys.map(\.description),
                        unreadableLostCommits: report.unreadableLostCommits))
            } else if let file = report.file {
                console.say(salvageSummary(report, file: file))
            } else {
                console.say(
                    "Log tidak rusak; tidak ada yang diubah. Bila penyimpanan tetap tidak dapat dibuka, baca pesan kesalahannya: "
                        + "snapshot atau manifest yang rusak tidak diperbaiki oleh salvage.",
                    "The log is not damaged; nothing was changed. If the store still does not open, read its error: a "
                        + "damaged snapshot or manifest is not repaired by salvage.")
            }
            return .success
        }
    }

    /// What a salvage kept and lost, in both languages.
    static func salvageSummary(_ report: FileRecordStore.SalvageReport, file: String) -> LocalizedText {
        let ranges = report.lostSequences.map {
            $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)"
        }.joined(separator: ", ")
        var indonesian: String
        var english: String
        if let copy = report.damagedCopy {
            indonesian =
                "Log \(file) rusak mulai byte \(report.offset ?? 0); salinan utuhnya: \(copy). "
                + "Penyimpanan dilanjutkan di generasi \(report.generation) sampai commit \(report.lastSequence), "
                + "termasuk \(report.recoveredCommits) commit utuh sesudah kerusakan."
            english =
                "The log \(file) is damaged from byte \(report.offset ?? 0); its untouched copy: \(copy). The store "
                + "continues in generation \(report.generation) up to commit \(report.lastSequence), including "
                + "\(report.recoveredCommits) intact commits after the damage."
        } else {
            // Intact frames that end before commits already confirmed: the log was cut short.
            indonesian =
                "Log \(file) terpotong: berakhir pada byte \(report.offset ?? 0), sebelum commit yang sudah "
                + "dikonfirmasi. Penyimpanan dilanjutkan di generasi \(report.generation); commit terakhir yang tersimpan: "
                + "\(report.lastSequence)."
            english =
                "The log \(file) was cut short: it ends at byte \(report.offset ?? 0), before commits already "
                + "acknowledged. The store continues in generation \(report.generation); the last commit kept: "
                + "\(report.lastSequence)."
        }
        if report.lostCommitCount == 0 {
            indonesian += " Tidak ada commit yang hilang."
            english += " No commit was lost."
            return LocalizedText(indonesian: indonesian, english: english)
        }
        indonesian += " Hilang: \(report.lostCommitCount) commit (urutan \(ranges))."
        english += " Lost: \(report.lostCommitCount) commits (sequences \(ranges))."
        if !report.lostCollections.isEmpty {
            indonesian += " Koleksi: \(report.lostCollections.joined(separator: ", "))."
            english += " Collections: \(report.lostCollections.joined(separator: ", "))."
        }
        if !report.lostKeys.isEmpty {
            let keys = report.lostKeys.map(\.description).joined(separator: ", ")
            indonesian += " Kunci: \(keys)."
            english += " Keys: \(keys)."
        }
        if !report.unverifiedLostKeys.isEmpty {
            let keys = report.unverifiedLostKeys.map(\.description).joined(separator: ", ")
            indonesian += " Kunci yang terbaca dari bagian rusak (belum pasti): \(keys)."
            english += " Keys read from the damaged part (unverified): \(keys)."
        }
        if report.unreadableLostCommits > 0 {
            indonesian += " \(report.unreadableLostCommits) commit tidak terbaca sama sekali."
            english += " \(report.unreadableLostCommits) commits could not be read at all."
        }
        indonesian += " Masukkan ulang data itu, atau pulihkan dari cadangan yang lebih baru bila ada."
        english += " Enter that data again, or restore a newer backup if there is one."
        return LocalizedText(indonesian: indonesian, english: english)
    }
}

/// `store recover`: rebuild a missing or damaged manifest from the newest intact generation.
enum RecoverCommand {
    /// The JSON form of a manifest recovery.
    struct RecoveryJSON: Encodable {
        let rewritten: Bool
        /// Whether the store's `LOCK` was missing and was made anew (as every store open makes it).
        let lockRecreated: Bool
        let generation: UInt64
        let lastSequence: UInt64
        let damagedManifest: String?
        let setAside: [String]
    }

    static let yes = StoreCommands.confirmation("Ya, tulis manifest baru.", "Yes, write a new manifest.")

    static let command = Command(
        "recover",
        summary: text(
            "bangun ulang manifest (CURRENT) yang hilang atau rusak dari generasi utuh terbaru.",
            "rebuild a missing or damaged manifest (CURRENT) from the newest intact generation."),
        discussion: text(
            """
            Penyimpanan menolak dibuka bila CURRENT hilang atau rusak, dan tidak menghapus apa pun. Perintah ini
            memilih generasi utuh dengan commit terbanyak, menyimpan manifest yang rusak sebagai
            CURRENT.damaged-<n>, dan menyisihkan berkas generasi lain dengan akhiran .set-aside (tidak
            dihapus). Tidak boleh ada proses lain yang memakai direktori data.
            """,
            """
            The store refuses to open when CURRENT is missing or damaged, and deletes nothing. This command
            picks the intact generation holding the most commits, keeps a damaged manifest as
            CURRENT.damaged-<n>, and sets the files of other generations aside with the suffix .set-aside
            (not deleted). No other process may use the data directory.
            """),
        options: [yes], examples: ["dapodik-verify store recover --yes"], supportsJSON: true, action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        try StoreCommands.requireFileStore(
            invocation, "store recover", indonesian: StoreCommands.postgresRepair.0,
            english: StoreCommands.postgresRepair.1)
        try requireConfirmation(
            invocation, Self.yes,
            indonesian: "recover menulis manifest baru yang menunjuk generasi utuh terbaru (tidak ada berkas "
                + "yang dihapus); ulangi dengan --yes setelah semua proses lain berhenti.",
            english: "recover writes a new manifest naming the newest intact generation (no file is deleted); "
                + "repeat with --yes once every other process has stopped.")
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try data.requireExisting()
        try data.requireFileStoreNotLost()
        if let problem = data.readOnlyProblem { throw problem }
        let lock = data.store.appendingPathComponent("LOCK").path
        let recovery = try FileRecordStore.recoverManifest(
            directory: data.store, lockWait: StoreLockWait.policy(invocation))
        let lockRecreated = recovery.lockRecreated
        if invocation.globals.json {
            try console.printJSON(
                RecoveryJSON(
                    rewritten: recovery.rewritten, lockRecreated: lockRecreated, generation: recovery.generation,
                    lastSequence: recovery.lastSequence, damagedManifest: recovery.damagedManifest,
                    setAside: recovery.setAside))
        } else if !recovery.rewritten {
            console.say(
                "Manifest utuh dan menunjuk generasi \(recovery.generation) (commit terakhir \(recovery.lastSequence)); "
                    + (lockRecreated
                        ? "hanya berkas kunci proses \(lock) yang hilang, dan dibuat ulang."
                        : "tidak ada yang diubah.")
                    + " Nilai rekaman tidak dibaca di sini: 'dapodik-verify store check' memeriksa setiap byte.",
                "The manifest is intact and names generation \(recovery.generation) (last commit "
                    + "\(recovery.lastSequence)); "
                    + (lockRecreated
                        ? "only the process lock file \(lock) was missing, and was made anew." : "nothing was changed.")
                    + " The records' values are not read here: 'dapodik-verify store check' checks every byte."
            )
        } else {
            let kept = recovery.damagedManifest.map {
                (" Manifest rusak disimpan di \($0).", " The damaged manifest was kept as \($0).")
            }
            let aside =
                recovery.setAside.isEmpty
                ? ("", "")
                : (
                    " Berkas generasi lain disisihkan (tidak dihapus): \(recovery.setAside.joined(separator: ", ")); "
                        + "hapus setelah data diperiksa.",
                    " Files of other generations were set aside (not deleted): "
                        + "\(recovery.setAside.joined(separator: ", ")); remove them once the data is checked."
                )
            console.say(
                "Manifest dibangun ulang: generasi \(recovery.generation), commit terakhir \(recovery.lastSequence)."
                    + (kept?.0 ?? "") + aside.0,
                "The manifest was rebuilt: generation \(recovery.generation), last commit \(recovery.lastSequence)."
                    + (kept?.1 ?? "") + aside.1)
        }
        return .success
    }
}

extension StoreError {
    /// What this program says after a failure for want of space or inodes (`ENOSPC`, `EDQUOT`):
    /// whichever ran out (the reason says which), deleting files makes room. Only the step that failed
    /// is said to have changed nothing: a command of many commits keeps the ones before it.
    static let fullDiskAdvice = LocalizedText(
        indonesian: "Langkah yang gagal tidak mengubah apa pun. " + makeRoom.indonesian,
        english: "The step that failed changed nothing. " + makeRoom.english)

    /// What to do when space or inodes ran out, without saying what changed (a store stopped by a
    /// failed write cannot tell whether its last commit is kept).
    static let makeRoom = LocalizedText(
        indonesian: "Kosongkan sebagian disk itu (hapus berkas yang tidak diperlukan), lalu jalankan perintahnya lagi.",
        english: "Make room on that disk (delete files that are not needed), then run the command again.")

    /// The error's message for this program: the advice names the `dapodik-verify` command that
    /// repairs the store, not the library call, and a full disk is said as such, with what to do.
    var commandLineMessage: LocalizedText {
        if errno == ENOSPC || errno == EDQUOT {
            let advice = code == .poisoned ? Self.makeRoom : Self.fullDiskAdvice
            return LocalizedText(
                indonesian: problem.indonesian + " " + advice.indonesian,
                english: problem.english + " " + advice.english)
        }
        if code == .poisoned {
            // The store is opened anew by every command: nothing to reopen.
            return LocalizedText(
                indonesian: problem.indonesian + " Jalankan perintahnya lagi.",
                english: problem.english + " Run the command again.")
        }
        guard let recovery else { return message }
        let advice: (String, String) =
            switch recovery {
            case .salvage:
                (
                    "Hentikan semua proses lain, lalu jalankan 'dapodik-verify store salvage --yes' untuk memulihkan "
                        + "setiap commit yang utuh.",
                    "Stop every other process, then run 'dapodik-verify store salvage --yes' to recover every "
                        + "intact commit."
                )
            case .recoverManifest where code == .lockFileMissing:
                (
                    "Hentikan setiap proses yang memakai penyimpanan ini, lalu jalankan 'dapodik-verify store recover "
                        + "--yes' untuk membuat berkas kunci itu lagi.",
                    "Stop every process that uses this store, then run 'dapodik-verify store recover --yes' to make "
                        + "the lock file again."
                )
            case .recoverManifest:
                (
                    "Hentikan semua proses lain, lalu jalankan 'dapodik-verify store recover --yes' untuk membangun "
                        + "ulang manifest dari generasi utuh terbaru.",
                    "Stop every other process, then run 'dapodik-verify store recover --yes' to rebuild the "
                        + "manifest from the newest intact generation."
                )
            case .backUpAgain:
                (
                    "Ini bukan direktori data yang bisa dipakai: hapus direktorinya, lalu buat cadangan baru dengan "
                        + "'dapodik-verify store backup' dari direktori data aslinya.",
                    "This is not a usable data directory: delete it, then make a new backup with "
                        + "'dapodik-verify store backup' from the original data directory."
                )
            default:
                (
                    "Pulihkan dari cadangan: hentikan semua proses, lalu pakai direktori cadangan (dari "
                        + "'dapodik-verify store backup') sebagai --data.",
                    "Restore from a backup: stop every process, then use the backup directory (from "
                        + "'dapodik-verify store backup') as --data."
                )
            }
        return LocalizedText(
            indonesian: problem.indonesian + " " + advice.0, english: problem.english + " " + advice.1)
    }
}

/// `store backup`: a consistent copy of the data directory while other processes keep running.
enum BackupCommand {
    static let withKeys = Flag(
        "with-keys",
        "Sertakan juga berkas kunci rahasia (secret-keys) di cadangan; simpan cadangan itu seaman kuncinya.",
        "Also put the secret-keys file in the backup; keep such a backup as safe as the keys.")
    static let destination = Argument(
        "destination", "Direktori baru untuk cadangan.", "A new directory for the backup.")

    static let command = Command(
        "backup",
        summary: text(
            "salin penyimpanan data secara konsisten (kunci rahasia hanya dengan --with-keys), tanpa menghentikan "
                + "proses lain.",
            "copy the store consistently (the secret keys only with --with-keys), without stopping other "
                + "processes."),
        discussion: text(
            """
            Selama penyalinan, commit proses lain menunggu sebentar (kunci LOCK penyimpanan). Maildir tidak
            disalin. Untuk memulihkan: hentikan semua proses, lalu pakai direktori cadangan sebagai
            --data.
            """,
            """
            While copying, other processes' commits wait briefly (the store's LOCK). The Maildir is not
            copied. To restore: stop every process, then use the backup directory as --data.
            """),
        options: [withKeys], arguments: [destination],
        examples: ["dapodik-verify store backup /srv/backup/dapodik-$(date +%F)"], action: run)

    static func run(_ invocation: Invocation) async throws -> ExitStatus {
        let console = invocation.console
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        try StoreCommands.requireFileStore(
            invocation, "store backup",
            indonesian: "Cadangkan basis data dengan pg_dump (mis. pg_dump --format=custom --schema=dapodik "
                + "--file=dapodik.dump <basisdata>; skema lain bila URL memakai ?schema=) dan simpan berkas kunci "
                + "\(data.secretKeys.path) terpisah.",
            english: "Back the database up with pg_dump (e.g. pg_dump --format=custom --schema=dapodik "
                + "--file=dapodik.dump <database>; another schema if the URL has ?schema=) and keep the key file "
                + "\(data.secretKeys.path) separately.")
        try data.requireExisting()
        let destination = URL(fileURLWithPath: invocation.value(Self.destination), isDirectory: true)
        let fileManager = FileManager.default
        // Asked for the keys where there are none: refused before anything is made, rather than a
        // backup said to hold keys it does not hold (found by attacking the store).
        let withKeys = invocation.isSet(Self.withKeys)
        if withKeys, (try? fileManager.attributesOfItem(atPath: data.secretKeys.path)) == nil {
            throw CLIError(
                .fileUnreadable, status: .noInput,
                indonesian:
                    "--with-keys: berkas kunci \(data.secretKeys.path) tidak ada, jadi tidak dapat dicadangkan; "
                    + "tidak ada yang dibuat. Pulihkan berkas kunci itu dari cadangannya, atau buat cadangan tanpa "
                    + "--with-keys.",
                english: "--with-keys: the key file \(data.secretKeys.path) does not exist, so it cannot be backed up; "
                    + "nothing was made. Restore the key file from its backup, or back up without --with-keys.")
        }
        do {
            _ = try fileManager.attributesOfItem(atPath: data.store.appendingPathComponent("CURRENT").path)
        } catch  where FoundationErrorText.errno(under: error) == ENOENT {
            throw CLIError(
                .notFound, status: .refused, indonesian: "Tidak ada penyimpanan data di \(data.store.path).",
                english: "There is no store in \(data.store.path).")
        } catch {
            // There may well be a store this user may not read: the backup below says why it cannot.
        }
        // Anything there, a dangling symbolic link too (attributesOfItem does not follow links).
        guard (try? fileManager.attributesOfItem(atPath: destination.path)) == nil else {
            throw CLIError.invalidValue(
                indonesian: "\(destination.path) sudah ada; pilih direktori baru.",
                english: "\(destination.path) already exists; choose a new directory.")
        }
        // Not inside the data directory (the store, the keys, the Maildir): a copy there goes where
        // the original goes, and one inside the store would be copied into itself. Links resolved,
        // also through directories the backup is still to make (found by attacking the store).
        let root = Self.physicalPath(of: data.root) + "/"
        guard !Self.physicalPath(of: destination).hasPrefix(root) else {
            throw CLIError.invalidValue(
                indonesian: "\(destination.path) ada di dalam direktori data \(data.root.path) yang dicadangkan; pilih "
                    + "direktori di luarnya (sebaiknya di disk lain).",
                english: "\(destination.path) is inside the data directory \(data.root.path) being backed up; choose a "
                    + "directory outside it (another disk, preferably).")
        }
        // What this command created goes again when it fails: a backup is whole or not there, and the
        // parent directories it made for it go too, newest first. (A backup killed midway keeps the
        // store's marker, and is refused as incomplete.)
        var created = false
        var createdParents: [String] = []
        defer {
            if created { try? fileManager.removeItem(at: destination) }
            // rmdir(2) removes only an empty directory: one that another process filled meanwhile stays.
            for parent in createdParents.reversed() { rmdir(parent) }
        }
        do {
            createdParents = try Self.makeParents(of: destination)
            // The directory itself with mkdir(2), which fails when it exists: two backups to one place
            // at once, the one that loses removes nothing of the other's.
            guard mkdir(destination.path, 0o700) == 0 else {
                if errno == EEXIST {
                    throw CLIError.invalidValue(
                        indonesian: "\(destination.path) sudah ada; pilih direktori baru.",
                        english: "\(destination.path) already exists; choose a new directory.")
                }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            created = true
            // The new directories' names are made durable: a backup said to be written is there after
            // a power loss (the store's copy syncs only the directories inside the destination).
            for directory in [(createdParents.first ?? destination.path)].map(Self.parentPath) + createdParents {
                try Self.syncDirectory(directory)
            }
            // The keys and the settings first, the store last: the store's manifest, its last write, then
            // says the whole backup is there. A backup killed before it is no store (its marker, or no
            // store at all beside the keys), never a store that checks intact without the keys asked
            // for (found by attacking the store).
            // Issue 11 item 9: the secret keys go beside the store only when asked (--with-keys).
            if withKeys {
                try KeyFile(at: data.secretKeys, lockWait: try StoreLockWait.policy(invocation)).copy(
                    to: destination.appendingPathComponent("secret-keys"))
            }
            if fileManager.fileExists(atPath: data.settings.path) {
                // The whole backup is removed on any failure, so "written but not durable" is a failure too.
                let failure = { (number: Int32) in POSIXError(POSIXErrorCode(rawValue: number) ?? .EIO) }
                try AtomicFile.write(
                    try Data(contentsOf: data.settings), to: destination.appendingPathComponent("settings.json"),
                    exclusive: false, failure: failure, notDurable: failure)
            }
            // Under a shared lock on the store's LOCK (no commit or compaction meanwhile), the
            // current generation is copied and its manifest written last (StorageFormat.md).
            let lock = data.store.appendingPathComponent("LOCK").path
            let lockMissing = (try? fileManager.attributesOfItem(atPath: lock)) == nil
            let report = try FileRecordStore.backup(
                directory: data.store, to: destination.appendingPathComponent("store"),
                lockWait: StoreLockWait.policy(invocation))
            try Self.requireReadableLog(
                of: destination.appendingPathComponent("store"), source: data.store,
                options: StoreLockWait.options(invocation))
            if lockMissing {
                // Copied as store check reads it; the copy has a LOCK of its own and opens for writing.
                console.warn(
                    code: "store.lockFileMissing",
                    console.pick(
                        "Peringatan: berkas kunci \(lock) tidak ada. Cadangannya utuh dan punya berkas kuncinya sendiri, "
                            + "tetapi penyimpanan asli tidak dapat dibuka untuk ditulis sampai 'dapodik-verify store "
                            + "recover --yes' membuatnya lagi (hentikan dulu setiap proses yang memakai penyimpanan ini).",
                        "Warning: the lock file \(lock) is missing. The backup is whole and has a lock file of its own, "
                            + "but the original store cannot be opened for writing until 'dapodik-verify store recover "
                            + "--yes' makes it again (first stop every process that uses this store)."))
            }
            if withKeys {
                console.warn(
                    console.pick(
                        "PERINGATAN: cadangan ini berisi kunci rahasia; siapa pun yang memilikinya dapat memeriksa "
                            + "kode. Simpan seaman kunci itu sendiri.",
                        "WARNING: this backup holds the secret keys; whoever has it can check codes. Keep it as safe "
                            + "as the keys themselves."))
            }
            console.say(
                withKeys
                    ? "Cadangan dibuat di \(destination.path) (generasi \(report.generation), \(report.bytes) byte "
                        + "penyimpanan, dengan kunci rahasia)."
                    : "Cadangan dibuat di \(destination.path) (generasi \(report.generation), \(report.bytes) byte "
                        + "penyimpanan, tanpa kunci rahasia: cadangkan \(data.secretKeys.path) terpisah, atau ulangi dengan "
                        + "--with-keys).",
                withKeys
                    ? "Backup written to \(destination.path) (generation \(report.generation), \(report.bytes) store "
                        + "bytes, with the secret keys)."
                    : "Backup written to \(destination.path) (generation \(report.generation), \(report.bytes) store "
                        + "bytes, without the secret keys: back up \(data.secretKeys.path) separately, or repeat with "
                        + "--with-keys).")
            created = false
            createdParents = []
        } catch let error as CLIError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch let error as KeyFileError {
            throw error
        } catch {
            let reason = FoundationErrorText.reason(of: error, file: destination.path)
            // What it made is removed on the way out (above): on a full disk, nothing is left changed.
            let number = FoundationErrorText.errno(under: error)
            let advice =
                number == ENOSPC || number == EDQUOT
                ? LocalizedText(
                    indonesian: "Tidak ada yang berubah. " + StoreError.makeRoom.indonesian,
                    english: "Nothing was changed. " + StoreError.makeRoom.english) : nil
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Cadangan ke \(destination.path) gagal: \(reason.indonesian)"
                    + (advice.map { ". " + $0.indonesian } ?? ""),
                english: "The backup to \(destination.path) failed: \(reason.english)"
                    + (advice.map { ". " + $0.english } ?? ""))
        }
        return .success
    }

    /// The path as the kernel resolves it: its longest leading part that exists, with every link and
    /// `..` in it resolved (`realpath(3)`), followed by the rest, which is not there yet (so holds no
    /// link), with `.` and `..` applied to it. Resolving only a path that exists would keep a link
    /// into the data directory unresolved below a directory the backup is still to make.
    static func physicalPath(of url: URL) -> String {
        var components = url.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var rest: [String] = []
        var resolved = "/"
        while true {
            let prefix = "/" + components.joined(separator: "/")
            if let real = realpath(prefix, nil) {
                resolved = String(cString: real)
                free(real)
                break
            }
            guard let last = components.popLast() else { break }
            rest.insert(last, at: 0)
        }
        var parts = resolved.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        for component in rest where component != "." {
            if component == ".." {
                _ = parts.popLast()
            } else {
                parts.append(component)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Refuses a backup whose log is damaged before frames that continue it: the library checks every
    /// value of the copied snapshot, and the log only when the copy is opened, so such a backup was
    /// said to be written although it opens only after a salvage (found by attacking the store).
    /// Opening the copy read-only reads every frame and changes nothing. The damage is said where it
    /// is: in the store (salvage it, or restore an older backup) when the store's log shows it too.
    /// - Throws: The ``StoreError`` of the store's log, or of the copy's when the store's is intact.
    static func requireReadableLog(of copy: URL, source: URL, options: FileRecordStore.Options) throws(StoreError) {
        var options = options
        options.readOnly = true
        do {
            try FileRecordStore(directory: copy, options: options).close()
        } catch  where error.code == .corrupted {
            try FileRecordStore(directory: source, options: options).close()
            throw error
        }
    }

    /// The directory holding `path`.
    static func parentPath(_ path: String) -> String { URL(fileURLWithPath: path).deletingLastPathComponent().path }

    /// `fsync(2)` of a directory, so the names made in it are durable.
    /// - Throws: `POSIXError` when it cannot be opened or synced.
    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    /// Makes the directories above `destination` that are not there yet (0700), one by one.
    /// - Returns: The paths made, outermost first: what a failed backup removes again, and nothing
    ///   that was there before.
    /// - Throws: `POSIXError` when one cannot be made; the ones made before it are removed then.
    static func makeParents(of destination: URL) throws -> [String] {
        var missing: [String] = []
        var parent = destination.deletingLastPathComponent()
        while parent.path != "/", (try? FileManager.default.attributesOfItem(atPath: parent.path)) == nil {
            missing.append(parent.path)
            parent.deleteLastPathComponent()
        }
        var made: [String] = []
        for path in missing.reversed() {
            if mkdir(path, 0o700) == 0 {
                made.append(path)
            } else if errno != EEXIST {  // One made meanwhile by another process is not ours to remove.
                let number = errno
                for path in made.reversed() { rmdir(path) }
                throw POSIXError(POSIXErrorCode(rawValue: number) ?? .EIO)
            }
        }
        return made
    }
}

/// Refuses a command that rewrites the store's files unless `--yes` was given, saying what it will
/// do (a usage error, exit 64).
/// - Throws: ``CLIError`` with the given explanation when `--yes` is missing.
func requireConfirmation(
    _ invocation: Invocation, _ yes: Flag, indonesian: String, english: String
) throws(CLIError) {
    guard !invocation.isSet(yes) else { return }
    throw CLIError.usage(.missingOption, indonesian: indonesian, english: english)
}
