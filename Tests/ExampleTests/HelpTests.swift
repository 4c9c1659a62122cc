import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

@Suite("dapodik-verify --help")
struct HelpTests {
    /// Every command path of the program, groups and leaves.
    static let allCommands: [[String]] = {
        func walk(_ command: Command, _ prefix: [String]) -> [[String]] {
            [prefix] + command.subcommands.flatMap { walk($0, prefix + [$0.name]) }
        }
        return walk(CommandTree.root, [])
    }()

    @Test(
        "every command has --help that exits 0 with its usage, in both languages",
        .timeLimit(.minutes(10)), arguments: allCommands)
    func everyCommandHasHelp(path: [String]) async throws {
        for (lang, heading) in [("id", "PENGGUNAAN"), ("en", "USAGE")] {
            let result = try await ExampleProcess.run("dapodik-verify", path + ["--help", "--lang", lang])
            #expect(result.status == 0)
            #expect(result.standardError.isEmpty)
            let usage = (["dapodik-verify"] + path).joined(separator: " ")
            #expect(result.standardOutput.contains(heading + "\n  " + usage))
        }
    }

    @Test("every leaf command shows at least one example and explains every option")
    func leavesHaveExamples() {
        for path in CommandTree.root.leaves() {
            var command = CommandTree.root
            for name in path { command = command.subcommand(named: name)! }
            #expect(!command.examples.isEmpty, "\(path) has no example")
            for example in command.examples {
                #expect(example.hasPrefix("dapodik-verify ") || example.contains("| dapodik-verify "))
                #expect(
                    example.contains(" " + path.joined(separator: " ")),
                    "\(path): example \(example) does not run the command")
            }
            for option in command.options.map(\.spec) {
                #expect(!option.help.indonesian.isEmpty && !option.help.english.isEmpty)
                #expect(option.help.indonesian != option.help.english)
            }
            // A command option named like a global one, or two alike, would shadow it silently.
            let names = (command.options + GlobalOptions.all).map(\.spec.name)
            #expect(Set(names).count == names.count, "\(path): \(names)")
        }
    }

    @Test("the usage line lists every option of the command, the optional ones in brackets")
    func usageListsOptions() async throws {
        for path in CommandTree.root.leaves() {
            var commands = [CommandTree.root]
            for name in path { commands.append(commands.last!.subcommand(named: name)!) }
            let usage = HelpFormatter.usage(for: commands, in: .english)
            for option in commands.last!.options.map(\.spec) {
                let synopsis = option.synopsis(in: .english)
                #expect(usage.contains(option.isRequired ? synopsis : "[\(synopsis)]"), "\(path): \(usage)")
            }
        }
        let help = try await ExampleProcess.run("dapodik-verify", ["ptk", "edit", "--help", "--lang", "en"])
        #expect(
            help.standardOutput.contains(
                "USAGE\n  dapodik-verify ptk edit --as <operator> [--email <email>] [--password] "
                    + "[--accept-unusual-domain]\n      [options] <ptk>\n"), "\(help.standardOutput)")
    }

    @Test("help <command> and -h show the same text as --help")
    func helpSpellings() async throws {
        let long = try await ExampleProcess.run("dapodik-verify", ["ptk", "submit", "--help"])
        let short = try await ExampleProcess.run("dapodik-verify", ["ptk", "submit", "-h"])
        let word = try await ExampleProcess.run("dapodik-verify", ["help", "ptk", "submit"])
        #expect(long.standardOutput == short.standardOutput)
        #expect(long.standardOutput == word.standardOutput)
        #expect(long.standardOutput.contains("SIMPAN"))
    }

    @Test("the program's help lists the exit codes and the data directory")
    func rootHelp() async throws {
        let result = try await ExampleProcess.run("dapodik-verify", ["--lang", "en"])
        #expect(result.status == 0)
        for status in ExitStatus.allCases {
            #expect(result.standardOutput.contains("\n  \(status.rawValue) "))
        }
        #expect(result.standardOutput.contains("DAPODIK_DATA"))
        #expect(result.standardOutput.contains(".dapodik-data"))
    }
}
