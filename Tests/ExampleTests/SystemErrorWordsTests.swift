import DapodikTestSupport
import Foundation
import Testing

/// What the system refused is told in the person's language, not in Foundation's English: a data
/// directory that cannot be made, a backup that cannot be written, a `--sendmail` program that cannot run.
@Suite("dapodik-verify tells a system failure in the chosen language")
struct SystemErrorWordsTests {
    static let notADirectory = [
        "id": "salah satu bagian jalurnya bukan direktori", "en": "a part of its path is not a directory",
    ]

    @Test("a data directory under a regular file: 74, the reason in words, nothing made", .timeLimit(.minutes(10)))
    func dataDirectoryUnderAFile() async throws {
        let scratch = try TemporaryDirectory("example")
        let file = scratch.appending("plain")
        try Data("x".utf8).write(to: file)
        for (lang, words) in Self.notADirectory {
            let result = try await ExampleProcess.run(
                "dapodik-verify",
                Self.schoolCreate + ["--data", file.appendingPathComponent("data").path, "--lang", lang],
                input: CommandFlowTests.operatorPassword + "\n")
            #expect(result.status == 74, "\(lang): \(result.standardError)")
            #expect(result.standardError.contains(words), "\(lang): \(result.standardError)")
            #expect(!result.standardError.contains("could not be completed"), "\(result.standardError)")
        }
        #expect(try Data(contentsOf: file) == Data("x".utf8))
    }

    @Test("a backup under a regular file: 74, the reason in words, the file untouched", .timeLimit(.minutes(10)))
    func backupUnderAFile() async throws {
        let school = try await CommandFlowTests.School.created()
        let file = school.data.deletingLastPathComponent().appendingPathComponent("plain")
        try Data("x".utf8).write(to: file)
        for (lang, words) in Self.notADirectory {
            let destination = file.appendingPathComponent("backup").path
            let result = try await school.run(["store", "backup", destination], lang: lang)
            #expect(result.status == 74, "\(lang): \(result.standardError)")
            #expect(result.standardError.contains(words), "\(lang): \(result.standardError)")
            #expect(result.standardError.contains(destination), "\(result.standardError)")
        }
        #expect(try Data(contentsOf: file) == Data("x".utf8))
    }

    @Test(
        "a --sendmail program that cannot run is refused first (69), saying why, and nothing is set up",
        .timeLimit(.minutes(10)), arguments: ["missing", "directory", "not executable"])
    func unusableSendmail(_ kind: String) async throws {
        let scratch = try TemporaryDirectory("example")
        let program = scratch.appending("sendmail")
        switch kind {
        case "directory": try FileManager.default.createDirectory(at: program, withIntermediateDirectories: false)
        case "not executable": try Data("#!/bin/sh\nexit 0\n".utf8).write(to: program)
        default: break
        }
        let expected: [String: String] =
            switch kind {
            case "missing": ["id": "tidak ada", "en": "does not exist"]
            case "directory": ["id": "adalah direktori", "en": "is a directory"]
            default: ["id": "izin eksekusinya tidak ada", "en": "lacks the execute permission"]
            }
        let data = scratch.appending("data")
        for (lang, words) in expected {
            let result = try await ExampleProcess.run(
                "dapodik-verify",
                ["--sendmail", program.path] + Self.schoolCreate + ["--data", data.path, "--lang", lang],
                input: CommandFlowTests.operatorPassword + "\n")
            #expect(result.status == 69, "\(kind) \(lang): \(result.standardError)")
            #expect(result.standardError.contains(program.path), "\(result.standardError)")
            #expect(result.standardError.contains(words), "\(kind) \(lang): \(result.standardError)")
            #expect(result.standardError.contains("--sendmail"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: data.path), "\(kind) set up \(data.path)")
        }
    }

