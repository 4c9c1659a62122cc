import DapodikHostSystem
package import DapodikLanguage

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Why a directory may not hold a store's files or the secret keys: someone other than the user
/// this process runs as could replace what is in it.
///
/// The rule, OpenSSH's `StrictModes` for a data directory:
/// - the directory and every directory above it may be written only by their owner (a directory
///   above it may also carry the sticky bit, as `/tmp` does: then no one else can rename it away);
/// - each belongs to this process's user or to root;
/// - run as root, each belongs to root. Root does not work in another user's directory: that user
///   could plant a symbolic or hard link where root is about to write (a new generation of the
///   store, the key file) and turn the write onto a system file, and every file root created
///   there would be root's, so the service could no longer read it. Run as the directory's owner
///   instead.
package struct DirectoryDistrust: Error, Sendable, Hashable {
    /// What is wrong with the directory at fault.
    package enum Reason: Sendable, Hashable {
        /// It belongs to this user, root excepted, while this process runs as another (or as root).
        case ownedByAnotherUser(String)
        /// Users other than its owner may write into it; the permission bits are given.
        case writableByOthers(mode: UInt32)
    }

    /// The directory that was to be used.
    package let directory: String
    /// The directory at fault: ``directory`` itself or one above it.
    package let culprit: String
    /// What is wrong with ``culprit``.
    package let reason: Reason
    /// Whether ``culprit`` is a file inside ``directory`` (``checkFile(_:path:in:)``), not a directory.
    package var culpritIsFile = false

    /// What is wrong and how to fix it, for a person.
    package var message: LocalizedText {
        let place =
            culpritIsFile
            ? LocalizedText(
                indonesian: "Berkas \(culprit), di dalam \(directory),",
                english: "The file \(culprit), in \(directory),")
            : culprit == directory
                ? LocalizedText(indonesian: "Direktori \(directory)", english: "The directory \(directory)")
                : LocalizedText(
                    indonesian: "Direktori \(culprit), di atas \(directory),",
                    english: "The directory \(culprit), above \(directory),")
        switch reason {
        case .ownedByAnotherUser(let owner):
            let user = SystemUser.name(of: SystemUser.current)
            return LocalizedText(
                indonesian: "\(place.indonesian) milik \(owner), sedangkan program berjalan sebagai \(user). Program "
                    + "tidak memakai direktori yang dapat diubah pengguna lain: pengguna itu dapat mengganti berkas "
                    + "di dalamnya atau membelokkan tulisan program ke berkas lain. Jalankan program sebagai \(owner) "
                    + "(misalnya sudo -u \(owner) …), atau: chown \(user) \(culprit).",
                english: "\(place.english) belongs to \(owner), and the program runs as \(user). The program does not "
                    + "use a directory another user can change: that user could replace its files or turn the "
                    + "program's writes onto another file. Run the program as \(owner) (for example sudo -u \(owner) "
                    + "…), or: chown \(user) \(culprit).")
        case .writableByOthers(let mode):
            let octal = String(mode & 0o7777, radix: 8)
            return LocalizedText(
                indonesian: "\(place.indonesian) dapat ditulis oleh pengguna lain (mode \(octal)): mereka dapat "
                    + "mengganti berkas penyimpanan data atau kunci rahasia. Cabut izin itu: chmod go-w \(culprit).",
                english: "\(place.english) can be written by other users (mode \(octal)): they could replace the "
                    + "store's files or the secret keys. Remove that permission: chmod go-w \(culprit).")
        }
    }

    /// Checks a directory and every directory above it (see the type's rule).
    /// - Parameter directory: The directory; symbolic links are followed. For every symbolic link on
    ///   the path as written (the directory itself, or one above it), the directories holding the
    ///   link are checked too: whoever may change them may point the link elsewhere. A directory
    ///   that does not exist passes (the caller's own call reports that), as does a directory above
    ///   that cannot be examined.
    /// - Returns: What is wrong, or `nil` when the directory may be used.
    package static func check(_ directory: String) -> DirectoryDistrust? {
        if let distrust = checkLinks(on: directory, for: directory) { return distrust }
        return walk(up: directory, for: directory, includingItself: true)
    }

    /// Checks the directories that hold each symbolic link on `path` as written, from the root down.
    private static func checkLinks(on path: String, for directory: String) -> DirectoryDistrust? {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            let holder = prefix.isEmpty ? "/" : prefix
            prefix += "/" + component
            var status = stat()
            guard lstat(prefix, &status) == 0 else { return nil }
            if status.st_mode & S_IFMT == S_IFLNK,
                let distrust = walk(up: holder, for: directory, includingItself: false)
            {
                return distrust
            }
        }
        return nil
    }

    /// Checks where a new directory is about to be made: every directory above it, by the rule for
    /// directories above (the sticky bit of `/tmp` is enough there).
    /// - Parameter newDirectory: The directory to be made; its parent is checked, as ``check(_:)``
    ///   would check it as a directory above.
    /// - Returns: What is wrong, or `nil` when the directory may be made there.
    package static func checkParent(of newDirectory: String) -> DirectoryDistrust? {
        guard let slash = newDirectory.lastIndex(of: "/") else {
            return walk(up: ".", for: newDirectory, includingItself: false)
        }
        let parent = slash == newDirectory.startIndex ? "/" : String(newDirectory[..<slash])
        if let distrust = checkLinks(on: parent, for: newDirectory) { return distrust }
        return walk(up: parent, for: newDirectory, includingItself: false)
    }

    /// Checks a file of the directory, open as `fd`, by the rule for the directory itself: written
    /// only by its owner, who is this process's user or root (root only, run as root). A `LOCK` others
    /// may write lets them hold the store's lock or change its counter; a log or `CURRENT` they may
    /// write, its records.
    /// - Returns: What is wrong, or `nil` when the file may be used (also when it cannot be examined:
    ///   the caller's own calls report that).
    package static func checkFile(_ fd: Int32, path: String, in directory: String) -> DirectoryDistrust? {
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        guard let reason = distrust(of: status, asItself: true) else { return nil }
        var distrust = DirectoryDistrust(directory: directory, culprit: path, reason: reason)
        distrust.culpritIsFile = true
        return distrust
    }

    /// What is wrong with a file or directory of `status`, by the type's rule; `asItself` for the
    /// directory (or file) itself, for which the sticky bit does not make up for others' write access.
    private static func distrust(of status: stat, asItself: Bool) -> Reason? {
        let mode = UInt32(status.st_mode)
        if status.st_uid != 0 && UInt32(status.st_uid) != SystemUser.current {
            return .ownedByAnotherUser(SystemUser.name(of: UInt32(status.st_uid)))
        }
        let sticky = mode & UInt32(S_ISVTX) != 0
        return mode & 0o022 != 0 && (asItself || !sticky) ? .writableByOthers(mode: mode) : nil
    }

    private static func walk(up start: String, for directory: String, includingItself: Bool) -> DirectoryDistrust? {
        guard let resolved = realpath(start, nil) else { return nil }
        var path = String(cString: resolved)
        free(resolved)
        var isItself = includingItself
        while true {
            var status = stat()
            guard stat(path, &status) == 0 else { return nil }
            if let reason = distrust(of: status, asItself: isItself) {
                return DirectoryDistrust(directory: directory, culprit: path, reason: reason)
            }
            guard path != "/", let slash = path.lastIndex(of: "/") else { return nil }
            path = slash == path.startIndex ? "/" : String(path[..<slash])
            isItself = false
        }
    }
}
