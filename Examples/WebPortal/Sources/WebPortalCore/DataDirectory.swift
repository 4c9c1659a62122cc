public import DapodikVerification
public import Foundation
public import Logging

/// The portal's data directory: the file store, the Maildir and the key file, laid out as the
/// example CLI lays out its own (`store/`, `mail/`, `secret-keys`), so `dapodik-verify --data` works
/// on it too (reports, key rotation, backups).
///
/// Created with mode 0700; the key file is the library's ``KeyFile`` (0600, created exclusively, so
/// two portals started together on one directory cannot end up with different keys).
public struct PortalDataDirectory: Sendable {
    /// The directory.
    public let root: URL

    /// A data directory at `path` (created on ``openService(demo:passwordHasher:store:transport:sender:mailWatch:logger:)``).
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
    /// The file that marks a directory made for the demo (`--demo`), whose operator's password is
    /// published.
    var demoMarker: URL { root.appendingPathComponent("DEMO") }
    /// The directory's settings, as `dapodik-verify` reads them (`settings.json`).
    var settings: URL { root.appendingPathComponent("settings.json") }

    /// The PBKDF2 iterations of the demo's password hashes: fewer than the library's 600,000, as
    /// the CLI's `demo` has, so a demo answers quickly. Written to the demo directory's settings, so
    /// `dapodik-verify` on it hashes alike and a login there does not rehash the portal's hashes
    /// (which would end the person's portal sessions as a changed password does).
    public static let demoPasswordIterations = 10_000

