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
        case EACCES, EPERM:
            let user = SystemUser.name(of: SystemUser.current)
            var status = stat()
            guard let file, stat(file, &status) == 0 else {
                return LocalizedText(
                    indonesian: "izin ditolak; program berjalan sebagai \(user)",
                    english: "permission denied; the program runs as \(user)")
            }
            let owner = SystemUser.name(of: UInt32(status.st_uid))
            return LocalizedText(
                indonesian: "izin ditolak; berkas itu milik \(owner), program berjalan sebagai \(user)",
                english: "permission denied; the file belongs to \(owner) and the program runs as \(user)")
        case ENOSPC: return LocalizedText(indonesian: "disk penuh", english: "no space left on the disk")
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
        default:
            let text = String(cString: strerror(errno))
            return LocalizedText(indonesian: text, english: text)
        }
    }
}
