import DapodikVerification
import Foundation

/// The messages of a Maildir (`new/` and `cur/`), oldest first, read-only.
///
/// Maildir file names begin with the delivery time in seconds, so ordering by modification time and
/// then by name lists messages in delivery order.
struct MaildirReader: Sendable {
    /// One message file.
    struct Entry: Sendable {
        /// 1-based position, oldest first.
        let number: Int
        let fileName: String
        let url: URL
        let message: ReceivedMessage
    }

    let directory: URL

    /// Every message, oldest first.
    /// - Throws: ``CLIError`` (I/O, status 74) when a folder or a message cannot be read (another
    ///   user's, say: never shown as an empty mailbox). A Maildir that does not exist yet is *not* an
    ///   error: it has no messages.
    func entries() throws(CLIError) -> [Entry] {
        let fileManager = FileManager.default
        var files: [(URL, Date, String)] = []
        for sub in ["new", "cur"] {
            let folder = directory.appendingPathComponent(sub, isDirectory: true)
            let names: [String]
            do {
                names = try fileManager.contentsOfDirectory(atPath: folder.path)
            } catch  where FoundationErrorText.errno(under: error) == ENOENT {
                continue
            } catch {
                let reason = FoundationErrorText.reason(of: error, file: folder.path)
                throw CLIError(
                    .fileUnreadable, status: .ioError,
                    indonesian: "Maildir \(folder.path) tidak dapat dibaca: \(reason.indonesian)",
                    english: "Cannot read the Maildir \(folder.path): \(reason.english)")
            }
            for name in names where !name.hasPrefix(".") {
                let url = folder.appendingPathComponent(name)
                let modified = (try? fileManager.attributesOfItem(atPath: url.path)[.modificationDate] as? Date) ?? nil
                files.append((url, modified ?? .distantPast, name))
            }
        }
        files.sort { $0.1 != $1.1 ? $0.1 < $1.1 : $0.2 < $1.2 }
        var entries: [Entry] = []
        for (offset, file) in files.enumerated() {
            guard let data = fileManager.contents(atPath: file.0.path) else {
                throw CLIError(
                    .fileUnreadable, status: .ioError, indonesian: "Pesan tidak dapat dibaca: \(file.0.path)",
                    english: "Cannot read the message: \(file.0.path)")
            }
            entries.append(
                Entry(number: offset + 1, fileName: file.2, url: file.0, message: ReceivedMessage(bytes: Array(data))))
        }
        return entries
    }
}
