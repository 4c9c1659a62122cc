import Foundation

/// A secret read from the file an environment variable names (`DAPODIK_SMTP_PASSWORD_FILE`,
/// `DAPODIK_PGPASSWORD_FILE`), never from the command line; or a CA file to trust, named by
/// `DAPODIK_SMTP_CA_FILE` or by `--store`'s `sslrootcert` (not secret).
enum SecretFile {
    /// Reads the file at `path`.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - variable: The environment variable that named it, for the message.
    ///   - secret: Whether the file holds a secret: then it must not be readable or writable by other
    ///     users (as `libpq` ignores such a password file, and `secret-keys` is made `0600`).
    /// - Throws: ``CLIError``: 66 when the file does not exist, 65 for a secret other users may read or
    ///   a file that is not UTF-8 text, 74 when it cannot be read.
    static func read(_ path: String, named variable: String, secret: Bool = true) throws(CLIError) -> String {
        // The mode is checked on the file that is read (fstat of the open descriptor), not on whatever
        // the path names a moment earlier.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let missing = errno == ENOENT
            let reason = missing ? ("tidak ada", "does not exist") : ("tidak dapat dibaca", "cannot be read")
            throw CLIError(
                .fileUnreadable, status: missing ? .noInput : .ioError,
                indonesian: "Berkas \(variable) \(reason.0): \(path)",
                english: "The \(variable) file \(reason.1): \(path)")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        var status = stat()
        let mode = fstat(fd, &status) == 0 ? status.st_mode & 0o777 : 0o777
        if secret, mode & 0o077 != 0 {
            throw CLIError.invalidValue(
                indonesian: "Berkas \(variable) \(path) dapat dibaca atau diubah pengguna lain (mode "
                    + "\(String(mode, radix: 8))); jalankan 'chmod 600 \(path)'. Tidak ada yang dilakukan.",
                english: "The \(variable) file \(path) can be read or changed by other users (mode "
                    + "\(String(mode, radix: 8))); run 'chmod 600 \(path)'. Nothing was done.")
        }
        guard let data = try? handle.readToEnd() ?? Data() else {
            throw CLIError(
                .fileUnreadable, status: .ioError, indonesian: "Berkas \(variable) tidak dapat dibaca: \(path)",
                english: "The \(variable) file cannot be read: \(path)")
        }
        // Read, but not text (a DER certificate, a binary file named by mistake): a value, not an I/O failure.
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError.invalidValue(
                indonesian: "Berkas \(variable) \(path) bukan teks UTF-8 (sertifikat harus berbentuk PEM). Tidak ada "
                    + "yang dilakukan.",
                english: "The \(variable) file \(path) is not UTF-8 text (a certificate must be PEM). Nothing was "
                    + "done.")
        }
        return text
    }

    /// Reads the PEM certificates at `path` (a CA file to trust: not a secret).
    /// - Parameters:
    ///   - path: The file's path.
    ///   - name: What named it (an environment variable, a URL parameter), for the message.
    /// - Throws: ``CLIError``: 66 when the file does not exist, 74 when it cannot be read, 65 when it
    ///   holds no PEM certificate (or is not text: a DER certificate).
    static func readCertificates(_ path: String, named name: String) throws(CLIError) -> String {
        let pem = try read(path, named: name, secret: false)
        guard pem.contains("-----BEGIN CERTIFICATE-----") else {
            throw CLIError.invalidValue(
                indonesian: "Berkas \(name) \(path) tidak berisi sertifikat PEM (-----BEGIN CERTIFICATE-----). "
                    + "Tidak ada yang dilakukan.",
                english: "The \(name) file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----). "
                    + "Nothing was done.")
        }
        return pem
    }
}
