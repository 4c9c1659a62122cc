import DapodikHostSystem
public import DapodikLanguage

/// Why a store operation failed: a conflict a caller can retry, bad input, or a broken store.
///
/// Switch on ``code``; show ``message`` to a person. Codes are open (static members on ``Code``), so
/// new ones do not break clients, as in swift-subprocess's `SubprocessError`. A failed operation
/// changed nothing, except that an ``Code-swift.struct/ioFailure`` during a commit poisons a file
/// store (every later call fails with ``Code-swift.struct/poisoned``) because the state on disk is
/// then unknown.
public struct StoreError: LocalizedFailure, Hashable {
    /// What kind of failure this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"store.versionMismatch"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// A `.version(n)` expectation did not hold: the record is missing or has another version.
        /// A conflict: re-read and retry.
        public static let versionMismatch = Code("store.versionMismatch")
        /// A `.mustNotExist` expectation did not hold. A conflict.
        public static let alreadyExists = Code("store.alreadyExists")
        /// A unique index value is already held by another record (or claimed twice in one batch).
        /// A conflict.
        public static let uniqueConstraint = Code("store.uniqueConstraint")
        /// The request itself is wrong (empty batch, a key twice in one batch, a name too long, …).
        /// Retrying the same request cannot succeed.
        public static let invalidInput = Code("store.invalidInput")
        /// A file of the store failed its checksum or does not parse. ``StoreError/file`` and
        /// ``StoreError/offset`` say where.
        public static let corrupted = Code("store.corrupted")
        /// A file was written by a newer, unknown format version.
        public static let unsupportedFormat = Code("store.unsupportedFormat")
        /// A system call failed; ``StoreError/errno`` says why.
        public static let ioFailure = Code("store.ioFailure")
        /// An earlier write or `fsync` failed, so the store refuses all work until it is reopened.
        public static let poisoned = Code("store.poisoned")
        /// The store was closed.
        public static let closed = Code("store.closed")
        /// The manifest `CURRENT` is missing while generation files are there: the store refuses to
        /// open (and deletes nothing); ``StoreError/recovery`` says what to do.
        public static let manifestMissing = Code("store.manifestMissing")
        /// No generation in the directory is intact, so the manifest cannot be rebuilt.
        public static let noIntactGeneration = Code("store.noIntactGeneration")
        /// The directory is a backup that was cut short (``FileRecordStore/backup(directory:to:lockWait:)`` failed
        /// or was killed before its manifest): it holds part of a store, so it is neither opened nor
        /// recovered; back the store up again.
        public static let backupIncomplete = Code("store.backupIncomplete")
        /// Another process held the store's lock for longer than the wait allows
        /// (``LockWaitPolicy/limit``): a long compaction, import, salvage or backup, or a process
        /// stopped while holding it. Nothing was changed; try again later.
        public static let lockTimeout = Code("store.lockTimeout")
        /// The store's directory, or one above it, could be changed by a user other than the one
        /// this process runs as: it is writable by others, belongs to another user, or (run as
        /// root) belongs to anyone but root. Nothing was read or written; the message names the
        /// directory at fault and the fix (run as its owner, `chmod go-w`, or `chown`).
        public static let untrustedDirectory = Code("store.untrustedDirectory")
        /// The store's `LOCK` file is missing from a store that exists, or was removed or shortened
        /// while the store was open: another process may still be using the store under the lock
        /// that was removed, so nothing was written. Stop every process that uses the store, then
        /// ``FileRecordStore/recoverManifest(directory:lockWait:)`` makes `LOCK` again.
        public static let lockFileMissing = Code("store.lockFileMissing")
        /// A store over the network could not be reached, or the connection broke before the request
        /// reached it, or the server asked to try again (shutting down, too many connections, a
        /// serialization failure). Nothing was written. Transient: retry later (``isTransient``).
        public static let unavailable = Code("store.unavailable")
        /// The store was opened read-only (``FileRecordStore/Options/readOnly``) and the call would
        /// change it: a commit, a compaction, an import. Nothing was changed, and the same call cannot
        /// succeed on this store; open the store again without read-only mode to change it.
        public static let readOnly = Code("store.readOnly")
    }

    /// Whether the failure is transient: nothing was written, and the same request may succeed
    /// later (``Code-swift.struct/unavailable``).
    public var isTransient: Bool { code == .unavailable }

    /// What an operator can do about a damaged store. Open like ``Code-swift.struct``.
    public struct Recovery: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the recovery.
        public let rawValue: String

        init(_ rawValue: String) { self.rawValue = rawValue }

        /// The recovery's stable name.
        public var description: String { rawValue }

        /// Cut the damage out of the log and keep every provably intact commit:
        /// ``FileRecordStore/salvage(directory:lockWait:)``.
        public static let salvage = Recovery("salvage")
        /// Rebuild the manifest from the newest intact generation:
        /// ``FileRecordStore/recoverManifest(directory:lockWait:)``.
        public static let recoverManifest = Recovery("recoverManifest")
        /// The damage cannot be repaired in place: restore the directory from a backup.
        public static let restoreBackup = Recovery("restoreBackup")
        /// The directory is an unfinished backup: delete it and back the original store up again.
        public static let backUpAgain = Recovery("backUpAgain")
    }

    /// What kind of failure this is.
    public let code: Code
    /// The record concerned, for conflicts and some invalid input.
    public let key: RecordKey?
    /// The index concerned, for ``Code-swift.struct/uniqueConstraint`` and some invalid input.
    public let index: String?
    /// The record holding the contested unique value, for ``Code-swift.struct/uniqueConstraint``.
    public let holder: RecordKey?
    /// The version the caller expected, for ``Code-swift.struct/versionMismatch``.
    public let expectedVersion: UInt64?
    /// The version found (`nil`: the record does not exist), for ``Code-swift.struct/versionMismatch``.
    public let actualVersion: UInt64?
    /// The file concerned, for corruption and I/O failures.
    public let file: String?
    /// The byte offset in ``file`` where corruption starts.
    public let offset: UInt64?
    /// The C library's `errno`, for ``Code-swift.struct/ioFailure`` and ``Code-swift.struct/poisoned``.
    public let errno: Int32?
    /// What went wrong, for a person, with the advice naming the library call that repairs it.
    public let message: LocalizedText
    /// What went wrong, without the advice: for programs that give their own advice (naming their
    /// own command) from ``recovery``.
    public let problem: LocalizedText
    /// How to repair a damaged store, when the failure is damage that can be repaired.
    public let recovery: Recovery?

    /// Creates an error. Most callers use the static factories.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: What went wrong, for a person.
    ///   - key: The record concerned.
    ///   - index: The index concerned.
    ///   - holder: The record holding a contested unique value.
    ///   - expectedVersion: The version the caller expected.
    ///   - actualVersion: The version found.
    ///   - file: The file concerned.
    ///   - offset: The byte offset in `file`.
    ///   - errno: The C library's error number.
    ///   - problem: What went wrong without advice; `message` when `nil`.
    ///   - recovery: How to repair the store.
    public init(
        _ code: Code, message: LocalizedText, key: RecordKey? = nil, index: String? = nil,
        holder: RecordKey? = nil, expectedVersion: UInt64? = nil, actualVersion: UInt64? = nil,
        file: String? = nil, offset: UInt64? = nil, errno: Int32? = nil, problem: LocalizedText? = nil,
        recovery: Recovery? = nil
    ) {
        self.code = code
        self.message = message
        self.problem = problem ?? message
        self.recovery = recovery
        self.key = key
        self.index = index
        self.holder = holder
        self.expectedVersion = expectedVersion
        self.actualVersion = actualVersion
        self.file = file
        self.offset = offset
        self.errno = errno
    }

    /// Whether this is a conflict with concurrent work (version mismatch, already exists, unique
    /// value taken): re-read the records and try again.
    public var isConflict: Bool {
        code == .versionMismatch || code == .alreadyExists || code == .uniqueConstraint
    }
}

