import DapodikTestSupport
import Foundation
import Testing

/// A mistyped `--data` never creates a directory: only the commands that set one up do (issue 11,
/// item 18).
@Suite("dapodik-verify refuses a data directory that does not exist")
struct DataDirectoryGuardTests {
    static let commands: [[String]] = [
        ["ptk", "list", "--as", "siti"], ["feed"], ["report", "--as", "siti"], ["key", "list"], ["key", "rotate"],
        ["mailbox", "list"], ["outbox", "drain"], ["operator", "status", "--as", "siti"], ["store", "compact"],
        ["store", "salvage", "--yes"], ["store", "recover", "--yes"], ["store", "backup", "backup-copy"],
    ]

    @Test(
        "every other command refuses with 66 and a hint, in the chosen language, creating nothing",
        .timeLimit(.minutes(10)), arguments: commands)
    func refuses(_ command: [String]) async throws {
        let scratch = try TemporaryDirectory("example")
        let typo = scratch.appending("sekolahh")
        for (lang, hint) in [("id", "dibuat oleh 'dapodik-verify school create'"), ("en", "set up by")] {
            let result = try await ExampleProcess.run(
                "dapodik-verify", command + ["--data", typo.path, "--lang", lang], input: "Sekolah-Hebat-2026\n")
            #expect(result.status == 66, "\(command) \(lang): \(result.standardError)")
            #expect(result.standardError.contains(typo.path))
            #expect(result.standardError.contains(hint), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: typo.path), "\(command) created \(typo.path)")
        }
    }

