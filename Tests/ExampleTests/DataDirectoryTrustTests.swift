import DapodikTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `dapodik-verify` works only in a data directory no other user can change: not one writable by
/// a group or by everyone, and, run as root, not a service user's (an administrator's `sudo` over
/// the service's directory would otherwise write root-owned files the service cannot read, and
/// write wherever that user's links point).
@Suite("dapodik-verify refuses a data directory another user could change")
struct DataDirectoryTrustTests {
    typealias School = CommandFlowTests.School

    /// Every file's and directory's owner below `root`, by path relative to it.
    static func owners(_ root: URL) throws -> [String: uid_t] {
        var owners: [String: uid_t] = [:]
        let paths = try FileManager.default.subpathsOfDirectory(atPath: root.path)
        for path in paths + [""] {
            var status = stat()
            try #require(lstat(root.appendingPathComponent(path).path, &status) == 0)
            owners[path] = status.st_uid
        }
        return owners
    }

    @Test(
        "run as root over a service user's data directory, commands are refused (74) naming the owner; nothing changes",
        .runsAsAnotherUser,
        .timeLimit(.minutes(10)))
    func rootOverServiceDirectory() async throws {
        let school = try await School.make()
        try #require(chmod(school.data.deletingLastPathComponent().path, 0o711) == 0)
        let chowned = try await ChildProcess.run("/bin/chown", ["-R", "65534:65534", school.data.path])
        try #require(chowned.status == 0, "\(chowned.standardError)")
        let owners = try Self.owners(school.data)
        let store = try Data(contentsOf: school.data.appendingPathComponent("store/CURRENT"))
        for (command, lang, words) in [
            (["store", "compact"], "en", ["belongs to nobody, and the program runs as root", "sudo -u nobody"]),
            (["key", "rotate"], "id", ["milik nobody, sedangkan program berjalan sebagai root", "sudo -u nobody"]),
            (["operator", "request-code", "--as", "siti"], "en", ["belongs to nobody"]),
            (["mailbox", "list"], "en", ["belongs to nobody"]),
        ] {
            let run = try await school.run(command, input: CommandFlowTests.operatorPassword + "\n", lang: lang)
            #expect(run.status == 74, "\(command): \(run.standardError)")
            for word in words { #expect(run.standardError.contains(word), "\(command) \(word): \(run.standardError)") }
        }
        #expect(try Self.owners(school.data) == owners)
        #expect(try Data(contentsOf: school.data.appendingPathComponent("store/CURRENT")) == store)
        // The service's own user still works there.
        let listed = try await ExampleProcess.runAsNobody(["--data", school.data.path, "key", "list"])
        #expect(listed.status == 0, "\(listed.standardError)")
    }

    @Test(
        "a data directory its group or everyone may write is refused (74) with the fix, in the chosen language",
        arguments: [0o770, 0o757])
    func writableDataDirectory(_ mode: Int) async throws {
        let school = try await School.created()
        try #require(chmod(school.data.path, mode_t(mode)) == 0)
        let octal = String(mode, radix: 8)
        for (lang, words) in [
            ("id", ["dapat ditulis oleh pengguna lain (mode \(octal))", "chmod go-w \(school.data.path)"]),
            ("en", ["can be written by other users (mode \(octal))", "chmod go-w \(school.data.path)"]),
        ] {
            let run = try await school.run(["key", "list"], lang: lang)
            #expect(run.status == 74, "\(run.standardError)")
            for word in words { #expect(run.standardError.contains(word), "\(word): \(run.standardError)") }
        }
        try #require(chmod(school.data.path, 0o700) == 0)
        #expect(try await school.run(["key", "list"]).status == 0)
    }

    @Test("school create refuses to set up a data directory below one others may write to, and creates nothing")
    func createBelowWritableDirectory() async throws {
        let scratch = try TemporaryDirectory("example")
        let shared = scratch.appending("shared", isDirectory: true)
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: false)
        try #require(chmod(shared.path, 0o777) == 0)
        let data = shared.appendingPathComponent("data")
        let run = try await ExampleProcess.run(
            "dapodik-verify",
            [
                "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name",
                "Siti Aminah", "--operator-email", "siti.aminah@gmail.com", "--data", data.path, "--lang", "en",
            ], input: CommandFlowTests.operatorPassword + "\n",
            environment: ["DAPODIK_SENDER": "noreply@example.sch.id"])
        #expect(run.status == 74, "\(run.standardError)")
        #expect(run.standardError.contains("The directory \(shared.path), above \(data.path),"), "\(run.standardError)")
        #expect(!FileManager.default.fileExists(atPath: data.path))
    }
}
