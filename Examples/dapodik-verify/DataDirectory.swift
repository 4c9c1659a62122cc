import DapodikHostSystem
import DapodikVerification
import Foundation

/// The layout of a data directory: the file store, the secret keys, the Maildir.
///
/// Created on first use with mode 0700 (the directory) so other users of the machine cannot read
/// the store or the keys.
struct DataDirectory: Sendable {
    let root: URL

    init(path: String) {
        self.root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The file store's directory.
    var store: URL { root.appendingPathComponent("store", isDirectory: true) }
    /// The Maildir that receives mail when no `--sendmail` is given.
    var maildir: URL { root.appendingPathComponent("mail", isDirectory: true) }
    /// The code keys, the directory's one secret (0600); the outbox seal key derives from them.
    var secretKeys: URL { root.appendingPathComponent("secret-keys") }

    /// Optional settings (see ``DataDirectorySettings``).
    var settings: URL { root.appendingPathComponent("settings.json") }

    /// Whether a data directory has been set up here: its store directory or its key file exists.
    /// Not the store's `CURRENT` alone: a store whose manifest is missing is still this directory's
    /// store, and the store itself refuses to open it and says how to recover (`store recover`).
    var exists: Bool {
        FileManager.default.fileExists(atPath: secretKeys.path) || holdsStore
    }

    /// Whether the store directory holds a store's files (`FileRecordStore.isStoreFileName(_:)`): an empty one (a backup
    /// killed as it began, a directory made by hand) is no data, which opening would start afresh. A
    /// store directory this user may not list counts as there, so that opening says why.
    var holdsStore: Bool {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: store.path).contains(
                where: FileRecordStore.isStoreFileName)
        } catch {
            return FileManager.default.fileExists(atPath: store.path)
                && FoundationErrorText.errno(under: error) != ENOENT
        }
    }

    /// Whether the Maildir exists (the mailbox commands read only that).
    var hasMaildir: Bool { FileManager.default.fileExists(atPath: maildir.path) }

    /// Refuses a directory that holds no store, so a mistyped `--data` never silently starts a new,
    /// empty directory (which would then answer "wrong password" to everyone). Only the commands
    /// that set up a directory (`school create`, `demo`) use ``prepare()`` instead.
    /// - Throws: ``CLIError`` (status 66) naming the directory, with a hint.
    /// - Parameters:
    ///   - maildirSuffices: For the mailbox commands: a directory with a Maildir is enough.
    ///   - recordsInDatabase: For a command whose records are in PostgreSQL (`--store`): the directory
    ///     holds the keys and the Maildir only, so its existing is enough. A missing key file is then
    ///     the key file's own error, told against the database (or mended by `key rotate`).
    func requireExisting(maildirSuffices: Bool = false, recordsInDatabase: Bool = false) throws(CLIError) {
        let directoryIsEnough = recordsInDatabase && FileManager.default.fileExists(atPath: root.path)
        guard !exists, !(maildirSuffices && hasMaildir), !directoryIsEnough else { return try requireTrusted(root) }
        // A directory this user may not enter is not "no data": said as it is, with the fix.
        for path in [store.path, secretKeys.path] {
            var status = stat()
            guard stat(path, &status) != 0, errno == EACCES else { continue }
            // The directory may be this user's own already: then its mode, not its owner, is the fix.
            var rootStatus = stat()
            let own = stat(root.path, &rootStatus) == 0 && UInt32(rootStatus.st_uid) == SystemUser.current
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Direktori data \(root.path) tidak dapat dibuka: izin ditolak. "
                    + (own
                        ? "Direktori itu milik pengguna yang menjalankan program, tetapi modenya tidak mengizinkan: "
                            + "chmod u+rwx \(root.path)"
                        : "Jalankan program sebagai pemilik direktori itu."),
                english: "Cannot open the data directory \(root.path): permission denied. "
                    + (own
                        ? "It belongs to the user the program runs as, but its mode does not allow it: "
                            + "chmod u+rwx \(root.path)"
                        : "Run the program as the directory's owner."))
        }
        throw CLIError(
            .noDataDirectory, status: .noInput,
            indonesian: "Tidak ada data dapodik-verify di \(root.path). Periksa --data atau $DAPODIK_DATA "
                + "(salah ketik?); direktori data baru dibuat oleh 'dapodik-verify school create'.",
            english: "There is no dapodik-verify data in \(root.path). Check --data or $DAPODIK_DATA (a typo?); "
                + "a new data directory is set up by 'dapodik-verify school create'.")
    }

    /// Refuses a directory whose key file is there but whose file store is not, or holds none of a
    /// store's files (no `CURRENT`, no `log-` or `snapshot-` file): the store was moved or deleted, and
    /// opening it would silently start a new, empty one (every password then "wrong", the feed back at
    /// its start). Generation files without `CURRENT` are left to the store, which refuses them itself
    /// and names the repair; an unreadable store directory too, whose error says whose it is. Only for
    /// the file store: with PostgreSQL the directory holds the keys alone.
    /// - Throws: ``CLIError`` (status 66) naming both, with the fix.
    func requireFileStoreNotLost() throws(CLIError) {
        let files = FileManager.default
        guard files.fileExists(atPath: secretKeys.path) else { return }
        if files.fileExists(atPath: store.path) {
            guard let names = try? files.contentsOfDirectory(atPath: store.path) else { return }
            guard !names.contains(where: FileRecordStore.isStoreFileName) else { return }
        }
        throw CLIError(
            .dataDirectory, status: .noInput,
            indonesian:
                "Penyimpanan data \(store.path) tidak ada atau kosong, padahal berkas kunci \(secretKeys.path) ada: "
                + "penyimpanan itu dipindahkan atau terhapus. Pulihkan direktori data dari cadangan (hentikan semua proses, "
                + "lalu pakai direktori cadangan sebagai --data); tidak ada yang dibuat.",
            english: "The store \(store.path) is missing or empty although the key file \(secretKeys.path) is there: "
                + "the store was moved or deleted. Restore the data directory from a backup (stop every process, "
                + "then use the backup directory as --data); nothing was created.")
    }

    /// Creates the directory (0700) if it does not exist.
    /// - Throws: ``CLIError`` (status 74) when it cannot be created, or another user could change it.
    func prepare() throws(CLIError) {
        if let distrust = DirectoryDistrust.checkParent(of: root.path) { throw Self.refusal(distrust) }
        do {
            try FileManager.default.createDirectory(
                at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            let reason = FoundationErrorText.reason(of: error, file: root.path)
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Direktori data \(root.path) tidak dapat dibuat: \(reason.indonesian)",
                english: "Cannot create the data directory \(root.path): \(reason.english)")
        }
        try requireTrusted(root)
    }

    /// Refuses a directory another user could change (the library's rule, `DirectoryDistrust`): run
    /// as root over a service user's directory, or with the directory writable by a group.
    /// - Throws: ``CLIError`` (status 74) naming the directory at fault and the fix.
    private func requireTrusted(_ directory: URL) throws(CLIError) {
        if let distrust = DirectoryDistrust.check(directory.path) { throw Self.refusal(distrust) }
    }

    private static func refusal(_ distrust: DirectoryDistrust) -> CLIError {
        CLIError(
            .dataDirectory, status: .ioError, indonesian: distrust.message.indonesian,
            english: distrust.message.english)
    }
}
