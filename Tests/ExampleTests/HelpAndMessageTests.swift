import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// The help and the messages say what is true, in the language asked for (issue 11, item 17).
@Suite("dapodik-verify help and messages")
struct HelpAndMessageTests {
    @Test("help <command> --lang en shows the English help of that command")
    func helpWithLanguage() async throws {
        for arguments in [["help", "school", "--lang", "en"], ["--lang", "en", "help", "school"]] {
            let result = try await ExampleProcess.run("dapodik-verify", arguments)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.hasPrefix("dapodik-verify school — "))
            #expect(result.standardOutput.contains("USAGE"))
        }
    }

    @Test("every example of every command parses and its values are accepted (the feed's --after too)")
    func examplesParse() throws {
        for path in CommandTree.root.leaves() {
            var command = CommandTree.root
            for name in path { command = command.subcommand(named: name)! }
            for example in command.examples where !example.contains("|") && !example.contains("$(") {
                // A redirection (`< pantulan.eml`) is the shell's, not an argument.
                let words = Self.words(example)
                let tokens = Array(words[..<(words.firstIndex(of: "<") ?? words.endIndex)].dropFirst())
                #expect(throws: Never.self, "\(example)") {
                    _ = try CommandLineInterface.resolve(tokens, root: CommandTree.root, environment: [:])
                }
                if let index = tokens.firstIndex(of: "--after") {
                    #expect(throws: Never.self, "\(example)") { _ = try FeedCommand.cursor(tokens[index + 1]) }
                }
            }
        }
    }

    /// The words of a command line as a shell splits it (double quotes group words).
    static func words(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quoted = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
            } else if character == " " && !quoted {
                if !current.isEmpty { words.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    @Test("the help names DAPODIK_SENDER and --version; --version prints the version")
    func senderAndVersion() async throws {
        let help = try await ExampleProcess.run("dapodik-verify", ["--help", "--lang", "en"])
        #expect(help.standardOutput.contains("DAPODIK_SENDER"))
        #expect(help.standardOutput.contains("--version"))
        let version = try await ExampleProcess.run("dapodik-verify", ["--version"])
        #expect(version.status == 0)
        #expect(version.standardOutput == "dapodik-verify \(CommandLineInterface.version)\n")
    }

    static let englishPlaceholders = [
        "<dir>", "<path>", "<seconds>", "<cursor>", "<key-id>", "<name>", "<message>", "<destination>", "<code>",
        "<file>", "<command>", "[options]",
    ]

    @Test("the Indonesian help has Indonesian placeholders", arguments: HelpTests.allCommands)
    func indonesianPlaceholders(path: [String]) {
        var commands = [CommandTree.root]
        for name in path { commands.append(commands.last!.subcommand(named: name)!) }
        let help = HelpFormatter.help(for: commands, in: .indonesian)
        for placeholder in Self.englishPlaceholders {
            #expect(!help.contains(placeholder), "\(path): \(placeholder)")
        }
    }

    @Test("a default username that is too short is reported as such, not as --operator-username")
    func shortDefaultUsername() async throws {
        let scratch = try TemporaryDirectory("example")
        let data = scratch.appending("data")
        let result = try await ExampleProcess.run(
            "dapodik-verify",
            [
                "school", "create", "--npsn", "20100101", "--name", "SD 1", "--operator-name", "Ab", "--operator-email",
                "ab@gmail.com", "--data", data.path, "--lang", "en",
            ], input: CommandFlowTests.operatorPassword + "\n")
        #expect(result.status == 65)
        #expect(result.standardError.contains("The default username 'ab'"), "\(result.standardError)")
        #expect(result.standardError.contains("Choose one with --operator-username"))
        #expect(!result.standardError.contains("Error: --operator-username:"))
    }

    @Test("codeExpiresAtText is in the language asked for", .timeLimit(.minutes(10)))
    func expiryTextLanguage() async throws {
        let school = try await CommandFlowTests.School.make()
        let registered = try await school.run(
            ["ptk", "register", "--as", "siti", "--name", "Budi Santoso", "--email", "budi@gmail.com"],
            input: CommandFlowTests.operatorPassword + "\nGuru-Teladan-2026\n")
        #expect(registered.status == 0, "\(registered.standardError)")
        for (lang, separator) in [("en", ":"), ("id", ".")] {
            let sent = try await school.run(
                ["ptk", lang == "en" ? "continue" : "delivery", "--as", "budi", "--json"],
                input: "Guru-Teladan-2026\n", lang: lang)
            #expect(sent.status == 0, "\(sent.standardError)")
            let json = try JSONSerialization.jsonObject(with: Data(sent.standardOutput.utf8)) as? [String: Any]
            let text = try #require(json?["codeExpiresAtText"] as? String)
            #expect(text.dropFirst(2).hasPrefix(separator), "\(lang): \(text)")
        }
    }
}
