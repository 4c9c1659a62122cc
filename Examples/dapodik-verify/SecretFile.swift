import Foundation

/// A secret read from the file an environment variable names (`DAPODIK_SMTP_PASSWORD_FILE`,
/// `DAPODIK_PGPASSWORD_FILE`, `DAPODIK_SMTP_CA_FILE`), never from the command line.
enum SecretFile {
    /// Reads the file at `path`.
    /// - Parameters:
    ///   - path: The file's path.
    ///   - variable: The environment variable that named it, for the message.
    /// - Throws: ``CLIError`` (status 74) when the file cannot be read.
    static func read(_ path: String, named variable: String) throws(CLIError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw CLIError(
                .fileUnreadable, status: .ioError, indonesian: "Berkas \(variable) tidak dapat dibaca: \(path)",
                english: "The \(variable) file cannot be read: \(path)")
        }
        return text
    }
}