extension StoreError {
    package static func versionMismatch(_ key: RecordKey, expected: UInt64, actual: UInt64?) -> StoreError {
        let found = actual.map { "\($0)" }
        return StoreError(
            .versionMismatch,
            message: LocalizedText(
                indonesian: "Data \(key) telah berubah: diharapkan versi \(expected), "
                    + (found.map { "ditemukan versi \($0)" } ?? "data tidak ada") + ".",
                english: "Record \(key) has changed: expected version \(expected), "
                    + (found.map { "found version \($0)" } ?? "the record does not exist") + "."
            ),
            key: key, expectedVersion: expected, actualVersion: actual
        )
    }

    package static func alreadyExists(_ key: RecordKey, version: UInt64) -> StoreError {
        StoreError(
            .alreadyExists,
            message: LocalizedText(
                indonesian: "Data \(key) sudah ada.",
                english: "Record \(key) already exists."
            ),
            key: key, actualVersion: version
        )
    }

    package static func uniqueConstraint(index: String, key: RecordKey, holder: RecordKey) -> StoreError {
        StoreError(
            .uniqueConstraint,
            message: LocalizedText(
                indonesian: "Nilai indeks unik \(index) untuk \(key) sudah dipakai oleh \(holder).",
                english: "The unique index \(index) value for \(key) is already taken by \(holder)."
            ),
            key: key, index: index, holder: holder
        )
    }