    /// Whether the directory holds a file store: its `CURRENT`, a generation's files, or the mark of a
    /// backup cut short (which opening refuses in its own words).
    var holdsFileStore: Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: store.path)) ?? []
        return names.contains(where: FileRecordStore.isStoreFileName)
    }

    /// Opens the directory, its keys and its store, and makes the service.
    ///
    /// Real use needs a store with schools in it, made by `dapodik-verify school create --data` (the
    /// portal creates no school): a directory without a file store, and no other store given, is
    /// refused, so a mistyped `--data` does not start an empty portal. The demo creates its directory.
    ///
    /// A store used with keys whose key file is missing is refused rather than given new keys silently
    /// (every outstanding code and queued e-mail would become useless); the keys are checked against
    /// the ones the store was used with (the library's ``KeyFile/readOrCreate(for:now:)``).
    ///
    /// A demo and real data never share a directory: the demo publishes its operator's password and
    /// shows every e-mail of its Maildir to anyone. So a demo opens only a new directory (which it
    /// marks with a file `DEMO`) or one it made before, and a directory the demo made is refused for
    /// real use. The same holds for a store given here (`--demo --store postgres://…`): the demo takes
    /// only an empty store, which it marks with the record ``demoStoreMark``, or one it marked before,
    /// and a marked store is refused for real use (``checkStore(_:demo:)``).
    /// - Parameters:
    ///   - demo: Whether the portal runs as the demo.
    ///   - passwordHasher: The hasher; PBKDF2 with the library's 600,000 iterations unless given.
    ///   - store: The record store (PostgreSQL, say); the directory's file store unless given.
    ///   - transport: The mail transport; the directory's Maildir unless given.
    ///   - sender: The sender of every e-mail.
    ///   - mailWatch: Told how each send through the transport ends (for
    ///     ``PortalConfiguration/mailWatch``); none when `nil`.
    ///   - logger: Where the problems nobody is waiting on go (``problemReports(to:)``); none when `nil`.
    /// - Returns: The service, over the file store.
    /// - Throws: ``PortalSetupError`` when a demo meets real data or the other way round (in the
    ///   directory or in the store given), or without a store for real use; otherwise when the
    ///   directory, the keys or the store cannot be opened (a message says which).
    public func openService(
        demo: Bool = false, passwordHasher: (any PasswordHasher)? = nil, store given: (any RecordStore)? = nil,
        transport: (any MailTransport)? = nil, sender: EmailAddress, mailWatch: MailTransportWatch? = nil,
        logger: Logger? = nil
    ) async throws -> VerificationService {
        let manager = FileManager.default
        let isDemoDirectory = manager.fileExists(atPath: demoMarker.path)
        if demo {
            let holdsData = ["store", "secret-keys"].contains {
                manager.fileExists(atPath: root.appendingPathComponent($0).path)
            }
            guard isDemoDirectory || !holdsData else { throw PortalSetupError.demoOverRealData(root.path) }
        } else if isDemoDirectory {
            throw PortalSetupError.realUseOfDemoData(root.path)
        } else if given == nil, !holdsFileStore {
            // The portal creates no school: an empty store would answer every login "wrong password".
            throw PortalSetupError.noStore(root.path)
        }
        // Before anything is made here: a refused store leaves the directory as it was.
        if let given { try await Self.checkStore(given, demo: demo) }
        try manager.createDirectory(
            at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if demo, !isDemoDirectory {
            let note = "Made by dapodik-portal --demo: its operator's password is published. Not for real data.\n"
            guard
                manager.createFile(
                    atPath: demoMarker.path, contents: Data(note.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: demoMarker.path]) }
        }
        if demo, !manager.fileExists(atPath: settings.path) {
            let json = #"{"passwordIterations": \#(Self.demoPasswordIterations)}"# + "\n"
            guard
                manager.createFile(
                    atPath: settings.path, contents: Data(json.utf8), attributes: [.posixPermissions: 0o600])
            else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: settings.path]) }
        }
        let reports = logger.map(Self.problemReports(to:))
        var storeOptions = FileRecordStore.Options()
        storeOptions.onAutomaticCompactionFailure = reports?.automaticCompactionFailed
        // A visitor waits at most this for another process that holds the store (a compaction or a
        // backup from the command line): past a national store's compaction, under the minute a
        // proxy commonly waits for an answer. The deployer is told of every long wait.
        storeOptions.lockWait = LockWaitPolicy(
            limit: Self.lockWaitLimit,
            onLongWait: { lockFile in
                logger?.warning(
                    "Waiting for another process that holds the store's lock", metadata: ["lock": .string(lockFile)])
            })
        let records = try given ?? FileRecordStore(directory: store, options: storeOptions)
        let keys = try await keyFile.readOrCreate(for: records)
        let mail = transport ?? MaildirTransport(directory: maildir)
        var configuration = VerificationService.Configuration(
            store: records, transport: mailWatch?.watching(mail) ?? mail, keyRing: try keys.codeKeyRing(),
            sender: sender)
        if let passwordHasher { configuration.passwordHasher = passwordHasher }
        if let reports { configuration.onMisconfiguration = reports.mailMisconfigured }
        return VerificationService(configuration: configuration)
    }

    /// The record that marks a store made by the demo (`--demo --store`), as the file `DEMO` marks a
    /// directory. Its collection is the portal's own; the library and `dapodik-verify` never read it.
    static let demoStoreMark = RecordKey(collection: "portal.demo", id: "store")

    /// Keeps a demo and real data apart in a store given to ``openService(demo:passwordHasher:store:transport:sender:mailWatch:logger:)``
    /// (PostgreSQL, say), as the file `DEMO` keeps them apart in a directory.
    ///
    /// The demo takes a store only when it is empty, and marks it (``demoStoreMark``), or when it marked
    /// it before: seeding the demo's school, whose operator's password is published, into real records
    /// would open them to anyone. Real use of a marked store is refused.
    /// - Parameters:
    ///   - store: The store given.
    ///   - demo: Whether the portal runs as the demo.
    /// - Throws: ``PortalSetupError`` when a demo meets a store with other records, or real use meets a
    ///   store the demo marked; the store's error when it cannot be read or written. Two demos marking
    ///   one empty store at once is not an error: one mark wins, and both use it.
    static func checkStore(_ store: any RecordStore, demo: Bool) async throws {
        let marked = try await store.record(for: demoStoreMark) != nil
        guard demo else {
            if marked { throw PortalSetupError.realUseOfDemoStore }
            return
        }
        if marked { return }
        // Any commit at all, the library's or another program's, makes the store someone else's.
        guard try await store.changes(after: 0, limit: 1).isEmpty else { throw PortalSetupError.demoOverRealStore }
        let note = "Made by dapodik-portal --demo: its operator's password is published. Not for real data."
        do {
            try await store.commit(.put(demoStoreMark, value: Data(note.utf8), expecting: .mustNotExist))
        } catch let error as StoreError where error.isConflict {
            // Another demo starting at the same moment marked it first.
        }
    }

    /// The longest a request waits for another process that holds the file store's lock before the
    /// visitor is told the server is busy (503).
    static let lockWaitLimit: Duration = .seconds(25)

    /// The log lines for the problems no visitor is waiting on, so the portal's administrator learns of
    /// them: a mail transport that cannot send until its configuration is fixed (an error: every code
    /// waits meanwhile), and a failed automatic compaction of the file store (a warning: the commit that
    /// set it off succeeded and nothing was lost, but a log that keeps growing makes every start slower).
    /// In English, as the rest of the portal's log; secrets never appear in either error's text.
    /// - Parameter logger: Where the lines go.
    /// - Returns: The two reporters, for the service's configuration and the file store's options.
    static func problemReports(to logger: Logger) -> (
        mailMisconfigured: @Sendable (MailTransportError) -> Void,
        automaticCompactionFailed: @Sendable (StoreError) -> Void
    ) {
        (
            mailMisconfigured: { error in
                logger.error(
                    "Mail cannot be sent until the transport's configuration is fixed",
                    metadata: ["transport": .string(error.transport), "error": .string(error.message.english)])
            },
            automaticCompactionFailed: { error in
                logger.warning(
                    "The file store's automatic compaction failed; no data was lost",
                    metadata: ["error": .string(error.message.english)])
            }
        )
    }
}

