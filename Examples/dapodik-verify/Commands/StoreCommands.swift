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
    }

    static let salvage: Command.Action = { invocation in
        let console = invocation.console
        guard invocation.arguments.has("yes") else {
            throw CLIError.usage(
                .missingOption,
                indonesian: "salvage membuang commit setelah kerusakan (salinannya disimpan); ulangi dengan --yes "
                    + "bila tidak ada cadangan yang lebih baru.",
                english: "salvage drops the commits after the damage (a copy is kept); repeat with --yes if no "
                    + "backup is newer.")
        }
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        let report = try FileRecordStore.salvage(directory: data.store)
        if invocation.globals.json {
            try console.printJSON(
                SalvageJSON(
                    file: report.file, offset: report.offset, removedBytes: report.removedBytes,
                    damagedCopy: report.damagedCopy, lastSequence: report.lastSequence))
        } else if let file = report.file {
            console.say(
                "\(file) dipotong pada byte \(report.offset ?? 0) (\(report.removedBytes) byte dibuang; salinan: "
                    + "\(report.damagedCopy ?? "-")). Commit terakhir yang tersisa: \(report.lastSequence).",
                "\(file) was cut at byte \(report.offset ?? 0) (\(report.removedBytes) bytes removed; copy: "
                    + "\(report.damagedCopy ?? "-")). Last commit kept: \(report.lastSequence).")
        } else {
            console.say("Log tidak rusak; tidak ada yang diubah.", "The log is not damaged; nothing was changed.")
        }
        return .success
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
                at: destination.appendingPathComponent("store"), withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try fileManager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: destination.path)
            // Every commit and compaction of the file store holds an exclusive flock(2) on LOCK
            // (StorageFormat.md), so holding it here freezes the files for the copy.
            let lock = open(data.store.appendingPathComponent("LOCK").path, O_RDWR | O_CLOEXEC)
            guard lock >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(lock) }
            guard flock(lock, LOCK_EX) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { flock(lock, LOCK_UN) }
            var copied = 0
            for name in try fileManager.contentsOfDirectory(atPath: data.store.path).sorted()
            where !name.hasSuffix(".tmp") {
                let bytes = try Data(contentsOf: data.store.appendingPathComponent(name))
                try AtomicFile.write(
                    bytes, to: destination.appendingPathComponent("store").appendingPathComponent(name))
                copied += 1
            }
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
                    ? "Cadangan dibuat di \(destination.path) (\(copied) berkas toko, dengan kunci rahasia)."
                    : "Cadangan dibuat di \(destination.path) (\(copied) berkas toko, tanpa kunci rahasia: cadangkan "
                        + "\(data.secretKeys.path) terpisah, atau ulangi dengan --with-keys).",
                withKeys
                    ? "Backup written to \(destination.path) (\(copied) store files, with the secret keys)."
                    : "Backup written to \(destination.path) (\(copied) store files, without the secret keys: back up "
                        + "\(data.secretKeys.path) separately, or repeat with --with-keys).")
        } catch let error as CLIError {
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