    package static func invalidInput(
        _ indonesian: String, _ english: String, key: RecordKey? = nil, index: String? = nil
    ) -> StoreError {
        StoreError(
            .invalidInput, message: LocalizedText(indonesian: indonesian, english: english), key: key,
            index: index)
    }

    /// A file is damaged. The recovery follows from the file: a log can be salvaged, a manifest
    /// rebuilt, a snapshot only restored from a backup.
    static func corrupted(file: String, offset: UInt64, _ detail: Damage, recovery: Recovery? = nil) -> StoreError {
        let name = file.split(separator: "/").last.map(String.init) ?? file
        let byFile: Recovery =
            name.hasPrefix("log-")
            ? .salvage : name.hasPrefix(FileEngine.manifestName) ? .recoverManifest : .restoreBackup
        let recovery = recovery ?? byFile
        let problem = LocalizedText(
            indonesian: "Berkas \(file) rusak pada posisi byte \(offset) (\(detail.indonesian)).",
            english: "File \(file) is corrupted at byte offset \(offset) (\(detail.english)).")
        return StoreError(
            .corrupted, message: problem.advising(recovery), file: file, offset: offset, problem: problem,
            recovery: recovery)
    }

    static func manifestMissing(directory: String, found: [String]) -> StoreError {
        let problem = LocalizedText(
            indonesian: "Manifest \(directory)/\(FileEngine.manifestName) tidak ada, padahal ada berkas generasi: "
                + "\(found.joined(separator: ", ")). Penyimpanan tidak dibuka dan tidak ada yang dihapus.",
            english: "The manifest \(directory)/\(FileEngine.manifestName) is missing, but generation files are "
                + "there: \(found.joined(separator: ", ")). The store was not opened and nothing was deleted.")
        return StoreError(
            .manifestMissing, message: problem.advising(.recoverManifest),
            file: directory + "/" + FileEngine.manifestName,
            problem: problem, recovery: .recoverManifest)
    }

    static func lockFileMissing(_ path: String, whileOpen: Bool) -> StoreError {
        // The problem says what happened; the advice (stop every process, then recover) is said once,
        // by the message here and by a program's own advice from ``recovery``.
        let problem =
            whileOpen
            ? LocalizedText(
                indonesian:
                    "Berkas kunci \(path) dihapus atau dipendekkan selagi penyimpanan terbuka: proses lain bisa "
                    + "memakai penyimpanan tanpa saling menunggu, jadi tidak ada yang ditulis.",
                english: "The lock file \(path) was removed or shortened while the store was open: other "
                    + "processes could use the store without waiting for each other, so nothing was written.")
            : LocalizedText(
                indonesian:
                    "Berkas kunci \(path) tidak ada, padahal penyimpanannya ada: proses yang masih memakai penyimpanan "
                    + "mungkin memegang kunci yang sudah dihapus, jadi penyimpanan tidak dibuka.",
                english: "The lock file \(path) is missing, but the store exists: a process still using the store "
                    + "may hold the lock that was removed, so the store was not opened.")
        let message = LocalizedText(
            indonesian: problem.indonesian + " Hentikan setiap proses yang memakai penyimpanan ini, lalu gunakan "
                + "FileRecordStore.recoverManifest(directory:) untuk membuat berkas kunci itu lagi.",
            english: problem.english + " Stop every process that uses this store, then use "
                + "FileRecordStore.recoverManifest(directory:) to make the lock file again.")
        return StoreError(
            .lockFileMissing, message: message, file: path, problem: problem, recovery: .recoverManifest)
    }