/// Why the portal would not start over a data directory.
public struct PortalSetupError: LocalizedFailure {
    /// What went wrong, in both languages.
    public let message: LocalizedText
    /// The exit status the portal ends with (sysexits.h): 66 (`EX_NOINPUT`) for a store that is not
    /// there, 64 (`EX_USAGE`) for options that do not go together.
    public var exitStatus: Int32 = 64

    /// `--demo` over a directory that holds a store or keys the demo did not make.
    static func demoOverRealData(_ path: String) -> PortalSetupError {
        PortalSetupError(
            message: LocalizedText(
                indonesian: "\(path) berisi data yang bukan dibuat oleh demo. Demo mengumumkan kata sandi operatornya "
                    + "dan menampilkan semua email: jalankan --demo dengan --data direktori baru.",
                english: "\(path) holds data the demo did not make. The demo publishes its operator's password and "
                    + "shows every e-mail: run --demo with --data naming a new directory."))
    }

    /// A directory made by `--demo`, opened without it.
    static func realUseOfDemoData(_ path: String) -> PortalSetupError {
        PortalSetupError(
            message: LocalizedText(
                indonesian: "\(path) dibuat oleh --demo, dan kata sandi operator demonya diumumkan. "
                    + "Untuk data sungguhan pakai direktori data baru.",
                english: "\(path) was made by --demo, and its demo operator's password is published. "
                    + "Use a new data directory for real data."))
    }

    /// Real use of a directory that holds no file store.
    static func noStore(_ path: String) -> PortalSetupError {
        PortalSetupError(
            message: LocalizedText(
                indonesian:
                    "Tidak ada penyimpanan data di \(path); tidak ada yang dibuat. Periksa --data (salah ketik?). "
                    + "Portal tidak membuat sekolah: buat dulu dengan 'dapodik-verify school create --data \(path)', "
                    + "atau coba portal dengan --demo.",
                english: "There is no store in \(path); nothing was created. Check --data (a typo?). The portal "
                    + "creates no school: make one first with 'dapodik-verify school create --data \(path)', or try "
                    + "the portal with --demo."),
            exitStatus: 66)
    }

    /// A PostgreSQL database or schema that holds no store (`--store`).
    public static func noSchema(_ schema: String) -> PortalSetupError {
        PortalSetupError(
            message: LocalizedText(
                indonesian:
                    "Tidak ada penyimpanan data di skema \(schema) pada --store; tidak ada yang dibuat. Periksa "
                    + "nama basis data dan ?schema=; penyimpanan dibuat oleh 'dapodik-verify school create --store …'.",
                english: "There is no store in schema \(schema) at --store; nothing was created. Check the database "
                    + "name and ?schema=; a store is made by 'dapodik-verify school create --store …'."),
            exitStatus: 66)
    }

    /// `--demo --store` naming a schema with a store of an earlier schema version: the demo upgrades
    /// nothing, since that could be real data (which it would refuse only after the upgrade).
    public static func demoOverOlderSchema(_ schema: String) -> PortalSetupError {
        PortalSetupError(
            message: LocalizedText(
                indonesian: "Skema \(schema) pada --store berisi penyimpanan dari versi sebelumnya; demo tidak "
                    + "memperbaruinya, karena bisa jadi itu data sungguhan. Tidak ada yang diubah: jalankan --demo "
                    + "dengan --store basis data atau skema (?schema=) yang baru.",
                english: "Schema \(schema) at --store holds a store of an earlier version; the demo does not "
                    + "upgrade it, since it may be real data. Nothing was changed: run --demo with --store naming a "
                    + "new database or schema (?schema=)."))
    }

    /// `--demo --store` naming a store that holds records the demo did not make.
    static let demoOverRealStore = PortalSetupError(
        message: LocalizedText(
            indonesian: "Penyimpanan pada --store berisi data yang bukan dibuat oleh demo. Demo mengumumkan kata "
                + "sandi operatornya: jalankan --demo dengan --store basis data atau skema (?schema=) yang baru.",
            english: "The store at --store holds records the demo did not make. The demo publishes its operator's "
                + "password: run --demo with --store naming a new database or schema (?schema=)."))

    /// A store made by `--demo --store`, opened without `--demo`.
    static let realUseOfDemoStore = PortalSetupError(
        message: LocalizedText(
            indonesian: "Penyimpanan pada --store dibuat oleh --demo, dan kata sandi operator demonya diumumkan. "
                + "Untuk data sungguhan pakai basis data atau skema (?schema=) lain.",
            english: "The store at --store was made by --demo, and its demo operator's password is published. "
                + "Use another database or schema (?schema=) for real data."))
}
