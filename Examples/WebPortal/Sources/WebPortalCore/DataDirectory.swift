public import DapodikVerification
public import Foundation

/// The portal's data directory: the file store, the Maildir, and the code key.
///
/// Created with mode 0700; the key file is 0600 and created exclusively, so two portals started
/// together on one directory cannot end up with different keys.
public struct PortalDataDirectory: Sendable {
    /// The directory.
    public let root: URL

    /// A data directory at `path` (created on ``open(demo:)``).
    /// - Parameter path: The directory's path.
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The file store's directory.
    public var store: URL { root.appendingPathComponent("store", isDirectory: true) }
    /// The Maildir the portal delivers into when no other transport is configured.
    public var maildir: URL { root.appendingPathComponent("mail", isDirectory: true) }
    /// The code key: 32 random bytes, base64, the directory's one secret.
    public var codeKeyFile: URL { root.appendingPathComponent("code-key") }

    /// Opens (creating if needed) the directory, its key and its store, and makes the service.
    /// - Parameters:
    ///   - passwordHasher: The hasher; PBKDF2 with the library's 600,000 iterations unless given.
    ///   - transport: The mail transport; the directory's Maildir unless given.
    ///   - sender: The sender of every e-mail.
    /// - Returns: The service, over the file store.
    /// - Throws: When the directory, the key or the store cannot be opened (a message says which).
    public func openService(
        passwordHasher: (any PasswordHasher)? = nil, transport: (any MailTransport)? = nil, sender: EmailAddress
    ) throws -> VerificationService {
        try FileManager.default.createDirectory(
            at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = try CodeKey(id: CodeKeyID("k1"), base64: try loadOrCreateKey())
        var configuration = VerificationService.Configuration(
            store: try FileRecordStore(directory: store), transport: transport ?? MaildirTransport(directory: maildir),
            keyRing: try CodeKeyRing(current: key), sender: sender)
        if let passwordHasher { configuration.passwordHasher = passwordHasher }
        return VerificationService(configuration: configuration)
    }

    /// Reads the key file, or creates it (0600, exclusively: `O_EXCL`) with fresh random bytes.
    private func loadOrCreateKey() throws -> String {
        if let existing = try? String(contentsOf: codeKeyFile, encoding: .utf8) {
            return existing.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        var generator = SystemRandomNumberGenerator()
        let material = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let text = Data(material).base64EncodedString()
        let descriptor = open(codeKeyFile.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // Another process created it first: use theirs.
            return try String(contentsOf: codeKeyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count, fsync(descriptor) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: codeKeyFile.path])
        }
        return text
    }
}