    @Test("a --sendmail program that cannot run issues no code to an existing operator", .timeLimit(.minutes(10)))
    func unusableSendmailIssuesNoCode() async throws {
        let school = try await CommandFlowTests.School.created()
        let missing = school.data.deletingLastPathComponent().appendingPathComponent("no-sendmail").path
        let status = ["operator", "status", "--as", "siti", "--json"]
        let before = try await school.run(status, input: CommandFlowTests.operatorPassword + "\n")
        #expect(before.status == 0, "\(before.standardError)")
        let requested = try await school.run(
            ["--sendmail", missing, "operator", "request-code", "--as", "siti"],
            input: CommandFlowTests.operatorPassword + "\n")
        #expect(requested.status == 69, "\(requested.standardError)")
        let after = try await school.run(status, input: CommandFlowTests.operatorPassword + "\n")
        #expect(after.standardOutput == before.standardOutput, "a code was issued: \(after.standardOutput)")
        // With a program that runs, the same request does issue one: the comparison above can fail.
        let issued = try await school.run(
            ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(issued.status == 0, "\(issued.standardError)")
        let later = try await school.run(status, input: CommandFlowTests.operatorPassword + "\n")
        #expect(later.standardOutput != before.standardOutput)
    }

    @Test("an import file is read to its end, at most 16 MiB; a missing one is said to be missing (66)")
    func importFileRead() async throws {
        let scratch = try TemporaryDirectory("example")
        let empty = try await ExampleProcess.run(
            "dapodik-verify", ["ptk", "import", "--as", "siti", "--check", "/dev/null"])
        #expect(empty.status == 65, "\(empty.standardError)")
        #expect(!empty.standardError.contains("tidak dapat dibaca"), "\(empty.standardError)")
        let endless = try await ExampleProcess.run(
            "dapodik-verify", ["ptk", "import", "--as", "siti", "--check", "/dev/zero"])
        #expect(endless.status == 65, "\(endless.standardError)")
        #expect(endless.standardError.contains("lebih dari 16 MiB"), "\(endless.standardError)")
        let missing = scratch.appending("tidak-ada.csv").path
        for (lang, words) in [("id", "tidak ada"), ("en", "does not exist")] {
            let run = try await ExampleProcess.run(
                "dapodik-verify", ["ptk", "import", "--as", "siti", "--check", missing, "--lang", lang])
            #expect(run.status == 66, "a missing input file is EX_NOINPUT: \(run.standardError)")
            #expect(run.standardError.contains(missing) && run.standardError.contains(words), "\(run.standardError)")
        }
    }

    @Test(
        "a Maildir another user may not read is said to be so (74), never shown as an empty mailbox",
        .runsAsAnotherUser)
    func unreadableMaildir() async throws {
        let school = try await CommandFlowTests.School.make()
        try #require(chmod(school.data.deletingLastPathComponent().path, 0o711) == 0)
        try #require(chmod(school.data.path, 0o755) == 0)
        let listed = try await ExampleProcess.runAsNobody([
            "--lang", "en", "--data", school.data.path, "mailbox", "list",
        ])
        #expect(listed.status == 74, "\(listed.standardError)")
        #expect(listed.standardError.contains("permission denied"), "\(listed.standardError)")
        // As the directory's owner, the same command lists the operator's message.
        let own = try await school.run(["mailbox", "list"], lang: "en")
        #expect(own.status == 0, "\(own.standardError)")
    }

    @Test(
        "a store another user may not read is said to be so (74), never called missing",
        .runsAsAnotherUser)
    func unreadableStoreBackup() async throws {
        let school = try await CommandFlowTests.School.make()
        try #require(chmod(school.data.deletingLastPathComponent().path, 0o711) == 0)
        try #require(chmod(school.data.path, 0o755) == 0)
        let destination = FileManager.default.temporaryDirectory.appendingPathComponent("backup-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: destination) }
        let backup = try await ExampleProcess.runAsNobody([
            "--lang", "en", "--data", school.data.path, "store", "backup", destination,
        ])
        #expect(backup.status == 74, "\(backup.standardError)")
        #expect(backup.standardError.contains("permission denied"), "\(backup.standardError)")
        #expect(!backup.standardError.contains("There is no store"), "\(backup.standardError)")
        #expect(!FileManager.default.fileExists(atPath: destination), "a failed backup leaves nothing behind")
        // As the directory's owner, the same backup is made.
        let own = try await school.run(["store", "backup", destination], lang: "en")
        #expect(own.status == 0, "\(own.standardError)")
    }

    static let schoolCreate = [
        "school", "create", "--npsn", "20100101", "--name", "SD 1", "--operator-name", "Siti Aminah",
        "--operator-email", "siti@gmail.com",
    ]
}
