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

    /// Unmounts what ``mount(at:size:inodes:)`` mounted at `point`, read-only or not.
    public static func unmount(_ point: URL) { _ = try? ChildProcess.run("/bin/umount", [point.path]) }

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
