import DapodikVerification
import Foundation

/// `store compact|salvage`: maintenance of the file store in the data directory.
enum StoreCommands {
    static let compact: Command.Action = { invocation in
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        let store = try FileRecordStore(directory: data.store)
        defer { store.close() }
        try await store.compact()
        invocation.console.say(
            "Toko data dipadatkan: \(data.store.path).", "The store was compacted: \(data.store.path).")
        return .success
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

    static let salvage: Command.Action = { invocation in
        let console = invocation.console
        try requireConfirmation(
            invocation,
            indonesian: "salvage membuang commit yang rusak dan menyimpan setiap commit utuh sesudahnya (log yang "
                + "rusak disalin lebih dulu); ulangi dengan --yes setelah semua proses lain berhenti.",
            english: "salvage drops the damaged commits and keeps every intact commit after them (the damaged log "
                + "is copied first); repeat with --yes once every other process has stopped.")
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        let report = try FileRecordStore.salvage(directory: data.store)
        if invocation.globals.json {
            try console.printJSON(
                SalvageJSON(
                    file: report.file, offset: report.offset, removedBytes: report.removedBytes,
                    damagedCopy: report.damagedCopy, lastSequence: report.lastSequence, generation: report.generation,
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
                "Log tidak rusak; tidak ada yang diubah. Bila toko tetap tidak dapat dibuka, baca pesan kesalahannya: "
                    + "snapshot atau manifest yang rusak tidak diperbaiki oleh salvage.",
                "The log is not damaged; nothing was changed. If the store still does not open, read its error: a "
                    + "damaged snapshot or manifest is not repaired by salvage.")
        }
        return .success
    }

    /// What a salvage kept and lost, in both languages.
    static func salvageSummary(_ report: FileRecordStore.SalvageReport, file: String) -> LocalizedText {
        let ranges = report.lostSequences.map {
            $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)–\($0.upperBound)"
        }.joined(separator: ", ")
        var indonesian =
            "Log \(file) rusak mulai byte \(report.offset ?? 0); salinan utuhnya: \(report.damagedCopy ?? "-"). "
            + "Toko dilanjutkan di generasi \(report.generation) sampai commit \(report.lastSequence), "
            + "termasuk \(report.recoveredCommits) commit utuh sesudah kerusakan."
        var english =
            "The log \(file) is damaged from byte \(report.offset ?? 0); its untouched copy: "
            + "\(report.damagedCopy ?? "-"). The store continues in generation \(report.generation) up to commit "
            + "\(report.lastSequence), including \(report.recoveredCommits) intact commits after the damage."
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
        let generation: UInt64
        let lastSequence: UInt64
        let damagedManifest: String?
        let setAside: [String]
    }

    static let run: Command.Action = { invocation in
        let console = invocation.console
        try requireConfirmation(
            invocation,
            indonesian: "recover menulis manifest baru yang menunjuk generasi utuh terbaru (tidak ada berkas "
                + "yang dihapus); ulangi dengan --yes setelah semua proses lain berhenti.",
            english: "recover writes a new manifest naming the newest intact generation (no file is deleted); "
                + "repeat with --yes once every other process has stopped.")
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        let recovery = try FileRecordStore.recoverManifest(directory: data.store)
        if invocation.globals.json {
            try console.printJSON(
                RecoveryJSON(
                    rewritten: recovery.rewritten, generation: recovery.generation,
                    lastSequence: recovery.lastSequence, damagedManifest: recovery.damagedManifest,
                    setAside: recovery.setAside))
        } else if !recovery.rewritten {
            console.say(
                "Manifest utuh dan menunjuk generasi \(recovery.generation) (commit terakhir \(recovery.lastSequence)); "
                    + "tidak ada yang diubah.",
                "The manifest is intact and names generation \(recovery.generation) (last commit "
                    + "\(recovery.lastSequence)); nothing was changed.")
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
    /// The error's message for this program: the advice names the `dapodik-verify` command that
    /// repairs the store, not the library call.
    var commandLineMessage: LocalizedText {
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
            case .recoverManifest:
                (
                    "Hentikan semua proses lain, lalu jalankan 'dapodik-verify store recover --yes' untuk membangun "
                        + "ulang manifest dari generasi utuh terbaru.",
                    "Stop every other process, then run 'dapodik-verify store recover --yes' to rebuild the "
                        + "manifest from the newest intact generation."
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
    static let run: Command.Action = { invocation in
        let console = invocation.console
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        let destination = URL(fileURLWithPath: invocation.arguments.positional(0)!, isDirectory: true)
        let fileManager = FileManager.default
        guard fileManager.fileExists(atPath: data.store.appendingPathComponent("CURRENT").path) else {
            throw CLIError(
                .notFound, status: .refused, indonesian: "Tidak ada toko data di \(data.store.path).",
                english: "There is no store in \(data.store.path).")
        }
        guard !fileManager.fileExists(atPath: destination.path) else {
            throw CLIError.usage(
                .invalidValue, indonesian: "\(destination.path) sudah ada; pilih direktori baru.",
                english: "\(destination.path) already exists; choose a new directory.")
        }
        do {
            try fileManager.createDirectory(
                at: destination, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // Under a shared lock on the store's LOCK (no commit or compaction meanwhile), the
            // current generation is copied and its manifest written last (StorageFormat.md).
            let report = try FileRecordStore.backup(
                directory: data.store, to: destination.appendingPathComponent("store"))
            // Issue 11 item 9: the secret keys go beside the store only when asked (--with-keys).
            let withKeys = invocation.arguments.has("with-keys")
            for file in withKeys ? [data.secretKeys, data.settings] : [data.settings]
            where fileManager.fileExists(atPath: file.path) {
                try AtomicFile.write(
                    try Data(contentsOf: file), to: destination.appendingPathComponent(file.lastPathComponent))
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
                        + "toko, dengan kunci rahasia)."
                    : "Cadangan dibuat di \(destination.path) (generasi \(report.generation), \(report.bytes) byte "
                        + "toko, tanpa kunci rahasia: cadangkan \(data.secretKeys.path) terpisah, atau ulangi dengan "
                        + "--with-keys).",
                withKeys
                    ? "Backup written to \(destination.path) (generation \(report.generation), \(report.bytes) store "
                        + "bytes, with the secret keys)."
                    : "Backup written to \(destination.path) (generation \(report.generation), \(report.bytes) store "
                        + "bytes, without the secret keys: back up \(data.secretKeys.path) separately, or repeat with "
                        + "--with-keys).")
        } catch let error as CLIError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Cadangan gagal: \(error.localizedDescription)",
                english: "Backup failed: \(error.localizedDescription)")
        }
        return .success
    }
}

/// Refuses a command that rewrites the store's files unless `--yes` was given, saying what it will
/// do (a usage error, exit 64).
/// - Throws: ``CLIError`` with the given explanation when `--yes` is missing.
func requireConfirmation(_ invocation: Invocation, indonesian: String, english: String) throws(CLIError) {
    guard !invocation.arguments.has("yes") else { return }
    throw CLIError.usage(.missingOption, indonesian: indonesian, english: english)
}
