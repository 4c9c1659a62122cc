import DapodikVerification
import Foundation
import Synchronization

/// The library as the CLI uses it: a ``VerificationService`` over the file store of the data
/// directory, sending through the Maildir there (or a real `sendmail`), with the directory's code keys
/// as its one secret.
struct ServiceContext: Sendable {
    let service: VerificationService
    /// Whether the service has reported the mail transport misconfigured since this context was opened.
    let misconfigurationReported: MisconfigurationFlag
    /// The service's mail transport, watched: whether a send is under way (what a wait is for).
    let mail: WatchedTransport
    /// Whether the file store was opened read-only (for one of the ``ReadingCommands`` where this process
    /// cannot write it): a login then writes nothing.
    var isReadingOnly = false

    /// The sender address of every e-mail: `DAPODIK_SENDER`, else a reserved example address
    /// (RFC 2606), fine for the Maildir; set a real one before using `--sendmail`.
    static let senderEnvironmentVariable = "DAPODIK_SENDER"
    static let defaultSender = "verifikasi@dapodik.example"

    /// The store the records are in: PostgreSQL with `--store`, else the data directory's file store.
    /// `creating` (for `school create`) lets `--store` make its schema in the database; without it a
    /// database or schema without a store is refused (status 66).
    /// - Throws: ``CLIError`` (status 74) when the file store cannot be opened; the PostgreSQL option's
    ///   errors as they are.
    static func openStore(
        _ invocation: Invocation, data: DataDirectory, options: FileRecordStore.Options? = nil, creating: Bool = false
    ) async throws -> any RecordStore {
        if let postgres = try await PostgresStoreOption.store(
            url: invocation.value(PostgresStoreOption.url), environment: invocation.environment, creating: creating)
        {
            let console = invocation.console
            return WatchedDatabase(postgres) {
                console.narrate(console.pick("Menunggu basis data…", "Waiting for the database…"))
            }
        }
        let options = try options ?? StoreLockWait.options(invocation)
        try data.requireFileStoreNotLost()
        // Where nothing can be written, a command that writes is told so in words, not by errno.
        if !options.readOnly, let problem = data.readOnlyProblem { throw problem }
        do {
            return try FileRecordStore(directory: data.store, options: options)
        } catch  where error.code == .lockTimeout {
            throw ErrorClassification.classify(error)
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian:
                    "Penyimpanan data \(data.store.path) tidak dapat dibuka: \(error.commandLineMessage.indonesian)",
                english: "Cannot open the store \(data.store.path): \(error.commandLineMessage.english)")
        }
    }

    /// The `--sendmail` transport, refused before anything runs when its program cannot be run: a
    /// command that would then issue a code whose mail cannot leave says so first, in the person's words.
    /// - Throws: ``CLIError`` (status 69, mail cannot be sent) naming the program and the reason.
    private static func usableSendmail(
        at path: String, now: @escaping @Sendable () -> Date
    ) throws(CLIError) -> SendmailTransport {
        let transport = SendmailTransport(executablePath: path, now: now)
        if let problem = transport.programProblem {
            throw CLIError(
                .mailProgramUnavailable, status: .unavailable,
                indonesian: "\(problem.indonesian) Periksa --sendmail; tidak ada yang dilakukan.",
                english: "\(problem.english) Check --sendmail; nothing was done.")
        }
        return transport
    }

    /// Opens the data directory; only with `creating` does it set up a new one (and its keys).
    ///
    /// For a command that only reads (``ReadingCommands``), where this process cannot write the file
    /// store (read-only media, a replica), the store is opened read-only (nothing is created, repaired
    /// or written), the key file is only read, and ``login(_:as:)`` records nothing, since nothing can
    /// be recorded there. Where it can write the store, it opens it as usual, and its login counts every
    /// attempt: the login throttle holds for reading commands too. A PostgreSQL store (`--store`) is
    /// opened as usual.
    /// - Parameters:
    ///   - invocation: The command line (the command, data directory, language, `--sendmail`).
    ///   - creating: Whether this command sets up a data directory (`school create`, `demo`); every
    ///     other command refuses a directory without a store (status 66).
    ///   - now: The clock; the system clock except in the demo.
    ///   - transport: A transport to use instead of the Maildir or sendmail (the demo's).
    ///   - passwordHasher: A hasher to use instead of the default (the demo's faster one).
    /// - Throws: ``CLIError`` (status 74) when the directory, its keys or its store cannot be opened;
    ///   with a store opened read-only, the store's read-only error when the key file has a key whose
    ///   check value the store has not recorded (a key never used with it), since recording it is a write.
    static func open(
        _ invocation: Invocation, creating: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() },
        transport: (any MailTransport)? = nil, passwordHasher: (any PasswordHasher)? = nil
    ) async throws -> ServiceContext {
        let data = DataDirectory(path: invocation.globals.dataDirectory)
        // Everything that can be refused is checked before anything is created: a refused command
        // leaves no half-made data directory behind (which would then count as existing).
        let senderText = invocation.environment[senderEnvironmentVariable] ?? defaultSender
        let sender: EmailAddress
        do {
            sender = try EmailAddress(senderText)
        } catch {
            throw CLIError.invalidValue(
                indonesian: "\(senderEnvironmentVariable) bukan alamat email yang valid: \(error.message.indonesian)",
                english: "\(senderEnvironmentVariable) is not a valid e-mail address: \(error.message.english)")
        }
        let chosenTransport: any MailTransport =
            try transport
            ?? SMTPOption.transport(
                url: invocation.value(SMTPOption.url), environment: invocation.environment, now: now)
            ?? invocation.value(GlobalOptions.sendmail).map { path throws(CLIError) in
                try Self.usableSendmail(at: path, now: now)
            }
            ?? MaildirTransport(directory: data.maildir, now: now)
        let mail = WatchedTransport(chosenTransport)
        let iterations =
            passwordHasher == nil ? try DataDirectorySettings.load(from: data.settings).passwordIterations : nil
        var lockWait = try StoreLockWait.options(invocation)
        // A command that only reads opens the store read-only only where it cannot be written (read-only
        // media, a replica): on a store it may write, its login counts every attempt like any other, so
        // the login throttle holds for whoever runs a reading command (found reviewing this change).
        lockWait.readOnly = ReadingCommands.contains(invocation.arguments.commandPath) && !data.storeIsWritable

        if creating {
            try data.prepare()
        } else {
            try data.requireExisting(recordsInDatabase: invocation.recordsInDatabase)
        }
        let store = try await openStore(invocation, data: data, options: lockWait, creating: creating)
        // A store used with keys whose key file is missing is refused rather than given new keys.
        let keyFile = KeyFile(at: data.secretKeys, lockWait: try StoreLockWait.policy(invocation))
        let keys: KeyFile.Contents
        if lockWait.readOnly, keyFile.exists {
            // Read, never created; checked against the check values the store holds.
            keys = try keyFile.read()
            try await keys.verify(against: store)
        } else {
            // Also for a command that only reads when the file is missing: a store used with keys is
            // refused, naming 'key rotate', before anything is written.
            keys = try await keyFile.readOrCreate(for: store, now: now())
        }
        // The one-secret configuration: the outbox seal key is derived from the code keys.
        var configuration = VerificationService.Configuration(
            store: store, transport: mail, keyRing: try keys.codeKeyRing(), sender: sender)
        configuration.defaultLanguage = invocation.language
        // The library's texts say how to ask for a code: with this program's command, not the portal's button.
        configuration.codeRequestAction = OwnVerification.codeRequestAction
        configuration.now = now
        if let passwordHasher {
            configuration.passwordHasher = passwordHasher
        } else if let iterations {
            configuration.passwordHasher = PBKDF2PasswordHasher(iterations: iterations)
        }
        let console = invocation.console
        let misconfigurationReported = MisconfigurationFlag()
        configuration.onMisconfiguration = { error in
            misconfigurationReported.set()
            console.warn(
                code: "mail.misconfigured",
                console.pick(
                    "PERINGATAN: transport email salah konfigurasi: ", "WARNING: the mail transport is misconfigured: ")
                    + console.pick(error.message.indonesian, error.message.english))
        }
        return ServiceContext(
            service: VerificationService(configuration: configuration),
            misconfigurationReported: misconfigurationReported, mail: mail,
            isReadingOnly: (store as? FileRecordStore)?.isReadOnly ?? false)
    }

    /// Logs in the person named by `identity` (`--as`), asking for their password.
    /// - Returns: The session the service granted.
    /// - Throws: ``CLIError`` when no password can be read; ``VerificationError`` for a wrong one.
    func login(_ invocation: Invocation, as identity: RequiredOption<String>) async throws -> Session {
        try await loginKeepingPassword(invocation, as: identity).session
    }

    /// Logs in like ``login(_:)`` and also returns the password, for a call that needs it again
    /// (correcting one's own address asks for the password as proof).
    func loginKeepingPassword(
        _ invocation: Invocation, as identity: RequiredOption<String>
    ) async throws -> (session: Session, password: String) {
        let identifier = try invocation.value(identity)
        let password = try PasswordReader.read(
            prompt: invocation.console.pick("Kata sandi \(identifier): ", "Password for \(identifier): "))
        // A stray Enter or a blank line in a script: no password was given, and none is tried.
        guard !password.isEmpty else {
            throw CLIError.usage(
                .passwordUnavailable,
                indonesian: "Kata sandi kosong: tidak ada kata sandi yang diberikan, jadi tidak dicoba untuk masuk.",
                english: "The password is empty: none was given, so no login was tried.")
        }
        // On a store that cannot be written (read-only media, a replica) no attempt can be counted: only
        // there is the login one that records nothing (whoever runs this reads the files anyway).
        let session =
            isReadingOnly
            ? try await service.loginReadingOnly(identifier: identifier, password: password)
            : try await service.login(identifier: identifier, password: password)
        try CommonOptions.requireRole(session.role, of: identifier, signedInWith: identity)
        invocation.sessionZone.record(session.timeZone)
        return (session, password)
    }
}

/// Set once the service reports the mail transport misconfigured: a command that asked for a code
/// then exits 69 (mail cannot be sent until the transport is fixed), whatever the status says.
final class MisconfigurationFlag: Sendable {
    private let reported = Mutex(false)

    /// Records a report.
    func set() { reported.withLock { $0 = true } }

    /// Whether a report was recorded.
    var isSet: Bool { reported.withLock { $0 } }
}