    static func backupIncomplete(directory: String) -> StoreError {
        let problem = LocalizedText(
            indonesian: "\(directory) adalah cadangan yang terhenti sebelum selesai (ada "
                + "\(FileEngine.incompleteBackupMarkerName), tidak ada manifest): isinya hanya sebagian penyimpanan, jadi "
                + "tidak dibuka dan tidak dipulihkan. Tidak ada yang dihapus.",
            english:
                "\(directory) is a backup that stopped before it was finished (\(FileEngine.incompleteBackupMarkerName) "
                + "is there, no manifest): it holds only part of a store, so it is neither opened nor recovered. "
                + "Nothing was deleted.")
        return StoreError(
            .backupIncomplete, message: problem.advising(.backUpAgain), file: directory, problem: problem,
            recovery: .backUpAgain)
    }

    static func lockTimeout(file: String, waited: Duration) -> StoreError {
        let (seconds, attoseconds) = waited.components
        let milliseconds = max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        let (indonesianWait, englishWait) =
            milliseconds % 1000 == 0
            ? ("\(milliseconds / 1000) detik", milliseconds == 1000 ? "1 second" : "\(milliseconds / 1000) seconds")
            : ("\(milliseconds) milidetik", "\(milliseconds) milliseconds")
        return StoreError(
            .lockTimeout,
            message: LocalizedText(
                indonesian: "Penyimpanan sedang dipakai proses lain yang memegang kuncinya (\(file)) lebih dari "
                    + "\(indonesianWait), misalnya pemadatan, impor, salvage, atau cadangan yang panjang, atau proses "
                    + "yang terhenti. Tidak ada yang berubah; coba lagi nanti.",
                english: "Another process has held the store's lock (\(file)) for more than \(englishWait): "
                    + "a long compaction, import, salvage or backup, or a stopped process. Nothing was changed; "
                    + "try again later."),
            file: file)
    }

    /// A directory that ``DirectoryDistrust/check(_:)`` refused.
    static func untrusted(_ distrust: DirectoryDistrust) -> StoreError {
        StoreError(.untrustedDirectory, message: distrust.message, file: distrust.culprit)
    }

    /// Refuses a directory that another user could change (``DirectoryDistrust``).
    static func requireTrusted(_ directory: String) throws(StoreError) {
        if let distrust = DirectoryDistrust.check(directory) { throw untrusted(distrust) }
    }

    /// No generation of `directory` is intact; `reasons` says, for each generation's files, why not.
    static func noIntactGeneration(
        directory: String, reasons: [(files: String, problem: LocalizedText)]
    ) -> StoreError {
        func listed(_ language: KeyPath<LocalizedText, String>) -> String {
            reasons.map { " \($0.files): \($0.problem[keyPath: language])" }.joined()
        }
        let problem = LocalizedText(
            indonesian: "Tidak ada generasi yang utuh di \(directory).\(listed(\.indonesian))",
            english: "No generation in \(directory) is intact.\(listed(\.english))")
        return StoreError(
            .noIntactGeneration, message: problem.advising(.restoreBackup), file: directory, problem: problem,
            recovery: .restoreBackup)
    }

    static func unsupportedFormat(file: String, version: UInt32) -> StoreError {
        StoreError(
            .unsupportedFormat,
            message: LocalizedText(
                indonesian: "Berkas \(file) memakai format versi \(version) yang tidak dikenal versi program ini. "
                    + "Tidak ada yang diubah; buka penyimpanan dengan versi program yang menulisnya, atau yang lebih baru.",
                english: "File \(file) uses format version \(version), which this release does not know. Nothing "
                    + "was changed; open the store with the release that wrote it, or a later one."
            ),
            file: file
        )
    }

