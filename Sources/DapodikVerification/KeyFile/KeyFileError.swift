internal import DapodikHostSystem
internal import DapodikStorage

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

/// Why a key file could not be read, created or changed; nothing was written when it is thrown.
///
/// Compare ``code`` with the static members of ``Code``; the message says what happened and how
/// to recover, in Indonesian and English.
public struct KeyFileError: LocalizedFailure, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name.
        public let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        /// The stable name.
        public var description: String { rawValue }

        /// The file does not exist.
        public static let missing = Code("keyFile.missing")
        /// The file, its lock or its directory cannot be read or written (the message names the
        /// system's reason).
        public static let inaccessible = Code("keyFile.inaccessible")
        /// Other users may read the file: its mode grants more than the owner's read and write.
        public static let tooPermissive = Code("keyFile.tooPermissive")
        /// The file is truncated, not the key file format, or a key's material does not match its
        /// check value.
        public static let damaged = Code("keyFile.damaged")
        /// The file is in a format other than ``KeyFile/currentFormat`` (written by another version
        /// of the program); it is left as it is.
        public static let unsupportedFormat = Code("keyFile.unsupportedFormat")
        /// The file already exists, so an exclusive creation refused to replace it.
        public static let alreadyExists = Code("keyFile.alreadyExists")
        /// The file does not exist although the store has been used with keys (it recorded their
        /// check values): new keys would make every code sent and every queued e-mail useless, so
        /// the file is not created; restore it, or rotate deliberately.
        public static let missingForUsedStore = Code("keyFile.missingForUsedStore")
        /// A key's check value differs from the one the store recorded: the file belongs elsewhere.
        public static let keyMismatch = Code("keyFile.keyMismatch")
        /// There is no key with the identifier given to retire.
        public static let unknownKey = Code("keyFile.unknownKey")
        /// The key to retire is the current one.
        public static let currentKey = Code("keyFile.currentKey")
        /// Codes issued under the key to retire may still be valid; ``KeyFileError/retryAt`` says
        /// from when it may be retired.
        public static let keyStillInUse = Code("keyFile.keyStillInUse")
        /// The file's directory (or that of the file a symbolic link points to), or one above it,
        /// could be changed by a user other than the one this process runs as: it is writable by
        /// others, belongs to another user, or (run as root) belongs to anyone but root. Nothing was
        /// read or written; the message names the directory at fault and the fix.
        public static let untrustedDirectory = Code("keyFile.untrustedDirectory")
        /// Another process held the key file's lock (`<file>.lock`) for longer than the wait allowed
        /// (``KeyFile/lockWait``): a rotation stuck or stopped. Nothing was read or written; try again.
        public static let lockTimeout = Code("keyFile.lockTimeout")
        /// The change was written and has taken effect (readers see the new contents), but the file
        /// system failed to make its directory durable: a power loss before the disk keeps it may bring
        /// back the file as it was. Check the disk and make it durable (`sync`); do not make the change
        /// again (a second rotation would add another key).
        public static let notDurable = Code("keyFile.notDurable")
    }

    /// What kind of failure this is.
    public let code: Code
    /// What went wrong, for a person, in Indonesian and English.
    public let message: LocalizedText
    /// For ``Code/keyStillInUse``: the instant from which the same request succeeds.
    public let retryAt: Date?

    init(_ code: Code, indonesian: String, english: String, retryAt: Date? = nil) {
        self.code = code
        self.message = LocalizedText(indonesian: indonesian, english: english)
        self.retryAt = retryAt
    }

    static func lockTimeout(_ path: String, waited: Duration) -> KeyFileError {
        let seconds = waited.components.seconds
        return KeyFileError(
            .lockTimeout,
            indonesian: "Proses lain memegang kunci \(path) lebih dari \(seconds) detik (rotasi kunci yang macet atau "
                + "dihentikan?). Tidak ada yang berubah; coba lagi nanti.",
            english: "Another process held the lock \(path) for more than \(seconds) seconds (a key rotation stuck or "
                + "stopped?). Nothing was changed; try again later.")
    }

    /// The new contents are in place but their directory's `fsync` failed (``Code-swift.struct/notDurable``).
    static func notDurable(_ path: String, errno number: Int32) -> KeyFileError {
        let reason = ErrnoText.reason(number, file: path)
        return KeyFileError(
            .notDurable,
            indonesian: "Perubahan berkas kunci \(path) sudah ditulis dan berlaku, tetapi sistem berkas gagal "
                + "menyimpannya secara permanen (\(reason.indonesian)): bila listrik padam sebelum disk menyimpannya, "
                + "berkas bisa kembali seperti sebelumnya. Periksa disk itu, lalu jalankan 'sync'; jangan ulangi "
                + "perubahan ini.",
            english: "The change to the key file \(path) was written and has taken effect, but the file system failed "
                + "to make it durable (\(reason.english)): after a power loss before the disk keeps it, the file may "
                + "be as it was. Check that disk, then run 'sync'; do not make the change again.")
    }

    static func inaccessible(_ path: String, _ reading: Bool, errno number: Int32) -> KeyFileError {
        let reason = ErrnoText.reason(number, file: path)
        // A write replaces the file whole or not at all (AtomicFile): on a full disk it is as it was.
        let (indonesianAdvice, englishAdvice) =
            number == ENOSPC || number == EDQUOT
            ? (
                " Berkas kunci tidak berubah. Kosongkan sebagian disk itu, lalu coba lagi.",
                " The key file was not changed. Make room on that disk, then try again."
            )
            : ("", "")
        return KeyFileError(
            .inaccessible,
            indonesian: "Berkas kunci \(path) tidak dapat \(reading ? "dibaca" : "ditulis"): \(reason.indonesian)."
                + indonesianAdvice,
            english: "Cannot \(reading ? "read" : "write") the key file \(path): \(reason.english)." + englishAdvice)
    }

    /// The file exists but this user may not read or write it: why, and how to fix it (whose it is
    /// and who asks, or the attribute or mode that refuses). Not "damaged": the file may be whole,
    /// and restoring it from a backup would lose keys.
    static func permissionDenied(_ path: String, reading: Bool = true, errno number: Int32) -> KeyFileError {
        let verb = (indonesian: reading ? "dibaca" : "ditulis", english: reading ? "read" : "write")
        let denial = PermissionDenial.diagnose(path, errno: number)
        guard case .ownedByAnotherUser(let owner) = denial else {
            let reason = denial.reason(file: path)
            return KeyFileError(
                .inaccessible,
                indonesian:
                    "Berkas kunci \(path) tidak dapat \(verb.indonesian): \(reason.indonesian). Berkasnya tidak "
                    + "rusak; jangan dipulihkan dari cadangan.",
                english: "Cannot \(verb.english) the key file \(path): \(reason.english). The file is not damaged; do "
                    + "not restore it from a backup.")
        }
        let user = SystemUser.name(of: SystemUser.current)
        return KeyFileError(
            .inaccessible,
            indonesian: "Berkas kunci \(path) tidak dapat \(verb.indonesian): izin ditolak. Berkas itu "
                + "milik \(owner), program berjalan sebagai \(user). Jalankan program sebagai \(owner), atau: "
                + "chown \(user) \(path). Berkasnya tidak rusak; jangan dipulihkan dari cadangan.",
            english: "Cannot \(verb.english) the key file \(path): permission denied. It belongs to "
                + "\(owner) and the program runs as \(user). Run the program as \(owner), or: chown \(user) \(path). "
                + "The file is not damaged; do not restore it from a backup.")
    }

    /// A directory that ``DirectoryDistrust/check(_:)`` refused.
    static func untrusted(_ distrust: DirectoryDistrust) -> KeyFileError {
        KeyFileError(
            .untrustedDirectory, indonesian: distrust.message.indonesian, english: distrust.message.english)
    }

    /// The key file is a symbolic link into a directory another user could change: the fix is to
    /// keep the file itself in its own directory, not to change a directory others rely on (such as
    /// `/tmp`), which the directory's own advice would say.
    static func untrustedLinkTarget(link: String, target: String, _ distrust: DirectoryDistrust) -> KeyFileError {
        let why: (indonesian: String, english: String) =
            switch distrust.reason {
            case .ownedByAnotherUser(let owner): ("milik \(owner)", "belongs to \(owner)")
            case .writableByOthers(let mode):
                (
                    "dapat ditulis pengguna lain (mode \(String(mode, radix: 8)))",
                    "is writable by other users (mode \(String(mode, radix: 8)))"
                )
            }
        return KeyFileError(
            .untrustedDirectory,
            indonesian: "Berkas kunci \(link) adalah tautan simbolik ke \(target), dan \(distrust.culprit) "
                + "\(why.indonesian). Ganti tautan itu dengan berkasnya sendiri: pindahkan \(target) ke \(link) "
                + "(mode 0600). Tidak ada yang dibaca atau ditulis.",
            english: "The key file \(link) is a symbolic link to \(target), and \(distrust.culprit) \(why.english). "
                + "Replace the link with the file itself: move \(target) to \(link) (mode 0600). Nothing was read or "
                + "written.")
    }

    static func damaged(_ path: String, _ detailIndonesian: String, _ detailEnglish: String) -> KeyFileError {
        KeyFileError(
            .damaged,
            indonesian: "Berkas kunci \(path) rusak atau diubah: \(detailIndonesian). Pulihkan berkas itu dari "
                + "cadangan.",
            english: "The key file \(path) is damaged or edited: \(detailEnglish). Restore the file from a backup.")
    }
}
