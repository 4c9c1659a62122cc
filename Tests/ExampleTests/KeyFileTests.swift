import DapodikTestSupport
import Foundation
import Testing

/// The key file: exclusive creation, rotation under a lock, check values, and backups that leave
/// it out unless asked (issue 11, item 9).
@Suite("dapodik-verify key file")
struct KeyFileTests {
    typealias School = CommandFlowTests.School

    @Test("processes rotating at once each add one key; none is lost or diverges", .timeLimit(.minutes(10)))
    func concurrentRotations() async throws {
        let school = try await School.make()
        let count = 6
        let results = try await withThrowingTaskGroup(of: ExampleProcess.Result.self) { group in
            for _ in 0..<count { group.addTask { try await school.run(["key", "rotate", "--json"]) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.standardError))")
        let listed = try await school.run(["key", "list", "--json"])
        #expect(listed.status == 0, "\(listed.standardError)")
        let keys = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]]
        let ids = keys?.compactMap { $0["id"] as? String } ?? []
        #expect(ids.count == count + 1, "\(ids)")
        #expect(Set(ids).count == ids.count)
        // Every key works: a code sent now verifies, and the file matches what the store recorded.
        let verified = try await CommandFlowTests.verifyNewStaff(school, username: "budi", name: "Budi Santoso")
        #expect(verified.status == 0, "\(verified.standardError)")
    }

    @Test(
        "processes setting up one new directory at once end with one key file that every one uses",
        .timeLimit(.minutes(10)))
    func concurrentCreation() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        let count = 4
        let results = try await withThrowingTaskGroup(of: ExampleProcess.Result.self) { group in
            for index in 1...count {
                group.addTask {
                    try await ExampleProcess.run(
                        "dapodik-verify",
                        [
                            "school", "create", "--npsn", "2010010\(index)", "--name", "SD \(index)", "--operator-name",
                            "Operator \(index)", "--operator-email", "op\(index)@gmail.com", "--data", data.path,
                        ], input: CommandFlowTests.operatorPassword + "\n")
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.allSatisfy { $0.status == 0 }, "\(results.map(\.standardError))")
        let listed = try await ExampleProcess.run("dapodik-verify", ["key", "list", "--json", "--data", data.path])
        let keys = try JSONSerialization.jsonObject(with: Data(listed.standardOutput.utf8)) as? [[String: Any]]
        #expect(keys?.compactMap { $0["id"] as? String } == ["k1"])
    }

    @Test(
        "another directory's key file is refused with a typed error before any code is checked",
        .timeLimit(.minutes(10)))
    func foreignKeyFile() async throws {
        let school = try await School.make()
        let other = try await School.make()
        let ours = school.data.appendingPathComponent("secret-keys")
        try FileManager.default.removeItem(at: ours)
        try FileManager.default.copyItem(at: other.data.appendingPathComponent("secret-keys"), to: ours)
        let result = try await school.run(
            ["operator", "status", "--as", "siti", "--json"], input: CommandFlowTests.operatorPassword + "\n",
            lang: "en")
        #expect(result.status == 74)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardError.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any])
        #expect(error["code"] as? String == "io.keyMismatch")
        #expect((error["message"] as? String)?.contains("not the key this store was used with") == true)
    }

    @Test("a key file whose material does not match its check value is refused")
    func damagedCheckValue() async throws {
        let school = try await School.make()
        let url = school.data.appendingPathComponent("secret-keys")
        var file = try CommandFlowTests.keyFile(of: school)
        var generations = try #require(file["generations"] as? [[String: Any]])
        generations[0]["code"] = Data(repeating: 9, count: 32).base64EncodedString()
        file["generations"] = generations
        try JSONSerialization.data(withJSONObject: file).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        let result = try await school.run(["key", "list"], lang: "en")
        #expect(result.status == 74)
        #expect(result.standardError.contains("does not match its check value"), "\(result.standardError)")
    }

    @Test(
        "a key file the service's user may not read is said to be so, with its owner, never called damaged",
        .runsAsAnotherUser)
    func unreadableKeyFile() async throws {
        let school = try await School.make()
        // The service's user (nobody) owns the data directory; an administrator's root-owned key file is in it.
        let scratch = school.data.deletingLastPathComponent().path
        try #require(chmod(scratch, 0o711) == 0)
        let chowned = try await ChildProcess.run("/bin/chown", ["-R", "65534:65534", school.data.path])
        try #require(chowned.status == 0, "\(chowned.standardError)")
        try #require(chown(school.data.appendingPathComponent("secret-keys").path, 0, 0) == 0)
        for (lang, words) in [
            ("id", ["izin ditolak", "milik root", "sebagai nobody", "jangan dipulihkan"]),
            ("en", ["permission denied", "belongs to root", "runs as nobody", "do not restore"]),
        ] {
            let run = try await ExampleProcess.runAsNobody(["--lang", lang, "--data", school.data.path, "key", "list"])
            #expect(run.status == 74, "\(run.standardError)")
            for word in words { #expect(run.standardError.contains(word), "\(word): \(run.standardError)") }
            #expect(
                !run.standardError.contains("rusak atau diubah") && !run.standardError.contains("damaged or edited"))
        }
    }

    @Test(
        "a key file or data directory of the service's own user whose mode refuses it is told chmod, never chown",
        .runsAsAnotherUser)
    func ownKeyFileModeRefuses() async throws {
        let school = try await School.make()
        try #require(chmod(school.data.deletingLastPathComponent().path, 0o711) == 0)
        let chowned = try await ChildProcess.run("/bin/chown", ["-R", "65534:65534", school.data.path])
        try #require(chowned.status == 0, "\(chowned.standardError)")
        let keys = school.data.appendingPathComponent("secret-keys").path
        try #require(chmod(keys, 0o000) == 0)
        for (lang, words) in [
            ("id", ["izin ditolak", "milik nobody", "chmod u+rw \(keys)"]),
            ("en", ["permission denied", "belongs to nobody", "chmod u+rw \(keys)"]),
        ] {
            let run = try await ExampleProcess.runAsNobody(["--lang", lang, "--data", school.data.path, "key", "list"])
            #expect(run.status == 74, "\(run.standardError)")
            for word in words { #expect(run.standardError.contains(word), "\(word): \(run.standardError)") }
            #expect(!run.standardError.contains("chown"), "\(run.standardError)")
        }
        // The key file readable, its directory not writable: a rotation (which replaces the file) says so.
        try #require(chmod(keys, 0o600) == 0 && chmod(school.data.path, 0o500) == 0)
        let rotated = try await ExampleProcess.runAsNobody([
            "--lang", "en", "--data", school.data.path, "key", "rotate",
        ])
        #expect(rotated.status == 74, "\(rotated.standardError)")
        #expect(
            rotated.standardError.contains("does not let nobody create files in it: chmod u+wx \(school.data.path)"),
            "\(rotated.standardError)")
        #expect(!rotated.standardError.contains("chown"), "\(rotated.standardError)")
        // The data directory itself, closed to its own user: not "run the program as its owner".
        try #require(chmod(school.data.path, 0o000) == 0)
        let closed = try await ExampleProcess.runAsNobody(["--lang", "en", "--data", school.data.path, "key", "list"])
        #expect(closed.status == 74, "\(closed.standardError)")
        #expect(closed.standardError.contains("chmod u+rwx \(school.data.path)"), "\(closed.standardError)")
        #expect(!closed.standardError.contains("Run the program as"), "\(closed.standardError)")
    }

    /// Whether files can be made immutable here: as root, with e2fsprogs' `chattr`.
    static let canChattr = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/chattr")

    @Test(
        "an immutable key file or store file is said to be so, with lsattr and chattr -i, never 'chown'",
        .enabled(if: canChattr || ExternalTool.isCI, "needs root and chattr, to make a file immutable"),
        .timeLimit(.minutes(10)))
    func immutableFiles() async throws {
        try #require(Self.canChattr, "CI=true, but this machine cannot run chattr as root")
        let school = try await School.make()
        for file in ["secret-keys", "store/log-1"] {
            let path = school.data.appendingPathComponent(file).path
            let made = try await ChildProcess.run("/usr/bin/chattr", ["+i", path])
            try #require(made.status == 0, "\(made.standardError)")
            defer { _ = try? ChildProcess.run("/usr/bin/chattr", ["-i", path]) }
            // A key rotation replaces the key file; a login records the attempt in the log (that of a
            // command that only reads records nothing).
            let command = file == "secret-keys" ? ["key", "rotate"] : ["operator", "request-code", "--as", "siti"]
            for (lang, words) in [
                ("id", ["beratribut immutable", "lsattr -d \(path)", "chattr -i \(path)"]),
                ("en", ["has the immutable attribute", "lsattr -d \(path)", "chattr -i \(path)"]),
            ] {
                let run = try await school.run(command, input: CommandFlowTests.operatorPassword + "\n", lang: lang)
                #expect(run.status == 74, "\(run.standardError)")
                for word in words { #expect(run.standardError.contains(word), "\(word): \(run.standardError)") }
                #expect(!run.standardError.contains("chown"), "\(run.standardError)")
            }
        }
    }

    @Test("a backup leaves the secret keys out unless --with-keys, which warns", .timeLimit(.minutes(10)))
    func backupKeys() async throws {
        let school = try await School.make()
        let outside = school.data.deletingLastPathComponent()
        let plain = try await school.run(["store", "backup", outside.appendingPathComponent("b1").path], lang: "en")
        #expect(plain.status == 0, "\(plain.standardError)")
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("b1/secret-keys").path))
        #expect(plain.standardOutput.contains("without the secret keys"))
        let keyed = try await school.run(
            ["store", "backup", "--with-keys", outside.appendingPathComponent("b2").path], lang: "en")
        #expect(keyed.status == 0, "\(keyed.standardError)")
        #expect(FileManager.default.fileExists(atPath: outside.appendingPathComponent("b2/secret-keys").path))
        #expect(keyed.standardError.contains("WARNING: this backup holds the secret keys"))
    }
}
