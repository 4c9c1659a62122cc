import DapodikTestSupport
import Foundation
import Testing

/// Standard output that cannot be written (a full disk, a closed descriptor, a reader gone) is
/// neither a crash nor a silent success: the command's work stands, and the exit status says the
/// output was lost.
@Suite("dapodik-verify with output it cannot write")
struct OutputFailureTests {
    /// Runs the CLI with its standard output redirected by the shell (`>/dev/full`, `>&-`).
    static func run(
        _ arguments: [String], stdout redirection: String, input: String = "", data: URL? = nil
    ) async throws -> ExampleProcess.Result {
        let executable = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify").path
        var environment = ProcessInfo.processInfo.environment
        environment["DAPODIK_LANG"] = nil
        let scratch = try TemporaryDirectory("output-failure")
        let result = try await ChildProcess.run(
            "/bin/sh",
            ["-c", "exec \"$0\" \"$@\" " + redirection, executable] + arguments
                + (data.map { ["--data", $0.path] } ?? []),
            input: input, environment: environment, in: scratch.url, timeout: .seconds(300))
        return ExampleProcess.Result(
            status: result.status, standardOutput: result.standardOutput, standardError: result.standardError)
    }

    @Test(
        "help to a full disk or a closed descriptor: exit 74 and why, in the person's language, no crash",
        arguments: [
            (">/dev/full", "disk penuh", "no space left on the disk"),
            (">&-", "deskriptor berkasnya tertutup", "its file descriptor is closed"),
        ])
    func help(redirection: String, indonesianReason: String, englishReason: String) async throws {
        let indonesian = try await Self.run(["--help"], stdout: redirection)
        #expect(indonesian.status == 74, "\(indonesian.standardError)")
        #expect(
            indonesian.standardError
                == "Perintah sudah dijalankan, tetapi keluarannya tidak dapat ditulis (\(indonesianReason)).\n")
        let english = try await Self.run(["--lang", "en", "--help"], stdout: redirection)
        #expect(english.status == 74)
        #expect(
            english.standardError
                == "The command was carried out, but its output could not be written (\(englishReason)).\n")
    }

    @Test("a reader gone before the output (`| head`) gets no narration; the status says the output was cut")
    func readerGone() async throws {
        // The pipe's read end is closed before the CLI starts, so its first write fails, every time.
        let script = """
            import os, subprocess, sys
            r, w = os.pipe()
            os.close(r)
            run = subprocess.run(sys.argv[1:], stdout=w, stderr=subprocess.PIPE)
            sys.stderr.write(run.stderr.decode())
            sys.exit(run.returncode)
            """
        let executable = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify").path
        let cut = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", script, executable, "--help"])
        #expect(cut.status == 74, "\(cut.standardError)")
        #expect(cut.standardError.isEmpty, "\(cut.standardError)")
    }

    @Test("a change whose report cannot be written is made, and the status says the report was lost")
    func changeStands() async throws {
        let school = try await CommandFlowTests.School.make()
        let csv = try school.write("nama,email,password\nBudi Santoso,budi.santoso@gmail.com,Rahasia-Budi-2026\n")
        let imported = try await Self.run(
            ["ptk", "import", "--as", "siti", csv], stdout: ">/dev/full",
            input: CommandFlowTests.operatorPassword + "\n", data: school.data)
        #expect(imported.status == 74, "\(imported.standardError)")
        #expect(imported.standardError.contains("Perintah sudah dijalankan"), "\(imported.standardError)")
        #expect(!imported.standardError.contains("Fatal error"))
        let listed = try await school.run(
            ["ptk", "list", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(listed.status == 0)
        #expect(listed.standardOutput.contains("budi.santoso@gmail.com"), "\(listed.standardOutput)")
    }

    @Test("a command that failed keeps its own status when its output is lost too")
    func failureKeepsItsStatus() async throws {
        let scratch = try TemporaryDirectory("output-failure-data")
        let refused = try await Self.run(
            [
                "school", "create", "--npsn", "123", "--name", "SD", "--operator-name", "Siti", "--operator-email",
                "siti@gmail.com",
            ], stdout: ">/dev/full", input: "Sekolah-Hebat-2026\n",
            data: scratch.url.appendingPathComponent("data"))
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(!refused.standardError.contains("Perintah sudah dijalankan"))
    }
}
