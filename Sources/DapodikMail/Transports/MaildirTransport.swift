internal import DapodikAccounts
internal import DapodikCrypto
internal import DapodikLocking

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

/// Delivers messages into a Maildir, where a person opens them with any mail program (mutt,
/// Thunderbird, Evolution, …): for development, demonstrations, and schools without a mail relay.
///
/// Follows the Maildir protocol (D. J. Bernstein, "Using maildir format"; the `maildir(5)` page):
/// the message is written to `tmp/` under a unique name, flushed to disk with `fsync`, then renamed
/// into `new/`, so a reader never sees half a message; the `new/` directory is flushed too, so an
/// acknowledged message survives a power loss. Names are `<seconds>.M<microseconds>P<pid>Q<counter>
/// R<random>.<host>`, unique across processes and hosts sharing the directory. Missing directories
/// are created with mode 0700 and messages with mode 0600: mail holds codes. A `Return-Path` line
/// with the envelope sender is prepended, as a final delivery does (RFC 5321 §4.4).
public struct MaildirTransport: MailTransport {
    /// The name in receipts and errors.
    public let name: String
    /// The Maildir: the directory that holds `tmp/`, `new/` and `cur/`.
    public let directory: URL
    private let now: @Sendable () -> Date

    private static let counter = LockedValue<UInt64>(0)

    /// Creates a Maildir transport. Nothing is created until the first send.
    /// - Parameters:
    ///   - directory: The Maildir; created (mode 0700) if missing.
    ///   - name: The name in receipts and errors; `"maildir"` unless given.
    ///   - now: The clock for receipts and file names; the system clock unless given.
    public init(directory: URL, name: String = "maildir", now: @escaping @Sendable () -> Date = { Date() }) {
        self.directory = directory
        self.name = name
        self.now = now
    }

    /// Writes the message into `new/`.
    /// - Parameters:
    ///   - message: The message.
    ///   - envelope: Its envelope; the sender becomes the Return-Path.
    /// - Returns: A receipt whose response is the file's path relative to the Maildir (`new/…`).
    /// - Throws: ``MailTransportError`` with code ``MailTransportError/Code/inputOutput``:
    ///   misconfigured when the directory cannot be created or written for lack of permission or of
    ///   space (a full disk, a quota), or a path component is not a directory; transient for anything
    ///   else. It is never permanent: a Maildir refuses no message.
    public func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError)
        -> DeliveryReceipt
    {
        let handedOverAt = now()
        let root = directory.path
        for path in [root, root + "/tmp", root + "/new", root + "/cur"] {
            if mkdir(path, 0o700) != 0 && errno != EEXIST { throw failure("cannot create \(path)", errno) }
        }
        let name = uniqueName(at: handedOverAt)
        let temporary = root + "/tmp/" + name
        let final = root + "/new/" + name
        let bytes = Array("Return-Path: <\(envelope.sender.value)>\r\n".utf8) + message.bytes

        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create \(temporary)", errno) }
        let writeError = writeFully(bytes, to: descriptor)
        if writeError != 0 {
            close(descriptor)
            unlink(temporary)
            throw failure("cannot write \(temporary)", writeError)
        }
        if fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw failure("cannot flush \(temporary)", code)
        }
        close(descriptor)
        guard rename(temporary, final) == 0 else {
            let code = errno
            unlink(temporary)
            throw failure("cannot move the message into new/", code)
        }
        let newDirectory = open(root + "/new", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if newDirectory >= 0 {
            fsync(newDirectory)
            close(newDirectory)
        }
        return DeliveryReceipt(
            transport: self.name, handedOverAt: handedOverAt, messageID: message.messageID, response: "new/" + name)
    }

    private func uniqueName(at date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let seconds = Int64(interval.rounded(.down))
        let microseconds = Int64((interval - Double(seconds)) * 1_000_000)
        let sequence = Self.counter.withLock { value -> UInt64 in
            value += 1
            return value
        }
        var generator = SecureRandomGenerator()
        return "\(seconds).M\(microseconds)P\(getpid())Q\(sequence)R\(randomHex(byteCount: 8, using: &generator))."
            + Self.hostName
    }

    /// The host name with `/` and `:` written as `\057` and `\072`, as the Maildir protocol asks.
    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name.replacing("/", with: "\\057").replacing(":", with: "\\072")
    }()

    private func failure(_ what: String, _ code: Int32) -> MailTransportError {
        // A full disk or quota is this server's fault, as a permission is: someone must free space,
        // and only the misconfiguration report tells them (the person waiting cannot do anything).
        let misconfigured = [EACCES, EPERM, EROFS, ENOTDIR, ENOENT, ELOOP, ENAMETOOLONG, ENOSPC, EDQUOT].contains(code)
        return MailTransportError(
            .inputOutput, disposition: misconfigured ? .misconfigured : .transient, transport: name,
            detail: "\(what): \(String(cString: strerror(code)))")
    }
}
