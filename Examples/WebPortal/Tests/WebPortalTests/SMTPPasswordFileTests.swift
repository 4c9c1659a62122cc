#if SMTP
    import Foundation
    import Testing

    /// `--smtp`'s password from the file `DAPODIK_SMTP_PASSWORD_FILE` names, checked as the example CLI
    /// checks it before anything starts; run as the built program. That a good file's password (its
    /// trailing newline dropped) logs in is checked end to end by `.ci/portal-smtp`.
    @Suite(.timeLimit(.minutes(10)))
    struct SMTPPasswordFileTests {
        /// Runs the built portal with `arguments` and `environment` added to this process's (without its
        /// own SMTP variables); its exit status and standard error.
        static func run(_ arguments: [String], environment: [String: String]) throws -> (
            status: Int32, standardError: String
        ) {
            let process = Process()
            process.executableURL = PortalHelpTests.program
            process.arguments = arguments
            var all = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DAPODIK_SMTP_") }
            all.merge(environment) { $1 }
            process.environment = all
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }

        @Test(
            "a password file other users may read, a missing one, an empty one, or no password at all: refused before the portal starts, in both languages"
        )
        func refusedBeforeStart() throws {
            try #require(FileManager.default.isExecutableFile(atPath: PortalHelpTests.program.path))
            let files = FileManager.default.temporaryDirectory.appendingPathComponent(
                "portal-smtp-password-\(UUID().uuidString)", isDirectory: true)
            try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: files) }
            func file(_ name: String, _ text: String, mode: Int) throws -> String {
                let url = files.appendingPathComponent(name)
                try Data(text.utf8).write(to: url)
                try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
                return url.path
            }
            let open = try file("open", "rahasia-smtp-portal\n", mode: 0o644)
            let empty = try file("empty", "", mode: 0o600)
            let newline = try file("newline", "\n", mode: 0o600)
            let missing = files.appendingPathComponent("nothing").path
            let cases: [(environment: [String: String], status: Int32, indonesian: String, english: String)] = [
                (
                    ["DAPODIK_SMTP_PASSWORD_FILE": open], 64, "chmod 600 \(open)",
                    "can be read or changed by other users"
                ),
                (["DAPODIK_SMTP_PASSWORD_FILE": missing], 66, "tidak ada: \(missing)", "does not exist: \(missing)"),
                (["DAPODIK_SMTP_PASSWORD_FILE": empty], 64, "kata sandinya tidak ada atau kosong", "missing or empty"),
                (
                    ["DAPODIK_SMTP_PASSWORD_FILE": newline], 64, "kata sandinya tidak ada atau kosong",
                    "missing or empty"
                ),
                ([:], 64, "kata sandinya tidak ada atau kosong", "missing or empty"),
            ]
            // A data directory that cannot be made: a portal that took the settings would stop there
            // (exit 74) instead of serving, so a missed refusal fails the test rather than hanging it.
            let data = URL(fileURLWithPath: empty).appendingPathComponent("data").path
            for (environment, status, indonesian, english) in cases {
                let refused = try Self.run(
                    ["--demo", "--data", data, "--smtp", "smtps://siti@127.0.0.1:1"], environment: environment)
                #expect(refused.status == status, "\(environment): \(refused.standardError)")
                #expect(refused.standardError.contains(indonesian), "\(environment): \(refused.standardError)")
                #expect(refused.standardError.contains(english), "\(environment): \(refused.standardError)")
                #expect(!refused.standardError.contains("rahasia-smtp-portal"), "\(refused.standardError)")
            }
        }
    }
#endif
