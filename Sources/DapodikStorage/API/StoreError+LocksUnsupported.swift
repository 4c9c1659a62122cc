import DapodikHostSystem
import DapodikLanguage

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension StoreError.Code {
    /// The file system holding the store refused `flock(2)` as something it does not do (`ENOLCK`,
    /// `EOPNOTSUPP`, `EINVAL`): typically NFS mounted without its lock service (`nolock`, no
    /// `rpc.statd`/`lockd`), or an SMB, FUSE or other network mount without locks. Without locks
    /// processes could write at once, so nothing was read or written; ``StoreError/errno`` says
    /// which refusal it was. Move the store to a local file system, or enable locking on the mount.
    public static let locksUnsupported = Self("store.locksUnsupported")
}

extension StoreError {
    /// The `errno` values with which `flock(2)` says the file system does not lock: `ENOLCK` (NFS
    /// without its lock service, or no lock records left), `EOPNOTSUPP` (a file system without
    /// locks) and `EINVAL` (the same, as some FUSE and network file systems report it; the store's
    /// own calls are always valid).
    static let locksUnsupportedErrnos = Set<Int32>([ENOLCK, EOPNOTSUPP, ENOTSUP, EINVAL])

    /// A failed `flock(2)` on `file`: ``Code-swift.struct/locksUnsupported`` when the file system
    /// does not lock (``locksUnsupportedErrnos``), ``Code-swift.struct/ioFailure`` otherwise.
    static func lockFailure(file: String, errno: Int32) -> StoreError {
        guard locksUnsupportedErrnos.contains(errno) else { return .ioFailure("flock", file: file, errno: errno) }
        let reason = ErrnoText.reason(errno, file: file)
        let directory = FileEngine.parent(of: file)
        let problem = LocalizedText(
            indonesian: "Sistem berkas tempat \(file) berada tidak mendukung penguncian berkas (flock: "
                + "\(reason.indonesian), errno \(errno)), seperti NFS yang di-mount tanpa layanan kunci (nolock) atau "
                + "mount jaringan/FUSE tanpa kunci. Tanpa kunci, beberapa proses bisa menulis sekaligus, jadi "
                + "berkas itu tidak dipakai.",
            english: "The file system holding \(file) does not support file locks (flock: \(reason.english), errno "
                + "\(errno)), as NFS mounted without its lock service (nolock) or a network or FUSE mount without "
                + "locks. Without locks several processes could write at once, so the file was not used.")
        let advice = LocalizedText(
            indonesian: " Pindahkan direktori \(directory) ke sistem berkas lokal (misalnya ext4 atau XFS), "
                + "atau aktifkan penguncian pada mount itu (NFS: tanpa opsi nolock, dengan rpc.statd berjalan, atau NFSv4).",
            english: " Move the directory \(directory) to a local file system (ext4 or XFS, say), or enable "
                + "locking on that mount (NFS: without the nolock option, with rpc.statd running, or NFSv4).")
        return StoreError(
            .locksUnsupported,
            message: LocalizedText(
                indonesian: problem.indonesian + advice.indonesian, english: problem.english + advice.english),
            file: file, errno: errno, problem: problem)
    }
}
