import Foundation
import Testing

@Suite("dapodik-verify usage errors")
struct UsageErrorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        let indonesian: String
        let english: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let cases: [Case] = [
        Case(
            arguments: ["ptk", "regster"], indonesian: "Maksud Anda 'register'?", english: "Did you mean 'register'?"),
        Case(arguments: ["ptk"], indonesian: "memerlukan subperintah", english: "needs a subcommand"),
        Case(arguments: ["ptk", "submit", "--as", "budi"], indonesian: "<kode> wajib", english: "<code> is required"),
        Case(
            arguments: ["ptk", "submit", "123456"], indonesian: "--as <ptk> wajib", english: "--as <ptk> is required"),
        Case(arguments: ["ptk", "register", "--as"], indonesian: "memerlukan nilai", english: "needs a value"),
        Case(
            arguments: ["ptk", "register", "--as", "x", "--name", "a", "--emali", "b"],
            indonesian: "Maksud Anda --email?", english: "Did you mean --email?"),
        Case(
            arguments: ["ptk", "status", "--as", "a", "--as", "b"], indonesian: "lebih dari sekali",
            english: "more than once"),
        Case(
            arguments: ["ptk", "list", "--as", "a", "--json=yes"], indonesian: "tidak memerlukan nilai",
            english: "takes no value"),
        Case(
            arguments: ["ptk", "submit", "--as", "a", "1", "2"], indonesian: "Argumen tidak terduga: 2",
            english: "Unexpected argument: 2"),
        Case(arguments: ["report", "--as", "a", "-x"], indonesian: "dua tanda minus", english: "two dashes"),

    ]

    @Test(
        "a wrong command line exits 64 (EX_USAGE) with the reason and where to find help",
        .timeLimit(.minutes(10)), arguments: cases)
    func usageError(_ usage: Case) async throws {
        let indonesian = try await ExampleProcess.run("dapodik-verify", usage.arguments)
        #expect(indonesian.status == 64)
        #expect(indonesian.standardOutput.isEmpty)
        #expect(indonesian.standardError.contains(usage.indonesian), "\(indonesian.standardError)")
        if usage.arguments.contains("--lang") { return }
        let english = try await ExampleProcess.run("dapodik-verify", usage.arguments + ["--lang", "en"])
        #expect(english.status == 64)
        #expect(english.standardError.contains(usage.english), "\(english.standardError)")
        #expect(english.standardError.contains("--help"))
    }

    @Test(
        "global options with no command after them are still checked; valid ones show the help",
        .timeLimit(.minutes(10)))
    func globalOptionsWithoutCommand() async throws {
        for (arguments, status, words) in [
            (["--lang", "xx"], Int32(65), "Bahasa tidak dikenal: xx"),
            (["--lang", "feed"], 65, "Bahasa tidak dikenal: feed"),
            (["--lang"], 64, "memerlukan nilai"), (["--data"], 64, "memerlukan nilai"),
            (["--lang", "xx", "help"], 65, "Bahasa tidak dikenal: xx"),
        ] {
            let result = try await ExampleProcess.run("dapodik-verify", arguments)
            #expect(result.status == status, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(words), "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.isEmpty, "\(arguments)")
        }
        let help = try await ExampleProcess.run("dapodik-verify", ["--lang", "en"])
        #expect(help.status == 0, "\(help.standardError)")
        #expect(
            help.standardOutput.contains("Usage") || help.standardOutput.contains("USAGE"), "\(help.standardOutput)")
    }

    @Test("a command without JSON output refuses --json with 64, as a JSON error", .timeLimit(.minutes(10)))
    func noJSONOutput() async throws {
        for lang in ["id", "en"] {
            let result = try await ExampleProcess.run(
                "dapodik-verify", ["mailbox", "show", "1", "--json", "--lang", lang])
            #expect(result.status == 64)
            #expect(result.standardOutput.isEmpty)
            let object = try JSONSerialization.jsonObject(with: Data(result.standardError.utf8)) as? [String: Any]
            let error = try #require(object?["error"] as? [String: Any])
            let message = error["message"] as? String ?? ""
            #expect(message.contains(lang == "en" ? "has no JSON output" : "tidak punya keluaran JSON"), "\(message)")
        }
    }

    @Test("with --json a usage error is a JSON object with a stable code", .timeLimit(.minutes(10)))
    func jsonUsageError() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["ptk", "submit", "--as", "a", "--json"])
        #expect(result.status == 64)
        let object = try JSONSerialization.jsonObject(with: Data(result.standardError.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any])
        #expect(error["code"] as? String == "usage.missingArgument")
        #expect(error["exitCode"] as? Int == 64)
    }

    @Test("everything after -- is an argument, even if it starts with a dash", .timeLimit(.minutes(10)))
    func doubleDash() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["ptk", "submit", "--as", "a", "--", "--1", "2"])
        #expect(result.status == 64)
        #expect(result.standardError.contains("Argumen tidak terduga: 2"))
    }
}
