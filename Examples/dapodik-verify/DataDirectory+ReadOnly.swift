import Foundation

extension DataDirectory {
    /// Whether this process may write the file store's directory; `true` when it does not exist (a
    /// store in PostgreSQL, or one not made yet: opening says the rest).
    var storeIsWritable: Bool {
        access(store.path, W_OK) == 0 || errno == ENOENT
    }

    /// Why a command that writes cannot use this directory's store, when the file system holding it
    /// is mounted read-only (a backup disk, a snapshot, a replica): said in words before the store
    /// is opened, rather than by the `EROFS` of the first file it would have written. `nil` when it
    /// can be written, or when that is not known yet (the store's own errors say the rest).
    var readOnlyProblem: CLIError? {
        guard access(store.path, W_OK) != 0, errno == EROFS else { return nil }
        return CLIError(
            .readOnlyStore, status: .ioError,
            indonesian: "Penyimpanan data \(store.path) ada di sistem berkas hanya-baca (read-only), jadi perintah "
                + "ini, yang mengubah data, tidak dapat dijalankan; tidak ada yang diubah. Perintah yang hanya "
                + "membaca tetap dapat dipakai: \(ReadingCommands.named).",
            english: "The store \(store.path) is on a read-only file system, so this command, which changes data, "
                + "cannot run; nothing was changed. The commands that only read still work: "
                + "\(ReadingCommands.named).")
    }
}