    @Test("an existing directory without a store is refused too; school create sets it up", .timeLimit(.minutes(10)))
    func schoolCreateSetsUp() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
        let before = try await ExampleProcess.run("dapodik-verify", ["feed", "--data", data.path])
        #expect(before.status == 66)
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("secret-keys").path))
        let created = try await ExampleProcess.run(
            "dapodik-verify",
            [
                "school", "create", "--npsn", "20100101", "--name", "SD Negeri 1 Contoh", "--operator-name", "Siti",
                "--operator-email", "siti.aminah@gmail.com", "--operator-username", "siti", "--data", data.path,
            ], input: CommandFlowTests.operatorPassword + "\n")
        #expect(created.status == 0, "\(created.standardError)")
        let after = try await ExampleProcess.run("dapodik-verify", ["feed", "--data", data.path])
        #expect(after.status == 0, "\(after.standardError)")
    }

    @Test("store compact on an existing directory without a store refuses with 66 and sets up nothing")
    func compactSetsUpNothing() async throws {
        let scratch = try TemporaryDirectory("example")
        let empty = scratch.appending("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try await ExampleProcess.run("dapodik-verify", ["store", "compact", "--data", empty.path])
        #expect(result.status == 66, "\(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }

    @Test(
        "an empty store directory (a backup killed as it began) is no data: refused with 66, nothing made in it",
        arguments: [["store", "compact"], ["store", "check"], ["operator", "status", "--as", "siti"], ["feed"]])
    func emptyStoreDirectoryIsNoData(_ command: [String]) async throws {
        let scratch = try TemporaryDirectory("example")
        let backup = scratch.appending("backup")
        let store = backup.appendingPathComponent("store")
        try FileManager.default.createDirectory(
            at: store, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let result = try await ExampleProcess.run(
            "dapodik-verify", command + ["--data", backup.path], input: "Sekolah-Hebat-2026\n")
        #expect(result.status == 66, "\(command): \(result.standardError)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: store.path).isEmpty, "\(command)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backup.path) == ["store"], "\(command)")
    }

    @Test("school create with a password the policy refuses exits 65 and sets up no directory")
    func refusedPasswordSetsUpNothing() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        for password in ["", "pendek", "password"] {
            let result = try await ExampleProcess.run(
                "dapodik-verify",
                [
                    "school", "create", "--npsn", "20100101", "--name", "SD 1", "--operator-name", "Siti Aminah",
                    "--operator-email", "siti@gmail.com", "--data", data.path,
                ], input: password + "\n")
            #expect(result.status == 65, "'\(password)': \(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: data.path), "'\(password)' set up \(data.path)")
        }
    }

    @Test(
        "school create refused (its sender, its settings, a likely typo) sets up nothing; the directory stays new",
        arguments: ["sender", "settings", "typo"])
    func refusedSetupLeavesNothing(_ refusal: String) async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        var environment: [String: String] = [:]
        if refusal == "sender" {
            environment["DAPODIK_SENDER"] = "Dapodik <verifikasi@sekolah.sch.id>"
        } else if refusal == "settings" {
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: false)
            try Data(#"{"passwordIterations": 0}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
        }
        let create = [
            "school", "create", "--npsn", "20100101", "--name", "SD 1", "--operator-name", "Siti Aminah",
            "--operator-email", refusal == "typo" ? "siti@gmial.com" : "siti@gmail.com", "--data", data.path,
        ]
        let refused = try await ExampleProcess.run(
            "dapodik-verify", create, input: "Sekolah-Hebat-2026\n", environment: environment)
        #expect(refused.status == (refusal == "settings" ? 74 : 65), "\(refused.standardError)")
        if refusal == "typo" { #expect(refused.standardError.contains("siti@gmail.com"), "\(refused.standardError)") }
        let left = (try? FileManager.default.contentsOfDirectory(atPath: data.path)) ?? []
        #expect(Set(left).isSubset(of: ["settings.json"]), "\(left)")
        // Still no data directory: a command other than school create says so (66), not "wrong password".
        if refusal == "settings" {
            try Data(#"{"passwordIterations": 1000}"#.utf8).write(to: data.appendingPathComponent("settings.json"))
        }
        let listed = try await ExampleProcess.run(
            "dapodik-verify", ["ptk", "list", "--as", "siti", "--data", data.path], input: "Sekolah-Hebat-2026\n")
        #expect(listed.status == 66, "\(listed.standardError)")
    }

    @Test(
        "a directory whose key file is there but whose store is gone or emptied is refused (66), making no new store",
        .timeLimit(.minutes(10)))
    func lostStoreIsRefused() async throws {
        for emptied in [false, true] {
            try await Self.lostStoreIsRefused(emptiedOnly: emptied)
        }
    }

    /// With `emptiedOnly`, the store's files are removed and its directory kept (`rm store/*`).
    static func lostStoreIsRefused(emptiedOnly: Bool) async throws {
        let school = try await CommandFlowTests.School.created()
        let store = school.data.appendingPathComponent("store")
        let exists = { FileManager.default.fileExists(atPath: store.path) }
        if emptiedOnly {
            for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
                try FileManager.default.removeItem(at: store.appendingPathComponent(name))
            }
        } else {
            try FileManager.default.removeItem(at: store)
        }
        let password = CommandFlowTests.operatorPassword + "\n"
        for command in [
            ["ptk", "list", "--as", "siti"], ["feed"], ["key", "rotate"], ["store", "compact"],
            ["store", "salvage", "--yes"], ["store", "recover", "--yes"],
            [
                "school", "create", "--npsn", "20100102", "--name", "SD 2", "--operator-name", "Budi",
                "--operator-email", "budi@gmail.com",
            ],
        ] {
            for (lang, words) in [
                ("id", "tidak ada atau kosong, padahal berkas kunci"), ("en", "missing or empty although"),
            ] {
                let run = try await school.run(command, input: password, lang: lang)
                #expect(run.status == 66, "\(command) \(lang): \(run.standardError)")
                #expect(run.standardError.contains(words), "\(command) \(lang): \(run.standardError)")
                let left = emptiedOnly ? (try FileManager.default.contentsOfDirectory(atPath: store.path)) : []
                #expect(exists() == emptiedOnly && left.isEmpty, "\(command) made a new store: \(left)")
            }
        }
    }

    @Test(
        "a data directory this user may not enter is said to be so (74), not \"no data here\" (66)",
        .runsAsAnotherUser)
    func unenterableDirectory() async throws {
        let school = try await CommandFlowTests.School.make()
        let scratch = school.data.deletingLastPathComponent().path
        try #require(chmod(scratch, 0o711) == 0)
        let run = try await ExampleProcess.runAsNobody(["--lang", "en", "--data", school.data.path, "key", "list"])
        #expect(run.status == 74, "\(run.standardError)")
        #expect(run.standardError.contains("permission denied"), "\(run.standardError)")
    }
}