    static func ioFailure(_ operation: String, file: String?, errno: Int32) -> StoreError {
        let what = file.map { "\(operation) \($0)" } ?? operation
        let reason = ErrnoText.reason(errno, file: file)
        return StoreError(
            .ioFailure,
            message: LocalizedText(
                indonesian: "Operasi berkas gagal: \(what): \(reason.indonesian) (errno \(errno)).",
                english: "File operation failed: \(what): \(reason.english) (errno \(errno))."
            ),
            file: file, errno: errno
        )
    }

    /// A store whose state after a failed step cannot be known (a compaction's manifest switch).
    static func unknownOutcome(of cause: StoreError) -> StoreError {
        poisoned(
            LocalizedText(
                indonesian: "Penyimpanan tidak dapat dipakai lagi: hasil penggantian generasi tidak pasti setelah "
                    + "kegagalan berkas: \(cause.message.indonesian)",
                english: "The store is unusable: the outcome of the generation switch is unknown after a file "
                    + "failure: \(cause.message.english)"),
            cause: cause)
    }

    static func poisoned(by cause: StoreError) -> StoreError {
        poisoned(
            LocalizedText(
                indonesian: "Penyimpanan tidak dapat dipakai lagi setelah kegagalan tulis: \(cause.message.indonesian)",
                english: "The store is unusable after a failed write: \(cause.message.english)"),
            cause: cause)
    }

    /// A poisoned store: `problem`, and the advice to open it again, which only this value of the store
    /// needs (a program that opens the store anew for each task, like a command line, gives its own).
    private static func poisoned(_ problem: LocalizedText, cause: StoreError) -> StoreError {
        StoreError(
            .poisoned,
            message: LocalizedText(
                indonesian: problem.indonesian + " Buka kembali penyimpanan.",
                english: problem.english + " Reopen the store."),
            file: cause.file, errno: cause.errno, problem: problem)
    }

    /// A call that would change a store opened read-only; `operation` names it (a noun phrase in
    /// each language: "commit", "compaction", "import").
    static func readOnly(directory: String, operation: LocalizedText) -> StoreError {
        StoreError(
            .readOnly,
            message: LocalizedText(
                indonesian:
                    "Penyimpanan \(directory) dibuka hanya-baca, jadi \(operation.indonesian) ditolak. Tidak ada "
                    + "yang diubah; untuk mengubahnya, buka penyimpanan tanpa mode hanya-baca.",
                english:
                    "The store \(directory) was opened read-only, so the \(operation.english) was refused. Nothing was "
                    + "changed; to change it, open the store without read-only mode."),
            file: directory)
    }

    static let closed = StoreError(
        .closed,
        message: LocalizedText(indonesian: "Penyimpanan sudah ditutup.", english: "The store is closed.")
    )
}

/// What is wrong with a damaged file, in both languages.
struct Damage: Sendable {
    let indonesian: String
    let english: String

    init(_ indonesian: String, _ english: String) {
        self.indonesian = indonesian
        self.english = english
    }
}

extension LocalizedText {
    /// The text followed by the advice naming the library call that repairs the store.
    func advising(_ recovery: StoreError.Recovery) -> LocalizedText {
        switch recovery {
        case .salvage:
            LocalizedText(
                indonesian: indonesian + " Gunakan FileRecordStore.salvage(directory:) untuk memulihkan setiap commit "
                    + "yang utuh.",
                english: english + " Use FileRecordStore.salvage(directory:) to recover every intact commit.")
        case .recoverManifest:
            LocalizedText(
                indonesian: indonesian + " Gunakan FileRecordStore.recoverManifest(directory:) untuk membangun ulang "
                    + "manifest dari generasi utuh terbaru.",
                english: english + " Use FileRecordStore.recoverManifest(directory:) to rebuild the manifest from "
                    + "the newest intact generation.")
        case .backUpAgain:
            LocalizedText(
                indonesian: indonesian + " Hapus direktori ini dan cadangkan penyimpanan aslinya lagi "
                    + "(FileRecordStore.backup(directory:to:)).",
                english: english + " Delete this directory and back the original store up again "
                    + "(FileRecordStore.backup(directory:to:)).")
        default:
            LocalizedText(
                indonesian: indonesian + " Pulihkan direktori dari cadangan.",
                english: english + " Restore the directory from a backup.")
        }
    }
}
