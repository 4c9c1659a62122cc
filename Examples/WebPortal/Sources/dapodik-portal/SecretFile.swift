import DapodikVerification
import Foundation

/// A secret read from the file an environment variable names (`DAPODIK_SMTP_PASSWORD_FILE`), never
/// from the command line (other users see it in the process list): the checks of the example CLI's
/// `SecretFile`, with the portal's exit statuses.
enum SecretFile {
    /// Reads the file at `path`.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - variable: The environment variable that named it, for the message.
    /// - Returns: The file's text, as it is (a trailing newline included).
    /// - Throws: ``SecretFileError``: exit status 66 when the file does not exist; 64 when other users
    ///   may read or change it (as `libpq` ignores such a password file, and the key file is made
    ///   `0600`) or it is not UTF-8 text; 74 when it cannot be read.
    static func read(_ path: String, named variable: String) throws(SecretFileError) -> String {
        // The mode is checked on the file that is read (fstat of the open descriptor), not on whatever
        // the path names a moment earlier.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let missing = errno == ENOENT
            let reason = missing ? ("tidak ada", "does not exist") : ("tidak dapat dibaca", "cannot be read")
            throw SecretFileError(
                indonesian: "Berkas $\(variable) \(reason.0): \(path)",
                english: "The $\(variable) file \(reason.1): \(path)",
                exitStatus: missing ? 66 : 74)
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var status = stat()
        let mode = fstat(fd, &status) == 0 ? status.st_mode & 0o777 : 0o777
        if mode & 0o077 != 0 {
            throw SecretFileError(
                indonesian: "Berkas $\(variable) \(path) dapat dibaca atau diubah pengguna lain (mode "
                    + "\(String(mode, radix: 8))); jalankan 'chmod 600 \(path)'.",
                english: "The $\(variable) file \(path) can be read or changed by other users (mode "
                    + "\(String(mode, radix: 8))); run 'chmod 600 \(path)'.",
                exitStatus: 64)
        }
        guard let data = try? handle.readToEnd() ?? Data() else {
            throw SecretFileError(
                indonesian: "Berkas $\(variable) tidak dapat dibaca: \(path)",
                english: "The $\(variable) file cannot be read: \(path)", exitStatus: 74)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SecretFileError(
                indonesian: "Berkas $\(variable) \(path) bukan teks UTF-8.",
                english: "The $\(variable) file \(path) is not UTF-8 text.", exitStatus: 64)
        }
        return text
    }
}

/// A file named by an environment variable that the portal cannot use; nothing was started.
struct SecretFileError: LocalizedFailure {
    let message: LocalizedText
    /// The exit status (sysexits.h): 66 (`EX_NOINPUT`) for a missing file, 74 (`EX_IOERR`) for one that
    /// cannot be read, 64 (`EX_USAGE`, the portal's status for a bad setting) otherwise.
    let exitStatus: Int32

    init(indonesian: String, english: String, exitStatus: Int32) {
        message = LocalizedText(indonesian: indonesian, english: english)
        self.exitStatus = exitStatus
    }
}
