internal import CDapodikSystemCalls

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// A Maildir the mail system delivers into (such as the bounce mailbox behind the VERP return
/// addresses), read the way a mail program reads one: new messages are listed from `new/`, and a
/// message dealt with is moved to `cur/` with the "seen" flag (`:2,S`), so it is read once.
///
/// Follows the Maildir protocol (D. J. Bernstein, "Using maildir format"; `maildir(5)`): the
/// delivering agent writes into `tmp/` and renames into `new/`, so every file in `new/` is
/// complete; a rename within one file system is atomic, so two readers never both claim a message
/// (the second one's rename fails and it skips the message).
public struct MaildirInbox: Sendable {
    /// The Maildir: the directory that holds `tmp/`, `new/` and `cur/`.
    public let directory: URL

    /// Opens a Maildir for reading; nothing is touched until a call.
    /// - Parameter directory: The Maildir.
    public init(directory: URL) {
        self.directory = directory
    }

    /// The names of the messages in `new/`, oldest first (Maildir names begin with the delivery
    /// time in seconds; names that start with a dot are not messages).
    /// - Returns: The names; none when `new/` does not exist yet.
    /// - Throws: ``BounceReadingError/Code/inputOutput`` when `new/` exists but cannot be listed.
    public func newMessages() throws(BounceReadingError) -> [String] {
        let folder = directory.appendingPathComponent("new", isDirectory: true).path
        guard FileManager.default.fileExists(atPath: folder) else { return [] }
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
                .sorted { lhs, rhs in
                    let (left, right) = (Self.seconds(lhs), Self.seconds(rhs))
                    return left != right ? left < right : lhs < rhs
                }
        } catch {
            throw .inputOutput(folder)
        }
    }

    /// The bytes of a new message, at most `maximumBytes + 1` of them (so a reader can tell a
    /// message that is too large without holding all of it).
    /// - Parameters:
    ///   - name: A name from ``newMessages()``.
    ///   - maximumBytes: The largest message wanted.
    /// - Returns: The bytes, or `nil` when the message is gone (another reader took it).
    /// - Throws: ``BounceReadingError/Code/notAFile`` when the entry is not a regular file (a
    ///   directory, a symbolic link, a named pipe: opened without following or blocking, and not
    ///   read); ``BounceReadingError/Code/inputOutput`` when the file exists but cannot be read.
    public func message(named name: String, maximumBytes: Int) throws(BounceReadingError) -> [UInt8]? {
        let path = try path(in: "new", name)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            if errno == ELOOP { throw .notAFile(path) }
            throw .inputOutput(path)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw .inputOutput(path) }
        guard status.st_mode & S_IFMT == S_IFREG else { throw .notAFile(path) }
        let wanted = max(0, min(maximumBytes, Int.max - 1)) + 1
        var bytes = [UInt8](repeating: 0, count: min(wanted, 1 << 16))
        var count = 0
        while count < wanted {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(wanted - count, bytes.count)) }
            let got = bytes.withUnsafeMutableBytes { buffer in
                read(descriptor, buffer.baseAddress! + count, buffer.count - count)
            }
            if got == 0 { break }
            if got < 0 {
                if errno == EINTR { continue }
                throw .inputOutput(path)
            }
            count += got
        }
        return Array(bytes.prefix(count))
    }

    /// Moves a message from `new/` to `cur/` with the seen flag, so it is not read again.
    ///
    /// The flags it had are kept (`name:2,T` becomes `name:2,ST`), and a message in `cur/` is never
    /// replaced: should one by that name exist already (two deliveries with one base name), this one
    /// is moved under the name with `.1`, `.2`, … added to its base.
    /// - Parameter name: A name from ``newMessages()``.
    /// - Returns: Whether this call moved it (`false` when another reader already did).
    /// - Throws: ``BounceReadingError/Code/inputOutput`` when `cur/` cannot be made or written.
    @discardableResult
    public func markSeen(_ name: String) throws(BounceReadingError) -> Bool {
        let source = try path(in: "new", name)
        let current = directory.appendingPathComponent("cur", isDirectory: true)
        do {
            try FileManager.default.createDirectory(
                at: current, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .inputOutput(current.path)
        }
        let parts = name.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let base = String(parts[0])
        let info = parts.count > 1 && parts[1].hasPrefix("2,") ? parts[1].dropFirst(2) : ""
        let flags = String(Set(info.filter { $0.isASCII && $0.isLetter }).union(["S"]).sorted())
        for attempt in 0..<100 {
            let seenName = (attempt == 0 ? base : "\(base).\(attempt)") + ":2," + flags
            let destination = current.appendingPathComponent(seenName).path
            if cdapodik_rename_no_replace(source, destination) == 0 { return true }
            switch errno {
            case EEXIST: continue
            case ENOENT where !FileManager.default.fileExists(atPath: source): return false
            case ENOSYS, EINVAL:
                // No atomic refusal here: check, then rename (a race only between two deliveries
                // with one base name).
                if FileManager.default.fileExists(atPath: destination) { continue }
                if rename(source, destination) == 0 { return true }
                if !FileManager.default.fileExists(atPath: source) { return false }
                throw .inputOutput(source)
            default:
                throw .inputOutput(source)
            }
        }
        throw .inputOutput(source)
    }

    private func path(in folder: String, _ name: String) throws(BounceReadingError) -> String {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { throw .inputOutput(name) }
        return directory.appendingPathComponent(folder, isDirectory: true).appendingPathComponent(name).path
    }

    private static func seconds(_ name: String) -> Int {
        Int(name.prefix { $0.isASCII && $0.isNumber }.prefix(18)) ?? 0
    }
}

extension BounceReadingError.Code {
    /// A Maildir of incoming messages cannot be listed, read or written.
    public static let inputOutput = BounceReadingError.Code("bounce.inputOutput")
    /// An entry of a Maildir's `new/` is not a regular file (a directory, a symbolic link, a named
    /// pipe): not a message, and not read.
    public static let notAFile = BounceReadingError.Code("bounce.notAFile")
}

extension BounceReadingError {
    static func inputOutput(_ path: String) -> BounceReadingError {
        BounceReadingError(
            .inputOutput, indonesian: "Maildir pantulan tidak dapat dibaca atau ditulis: \(path)",
            english: "The bounce Maildir cannot be read or written: \(path)")
    }

    static func notAFile(_ path: String) -> BounceReadingError {
        BounceReadingError(
            .notAFile, indonesian: "Entri Maildir pantulan ini bukan berkas pesan biasa, jadi tidak dibaca: \(path)",
            english: "This entry of the bounce Maildir is not a plain message file, so it was not read: \(path)")
    }
}
