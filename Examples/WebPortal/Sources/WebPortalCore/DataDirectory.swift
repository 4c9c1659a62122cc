public import DapodikVerification
public import Foundation

/// The portal's data directory: the file store, the Maildir and the key file, laid out as the
/// example CLI lays out its own (`store/`, `mail/`, `secret-keys`), so `dapodik-verify --data` works
/// on it too (reports, key rotation, backups).
///
/// Created with mode 0700; the key file is the library's ``KeyFile`` (0600, created exclusively, so
/// two portals started together on one directory cannot end up with different keys).
public struct PortalDataDirectory: Sendable {
    /// The directory.
    public let root: URL

    /// A data directory at `path` (created on ``openService(passwordHasher:store:transport:sender:)``).
    /// - Parameter path: The directory's path.
    public init(path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    /// The file store's directory.
    public var store: URL { root.appendingPathComponent("store", isDirectory: true) }
    /// The Maildir the portal delivers into when no other transport is configured.
    public var maildir: URL { root.appendingPathComponent("mail", isDirectory: true) }
    /// The code keys: the library's ``KeyFile``.
    public var keyFile: KeyFile { KeyFile(at: root.appendingPathComponent("secret-keys")) }

    /// Opens (creating if needed) the directory, its keys and its store, and makes the service.
    ///
    /// A store used with keys whose key file is missing is refused rather than given new keys silently
    /// (every outstanding code and queued e-mail would become useless); the keys are checked against
    /// the ones the store was used with (the library's ``KeyFile/readOrCreate(for:now:)``).
    /// - Parameters:
    ///   - passwordHasher: The hasher; PBKDF2 with the library's 600,000 iterations unless given.
    ///   - store: The record store (PostgreSQL, say); the directory's file store unless given.
    ///   - transport: The mail transport; the directory's Maildir unless given.
    ///   - sender: The sender of every e-mail.
    /// - Returns: The service, over the file store.
    /// - Throws: When the directory, the keys or the store cannot be opened (a message says which).
    public func openService(
        passwordHasher: (any PasswordHasher)? = nil, store given: (any RecordStore)? = nil,
        transport: (any MailTransport)? = nil, sender: EmailAddress
    ) async throws -> VerificationService {
        try FileManager.default.createDirectory(
            at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let records = try given ?? FileRecordStore(directory: store)
        let keys = try await keyFile.readOrCreate(for: records)
        var configuration = VerificationService.Configuration(
            store: records, transport: transport ?? MaildirTransport(directory: maildir),
            keyRing: try keys.codeKeyRing(), sender: sender)
        if let passwordHasher { configuration.passwordHasher = passwordHasher }
        return VerificationService(configuration: configuration)
    }
}
