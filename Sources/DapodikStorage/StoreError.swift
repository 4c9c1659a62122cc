public import DapodikAccounts

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
        public init(_ rawValue: String) { self.rawValue = rawValue }

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
    /// What went wrong, for a person.
    public let message: LocalizedText

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
    public init(
        _ code: Code, message: LocalizedText, key: RecordKey? = nil, index: String? = nil,
        holder: RecordKey? = nil, expectedVersion: UInt64? = nil, actualVersion: UInt64? = nil,
        file: String? = nil, offset: UInt64? = nil, errno: Int32? = nil
    ) {
        self.code = code
        self.message = message
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

    static func corrupted(file: String, offset: UInt64, _ detail: String) -> StoreError {
        StoreError(
            .corrupted,
            message: LocalizedText(
                indonesian: "Berkas \(file) rusak pada posisi byte \(offset) (\(detail)). "
                    + "Gunakan FileRecordStore.salvage untuk memulihkan data sebelum posisi itu.",
                english: "File \(file) is corrupted at byte offset \(offset) (\(detail)). "
                    + "Use FileRecordStore.salvage to recover the data before that offset."
            ),
            file: file, offset: offset
        )
    }

    static func unsupportedFormat(file: String, version: UInt32) -> StoreError {
        StoreError(
            .unsupportedFormat,
            message: LocalizedText(
                indonesian: "Berkas \(file) memakai format versi \(version) yang tidak dikenal.",
                english: "File \(file) uses unknown format version \(version)."
            ),
            file: file
        )
    }

    static func ioFailure(_ operation: String, file: String?, errno: Int32) -> StoreError {
        let what = file.map { "\(operation) \($0)" } ?? operation
        return StoreError(
            .ioFailure,
            message: LocalizedText(
                indonesian: "Operasi berkas gagal: \(what) (errno \(errno)).",
                english: "File operation failed: \(what) (errno \(errno))."
            ),
            file: file, errno: errno
        )
    }

    static func poisoned(by cause: StoreError) -> StoreError {
        StoreError(
            .poisoned,
            message: LocalizedText(
                indonesian: "Penyimpanan tidak dapat dipakai lagi setelah kegagalan tulis: "
                    + "\(cause.message.indonesian) Buka kembali penyimpanan.",
                english: "The store is unusable after a failed write: \(cause.message.english) "
                    + "Reopen the store."
            ),
            file: cause.file, errno: cause.errno
        )
    }

    static let closed = StoreError(
        .closed,
        message: LocalizedText(indonesian: "Penyimpanan sudah ditutup.", english: "The store is closed.")
    )
}
