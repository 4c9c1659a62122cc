import DapodikTestSupport
import Foundation
import Testing

/// ``Tmpfs``: a test never leaves a mount behind, also when a file in it is still open.
@Suite("Tmpfs mounts for tests", .timeLimit(.minutes(2)))
struct TmpfsTests {
    @Test(
        "a tmpfs with no file open is unmounted; one with a file still open is detached (umount -l) and gone from the mount table",
        .enabled(if: Tmpfs.canMount || ExternalTool.isCI, "needs root and mount"))
    func unmountNeverLeavesAMount() async throws {
        try #require(Tmpfs.canMount, "CI=true, but this machine cannot mount a tmpfs as root")
        let scratch = try TemporaryDirectory("tmpfs")
        let idle = scratch.appending("idle", isDirectory: true)
        let busy = scratch.appending("busy", isDirectory: true)
        for point in [idle, busy] {
            try FileManager.default.createDirectory(at: point, withIntermediateDirectories: true)
            try await Tmpfs.mount(at: point, size: "1m")
            #expect(Tmpfs.isMounted(point))
        }
        #expect(Tmpfs.unmount(idle) == .unmounted)
        #expect(!Tmpfs.isMounted(idle))

        let file = busy.appendingPathComponent("held open")
        try Data("held".utf8).write(to: file)
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        let plain = try await ChildProcess.run("/bin/umount", [busy.path])
        #expect(plain.status != 0, "umount of a busy file system should fail (EBUSY): \(plain.standardError)")
        #expect(Tmpfs.isMounted(busy))
        #expect(Tmpfs.unmount(busy) == .detached)
        #expect(!Tmpfs.isMounted(busy))
        // The open file stays readable until it is closed; the directory beneath is empty again.
        #expect(try handle.readToEnd() == Data("held".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: busy.path).isEmpty)
        withExtendedLifetime(scratch) {}
    }
}
