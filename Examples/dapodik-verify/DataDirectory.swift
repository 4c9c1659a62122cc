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

    /// Creates the directory (0700) if it does not exist.
    /// - Throws: ``CLIError`` (status 74) when it cannot be created.
    func prepare() throws(CLIError) {
        do {
            try FileManager.default.createDirectory(
                at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Direktori data \(root.path) tidak dapat dibuat: \(error.localizedDescription)",
                english: "Cannot create the data directory \(root.path): \(error.localizedDescription)")
        }
    }
}
