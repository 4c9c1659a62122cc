package import DapodikLanguage

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why the system refused a file operation permission (`EACCES`, `EPERM`), as far as this process
/// can tell, so the advice fits: changing the owner helps only when the file is another user's.
package enum PermissionDenial: Equatable {
    /// The path (the file, or the directory it is in) has the immutable attribute (`chattr +i`):
    /// nobody may change it, root included, until the attribute is removed.
    case immutable(path: String)
    /// The file belongs to another user than the one the program runs as.
    case ownedByAnotherUser(owner: String)
    /// The file is the program's user's own, but its mode denies that user reading or writing it.
    case modeDenies(mode: UInt32)
    /// The file is the program's user's own and its mode allows it, but its directory does not let
    /// that user create or rename files in it (a write replaces the file through a new one);
    /// `ownDirectory` says whether the directory is that user's too (its mode is then the fix).
    case directoryNotWritable(directory: String, ownDirectory: Bool)
    /// The file is the program's user's own, and its mode and directory allow what was asked: the
    /// refusal comes from elsewhere (a security module such as SELinux or AppArmor, say).
    case allowedByOwnerAndMode
    /// The file is not known, or cannot be examined.
    case unexplained

    /// Examines `file` and its directory.
    /// - Parameters:
    ///   - file: The file concerned, if known.
    ///   - errno: The refusal: `EPERM` (what an immutable file or directory gives, even to root) or
    ///     `EACCES` (a refused mode, never the attribute).
    /// - Returns: The first explanation that holds, in the order of the cases.
    package static func diagnose(_ file: String?, errno: Int32) -> PermissionDenial {
        guard let file else { return .unexplained }
        let directory = Self.directory(of: file)
        if errno == EPERM {
            for path in [file, directory] where isImmutable(path) { return .immutable(path: path) }
        }
        var status = stat()
        guard stat(file, &status) == 0 else { return .unexplained }
        if UInt32(status.st_uid) != SystemUser.current {
            return .ownedByAnotherUser(owner: SystemUser.name(of: UInt32(status.st_uid)))
        }
        let mode = UInt32(status.st_mode) & 0o7777
        if mode & 0o600 != 0o600 { return .modeDenies(mode: mode) }
        if access(directory, W_OK | X_OK) != 0 {
            var directoryStatus = stat()
            let own = stat(directory, &directoryStatus) == 0 && UInt32(directoryStatus.st_uid) == SystemUser.current
            return .directoryNotWritable(directory: directory, ownDirectory: own)
        }
        return .allowedByOwnerAndMode
    }

    /// The refusal in words, naming the program's user, and the command that lifts it when the
    /// file is the user's own.
    /// - Parameter file: The file concerned, as given to ``diagnose(_:errno:)``.
    package func reason(file: String?) -> LocalizedText {
        let user = SystemUser.name(of: SystemUser.current)
        let path = file ?? ""
        switch self {
        case .immutable(let immutable):
            return LocalizedText(
                indonesian:
                    "izin ditolak: \(immutable) beratribut immutable (huruf i pada lsattr -d \(immutable)), jadi "
                    + "tidak dapat diubah oleh siapa pun, root juga; bila itu tidak disengaja: chattr -i \(immutable)",
                english:
                    "permission denied: \(immutable) has the immutable attribute (an i in lsattr -d \(immutable)), "
                    + "so nobody may change it, root included; if that is not on purpose: chattr -i \(immutable)")
        case .ownedByAnotherUser(let owner):
            return LocalizedText(
                indonesian: "izin ditolak; berkas itu milik \(owner), program berjalan sebagai \(user)",
                english: "permission denied; the file belongs to \(owner) and the program runs as \(user)")
        case .modeDenies(let mode):
            let digits = String(mode, radix: 8)
            let octal = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
            return LocalizedText(
                indonesian: "izin ditolak; berkas itu milik \(user), pengguna yang menjalankan program, tetapi modenya "
                    + "(\(octal)) tidak mengizinkannya membaca dan menulis: chmod u+rw \(path)",
                english: "permission denied; the file belongs to \(user), who runs the program, but its mode "
                    + "(\(octal)) does not let that user read and write it: chmod u+rw \(path)")
        case .directoryNotWritable(let directory, let ownDirectory):
            let fix = ownDirectory ? ": chmod u+wx \(directory)" : ""
            return LocalizedText(
                indonesian: "izin ditolak; berkas itu milik \(user), pengguna yang menjalankan program, tetapi "
                    + "direktorinya \(directory) tidak mengizinkan \(user) membuat berkas di dalamnya" + fix,
                english: "permission denied; the file belongs to \(user), who runs the program, but its directory "
                    + "\(directory) does not let \(user) create files in it" + fix)
        case .allowedByOwnerAndMode:
            return LocalizedText(
                indonesian: "izin ditolak, padahal berkas itu milik \(user), pengguna yang menjalankan program, dan "
                    + "modenya mengizinkan (modul keamanan seperti SELinux atau AppArmor?)",
                english: "permission denied, though the file belongs to \(user), who runs the program, and its mode "
                    + "allows it (a security module such as SELinux or AppArmor?)")
        case .unexplained:
            return LocalizedText(
                indonesian: "izin ditolak; program berjalan sebagai \(user)",
                english: "permission denied; the program runs as \(user)")
        }
    }

    /// The directory `file` is in.
    private static func directory(of file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        return slash == file.startIndex ? "/" : String(file[..<slash])
    }

    /// Whether `path` has the immutable attribute: `FS_IOC_GETFLAGS` (`linux/fs.h`), which the
    /// file systems with attributes (ext4, XFS, Btrfs, tmpfs) answer; `false` on any other, and where
    /// the call does not exist.
    private static func isImmutable(_ path: String) -> Bool {
        #if os(Linux)
            let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)
            guard descriptor >= 0 else { return false }
            defer { close(descriptor) }
            // _IOR('f', 1, long) and FS_IMMUTABLE_FL; the kernel reads and writes an int through it.
            let getFlags: UInt = 0x8008_6601
            let immutableFlag: CLong = 0x10
            var flags: CLong = 0
            guard ioctl(descriptor, getFlags, &flags) == 0 else { return false }
            return flags & immutableFlag != 0
        #else
            return false
        #endif
    }
}
