import Foundation
import Testing

/// One rule for every exit status (`dapodik-verify --help`, README): 64 the command line's shape, 65 a
/// value that is not valid, 66 no data directory, 75 what waiting fixes, 1 a refusal for good.
@Suite("dapodik-verify exit codes follow one rule")
struct ExitCodeRuleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let arguments: [String]
        var input = ""
        let status: Int32
        var testDescription: String { "\(status): " + arguments.joined(separator: " ") }
    }

    static let password = CommandFlowTests.operatorPassword
    static let createSchool = [
        "school", "create", "--npsn", "20100102", "--name", "SD Negeri 2 Contoh", "--operator-name", "Rina",
        "--operator-email", "rina@gmail.com",
    ]

    /// Every class of the rule, each with more than one member where the issue found them inconsistent.
    static let table: [Case] = [
        // 64: the shape of the command line.
        Case(arguments: ["ptk", "lisst"], status: 64),
        Case(arguments: ["school", "create", "--npsn", "20100102"], status: 64),
        Case(arguments: ["ptk", "list", "--as", "siti", "--as", "siti"], status: 64),
        // 65: a value that is not valid, wherever it was given.
        Case(arguments: createSchool.map { $0 == "20100102" ? "123" : $0 }, input: password + "\n", status: 65),
        Case(arguments: createSchool + ["--time-zone", "XYZ"], input: password + "\n", status: 65),
        Case(
            arguments: createSchool.map { $0 == "rina@gmail.com" ? "rina@" : $0 }, input: password + "\n",
            status: 65),
        Case(
            arguments: createSchool.map { $0 == "Rina" ? "Rina\u{202E}" : $0 }, input: password + "\n",
            status: 65),
        Case(arguments: ["mailbox", "code", "--to", "siti.aminah@gmail.com", "--nth", "0"], status: 65),
        Case(arguments: ["feed", "--after", "x"], status: 65),
        Case(arguments: ["feed", "--lang", "fr"], status: 65),
        Case(arguments: ["feed", "--limit", "0"], status: 65),
        // 1: a well-formed request refused for good.
        Case(arguments: ["ptk", "submit", "--as", "budi", "000000"], input: "Guru-Teladan-2026\n", status: 1),
        Case(arguments: ["ptk", "list", "--as", "siti"], input: "wrong-password\n", status: 1),
        Case(arguments: createSchool.map { $0 == "20100102" ? "20100101" : $0 }, input: password + "\n", status: 1),
        // 0.
        Case(arguments: ["feed", "--after", "0", "--limit", "1"], status: 0),
    ]

    @Test("each class of error exits with its status", .timeLimit(.minutes(10)))
    func table() async throws {
        let school = try await CommandFlowTests.School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: Self.password + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        let sent = try await school.run(["ptk", "continue", "--as", "budi"], input: "Guru-Teladan-2026\n")
        #expect(sent.status == 0, "\(sent.standardError)")
        for item in Self.table {
            let result = try await school.run(item.arguments, input: item.input)
            #expect(result.status == item.status, "\(item.testDescription): \(result.standardError)")
        }
        // 75: the same command succeeds later (the cool-down after Budi's first code).
        let cooldown = try await school.run(["ptk", "resend", "--as", "budi"], input: "Guru-Teladan-2026\n")
        #expect(cooldown.status == 75, "\(cooldown.standardError)")
        // 66: no data directory where --data points.
        let missing = try await ExampleProcess.run(
            "dapodik-verify", ["ptk", "list", "--as", "siti", "--data", school.data.path + "-typo"],
            input: Self.password + "\n")
        #expect(missing.status == 66, "\(missing.standardError)")
    }

    @Test("the rule is written in the help, in both languages")
    func ruleInHelp() async throws {
        let indonesian = try await ExampleProcess.run("dapodik-verify", ["--help"])
        #expect(indonesian.standardOutput.contains("ATURAN KODE KELUAR"))
        let english = try await ExampleProcess.run("dapodik-verify", ["--help", "--lang", "en"])
        #expect(english.standardOutput.contains("EXIT CODE RULE"))
        for status in ["64", "65", "66", "75"] {
            #expect(english.standardOutput.contains("\(status).") || english.standardOutput.contains(": \(status)"))
        }
    }
}
