import DapodikTestSupport
import Foundation
import Testing

/// A store on a file system with no space left: commands fail with their words and exit 74, and the
/// store is whole once space is freed. On a real, tiny tmpfs, which needs root to mount.
@Suite(.timeLimit(.minutes(10)))
struct FullDiskTests {
    /// `dapodik-verify` in English on the data directory `data`, the operator's password on its input.
    typealias Run = @Sendable (_ arguments: [String]) async throws -> ExampleProcess.Result

    /// Creates a school in the data directory `data` (made here, 1,000 PBKDF2 iterations).
    /// - Returns: How to run the CLI on it.
    static func school(in data: URL) async throws -> Run {
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
        let run: Run = { arguments in
            try await ExampleProcess.run(
                "dapodik-verify", arguments + ["--data", data.path], input: CommandFlowTests.operatorPassword + "\n",
                environment: ["DAPODIK_LANG": "en"])
        }
        let created = try await run(SystemErrorWordsTests.schoolCreate)
        try #require(created.status == 0, "\(created.standardError)")
        return run
    }

    /// Fills the file system holding `directory` with a file `filler` in it, until `dd` finds no space.
    /// - Returns: The filler, to remove to free the space again.
    static func fill(_ directory: URL) async throws -> URL {
        let filler = directory.appendingPathComponent("filler")
        let fill = try await ChildProcess.run("/bin/dd", ["if=/dev/zero", "of=\(filler.path)", "bs=4096"])
        #expect(fill.status != 0, "dd stops when the disk is full")
        return filler
    }

    @Test(
        "a LOCK grown on a full disk is a typed error (74), not SIGBUS; the store opens once space is freed",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs to fill"))
    func lockGrownOnAFullDisk() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("full-disk")
        let mountPoint = scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "2m")
        defer { Tmpfs.unmount(mountPoint) }
        let data = mountPoint.appendingPathComponent("data")
        let run = try await Self.school(in: data)
        // A LOCK of an earlier release (empty), then no space left for the blocks it grows into.
        try FileHandle(forWritingTo: data.appendingPathComponent("store/LOCK")).truncate(atOffset: 0)
        let filler = try await Self.fill(mountPoint)

        // A command that writes (one that only reads opens the store read-only, without growing LOCK).
        let refused = try await run(["operator", "request-code", "--as", "siti"])
        #expect(refused.status == 74, "\(refused.status): \(refused.standardError)")
        #expect(refused.standardError.contains("no space left on the disk"), "\(refused.standardError)")
        #expect(
            refused.standardError.contains("The step that failed changed nothing. Make room on that disk"),
            "\(refused.standardError)")
        #expect(refused.standardError.contains("then run the command again"), "\(refused.standardError)")
        #expect(!refused.standardError.contains("Reopen"), "\(refused.standardError)")
        try FileManager.default.removeItem(at: filler)
        let status = try await run(["operator", "status", "--as", "siti"])
        #expect(status.status == 0, "\(status.standardError)")
        #expect(try await run(["store", "check"]).status == 0)
    }

    @Test(
        "a disk out of inodes, not bytes, is said so: nothing changed, make room, run the command again",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs to fill"))
    func inodesUsedUp() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("full-inodes")
        let mountPoint = scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "8m", inodes: 40)
        defer { Tmpfs.unmount(mountPoint) }
        let data = mountPoint.appendingPathComponent("data")
        let run = try await Self.school(in: data)
        // Empty files until no file can be made: the bytes stay free.
        var count = 0
        while FileManager.default.createFile(atPath: mountPoint.appendingPathComponent("f\(count)").path, contents: nil)
        {
            count += 1
        }
        #expect(count > 0)

        let compacted = try await run(["store", "compact"])
        #expect(compacted.status == 74, "\(compacted.status): \(compacted.standardError)")
        #expect(compacted.standardError.contains("no inodes left on the disk"), "\(compacted.standardError)")
        #expect(!compacted.standardError.contains("no space left"), "\(compacted.standardError)")
        #expect(compacted.standardError.contains("The step that failed changed nothing"), "\(compacted.standardError)")
        #expect(compacted.standardError.contains("run the command again"), "\(compacted.standardError)")
        let indonesian = try await ExampleProcess.run(
            "dapodik-verify", ["key", "rotate", "--data", data.path], environment: ["DAPODIK_LANG": "id"])
        #expect(indonesian.status == 74, "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("inode disk habis"), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("Berkas kunci tidak berubah"), "\(indonesian.standardError)")
        #expect(!indonesian.standardError.contains("disk penuh"), "\(indonesian.standardError)")
        let backup = mountPoint.appendingPathComponent("new/backup")
        let backedUp = try await run(["store", "backup", backup.path])
        #expect(backedUp.status == 74, "\(backedUp.standardError)")
        #expect(backedUp.standardError.contains("no inodes left on the disk"), "\(backedUp.standardError)")
        #expect(backedUp.standardError.contains("Nothing was changed"), "\(backedUp.standardError)")
        #expect(!FileManager.default.fileExists(atPath: backup.deletingLastPathComponent().path))
        #expect(try await run(["store", "check"]).status == 0)
    }

    @Test(
        "a backup that fails on a full disk removes the parent directories it made, and none that were there",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs to fill"))
    func failedBackupRemovesTheParentsItMade() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("full-backup")
        let run = try await Self.school(in: scratch.appending("data", isDirectory: true))
        let mountPoint = scratch.appending("tmpfs", isDirectory: true)
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: mountPoint, size: "1m")
        defer { Tmpfs.unmount(mountPoint) }
        let kept = mountPoint.appendingPathComponent("kept")
        try FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
        _ = try await Self.fill(mountPoint)

        let destination = kept.appendingPathComponent("new/deeper/backup")
        let failed = try await run(["store", "backup", destination.path])
        #expect(failed.status == 74, "\(failed.status): \(failed.standardError)")
        #expect(!FileManager.default.fileExists(atPath: kept.appendingPathComponent("new").path))
        #expect(FileManager.default.fileExists(atPath: kept.path), "a directory that was there stays")
    }

    @Test(
        "a Maildir on a full disk is the server's misconfiguration, said on standard error, the message kept",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount, for a tmpfs to fill"))
    func maildirOnAFullDisk() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("full-maildir")
        let data = scratch.appending("data", isDirectory: true)
        let run = try await Self.school(in: data)
        // The Maildir alone on a tiny file system, full.
        let maildir = data.appendingPathComponent("mail")
        try? FileManager.default.removeItem(at: maildir)
        try FileManager.default.createDirectory(at: maildir, withIntermediateDirectories: true)
        try await Tmpfs.mount(at: maildir, size: "1m")
        defer { Tmpfs.unmount(maildir) }
        _ = try await Self.fill(maildir)

        let requested = try await run(["operator", "request-code", "--as", "siti"])
        #expect(requested.status == 69, "\(requested.standardError)")
        #expect(requested.standardError.contains("misconfigured"), "\(requested.standardError)")
        #expect(requested.standardError.contains("No space left on device"), "\(requested.standardError)")
        #expect(requested.standardOutput.contains("the message is kept"), "\(requested.standardOutput)")
        #expect(!requested.standardOutput.contains("busy"), "\(requested.standardOutput)")
    }
}
