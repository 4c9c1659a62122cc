package import DapodikLanguage

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The reasons of system call failures, in the words of the person's language.
package enum ErrnoText {
    /// What an `errno` means, in words a person acts on; for a refused permission, whose the file
    /// is and whom the program runs as.
    /// - Parameters:
    ///   - errno: The C library's error number.
    ///   - file: The file concerned, to name its owner when permission was refused.
    /// - Returns: The reason, in Indonesian and English; the system's own (English) words for an
    ///   error without a translation here.
    package static func reason(_ errno: Int32, file: String? = nil) -> LocalizedText {
        switch errno {
        case EACCES, EPERM: return PermissionDenial.diagnose(file, errno: errno).reason(file: file)
        case ENOSPC:
            if let file, inodesAreUsedUp(near: file) {
                return LocalizedText(
                    indonesian:
                        "inode disk habis: disk tidak dapat menampung berkas baru lagi, walau ruangnya masih ada",
                    english: "no inodes left on the disk: it can hold no more files, though it has free space")
            }
            return LocalizedText(indonesian: "disk penuh", english: "no space left on the disk")
        case EDQUOT: return LocalizedText(indonesian: "kuota disk habis", english: "the disk quota is used up")
        case EROFS:
            return LocalizedText(indonesian: "sistem berkas hanya-baca", english: "the file system is read-only")
        case EIO:
            return LocalizedText(
                indonesian: "kesalahan masukan/keluaran perangkat (periksa disk)",
                english: "an input/output error of the device (check the disk)")
        case EMFILE, ENFILE:
            return LocalizedText(
                indonesian: "terlalu banyak berkas terbuka", english: "too many open files")
        case ENOENT: return LocalizedText(indonesian: "tidak ada", english: "it does not exist")
        case EBADF:
            return LocalizedText(
                indonesian: "deskriptor berkasnya tertutup", english: "its file descriptor is closed")
        case ENOTDIR:
            return LocalizedText(
                indonesian: "salah satu bagian jalurnya bukan direktori",
                english: "a part of its path is not a directory")
        case EISDIR: return LocalizedText(indonesian: "itu sebuah direktori", english: "it is a directory")
        case EEXIST: return LocalizedText(indonesian: "sudah ada", english: "it already exists")
        case ENAMETOOLONG:
            return LocalizedText(indonesian: "namanya terlalu panjang", english: "its name is too long")
        case ELOOP:
            return LocalizedText(
                indonesian: "terlalu banyak tautan simbolik berantai di jalurnya",
                english: "too many symbolic links in a row on its path")
        case ENOLCK:
            return LocalizedText(indonesian: "tidak ada kunci yang tersedia", english: "no locks available")
        case EOPNOTSUPP:
            return LocalizedText(indonesian: "operasi tidak didukung", english: "operation not supported")
        case EINVAL: return LocalizedText(indonesian: "argumen tidak valid", english: "invalid argument")
        default:
            let text = String(cString: strerror(errno))
            return LocalizedText(indonesian: text, english: text)
        }
    }

    /// Whether the file system holding `file` (or, when it does not exist, the nearest directory
    /// above it that does) has free blocks but no free inodes: `ENOSPC` then means no file can be
    /// made, not that the disk is full. A file system without an inode count (`f_files` 0, as
    /// Btrfs reports) never has them used up.
    private static func inodesAreUsedUp(near file: String) -> Bool {
        var path = file
        var status = statvfs()
        while statvfs(path, &status) != 0 {
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return false }
            path = String(path[..<slash])
        }
        return status.f_files > 0 && status.f_favail == 0 && status.f_bavail > 0
    }
}
