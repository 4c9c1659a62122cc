public import Foundation

/// A real `tmpfs` for a test that needs a file system of its own: one to fill until no space is left,
/// or one remounted read-only. Mounting needs root: a test that needs it is enabled when
/// ``canMount`` holds or under `CI=true` (``ExternalTool/isCI``), where it must hold, and otherwise
/// skips saying why.
public enum Tmpfs {
    /// Whether a tmpfs can be mounted here: as root, with `mount`.
    public static let canMount = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/bin/mount")

    /// Mounts a tmpfs of `size` (`mount`'s notation: `2m`), with room for at most `inodes` files when
    /// given, at the existing directory `point`; the caller unmounts it (``unmount(_:)``).
    /// - Throws: When `mount` fails (its standard error in the test's failure).
    public static func mount(at point: URL, size: String, inodes: Int? = nil) async throws {
        let options = "size=\(size)" + (inodes.map { ",nr_inodes=\($0)" } ?? "")
        let mounted = try await ChildProcess.run("/bin/mount", ["-t", "tmpfs", "-o", options, "tmpfs", point.path])
        guard mounted.status == 0 else { throw MountFailed(command: "mount", standardError: mounted.standardError) }
    }

    /// Remounts what ``mount(at:size:inodes:)`` mounted at `point` read-only: every write then fails with
    /// `EROFS`, for root too, as on a read-only backup disk.
    /// - Throws: When `mount` fails.
    public static func remountReadOnly(_ point: URL) async throws {
        let remounted = try await ChildProcess.run("/bin/mount", ["-o", "remount,ro", point.path])
        guard remounted.status == 0 else {
            throw MountFailed(command: "mount -o remount,ro", standardError: remounted.standardError)
        }
    }

    /// Unmounts what ``mount(at:size:inodes:)`` mounted at `point`, read-only or not, so that no test
    /// leaves a mount behind: when `umount` fails because the file system is busy (a file still open
    /// in it, a process whose working directory is there), it is detached instead (`umount -l`,
    /// `MNT_DETACH`): gone from the mount table at once, and freed when its last file is closed.
    /// - Returns: How it went: unmounted, detached, or neither (with what `umount` said, also written
    ///   to standard error, since callers unmount in a `defer` and ignore the result).
    @discardableResult
    public static func unmount(_ point: URL) -> Unmounting {
        let plain = try? ChildProcess.run("/bin/umount", [point.path])
        if plain?.status == 0 { return .unmounted }
        guard isMounted(point) else { return .unmounted }
        let lazy = try? ChildProcess.run("/bin/umount", ["-l", point.path])
        if lazy?.status == 0, !isMounted(point) { return .detached }
        let said = (lazy ?? plain)?.standardError ?? "umount could not be run"
        // Callers unmount in a `defer` and drop the result: a mount left behind must still be seen.
        FileHandle.standardError.write(Data("Tmpfs: \(point.path) is still mounted: \(said)\n".utf8))
        return .failed(said)
    }

    /// How ``unmount(_:)`` went.
    public enum Unmounting: Equatable, Sendable {
        /// Unmounted at once.
        case unmounted
        /// Busy, so detached (`umount -l`): no longer in the mount table.
        case detached
        /// Still mounted; what `umount` said.
        case failed(String)
    }

    /// Whether a file system is mounted at `point`, as `/proc/self/mountinfo` lists it (its fifth
    /// field, with spaces and other special characters written as octal escapes, `\040`).
    public static func isMounted(_ point: URL) -> Bool {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return false }
        let path = point.standardizedFileURL.resolvingSymlinksInPath().path
        let escaped = path.replacingOccurrences(of: "\\", with: "\\134")
            .replacingOccurrences(of: " ", with: "\\040").replacingOccurrences(of: "\t", with: "\\011")
            .replacingOccurrences(of: "\n", with: "\\012")
        return table.split(separator: "\n").contains { line in
            let fields = line.split(separator: " ")
            return fields.count > 4 && fields[4] == escaped
        }
    }

    /// `mount` failed.
    public struct MountFailed: Error, CustomStringConvertible {
        /// The command that failed.
        public let command: String
        /// What it said.
        public let standardError: String

        /// The command and what it said.
        public var description: String { "\(command) failed: \(standardError)" }
    }
}
