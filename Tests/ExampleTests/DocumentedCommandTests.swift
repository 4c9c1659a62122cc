import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// The command lines the README and the guides show are ones the program accepts.
@Suite("documented command lines")
struct DocumentedCommandTests {
    static let files =
        ["README.md"]
        + ["GettingStarted", "Flow", "Operations", "SecurityModel", "StorageFormat"]
        .map { "Documentation/\($0).md" }

    /// A command line in a document: whole in a code block, or a mention in running text.
    struct Line: Sendable, CustomTestStringConvertible {
        let file: String
        let words: [String]
        let isMention: Bool
        var testDescription: String { "\(file): \(words.joined(separator: " "))" }
    }

    /// Every `dapodik-verify …` line: in code blocks (backslash continuations joined, `# comments`
    /// and shell redirections dropped) and in `inline code`, with `<placeholders>` filled in.
    static func lines() throws -> [Line] {
        var found: [Line] = []
        for file in files {
            let text = try String(contentsOf: ReadmeTests.root.appendingPathComponent(file), encoding: .utf8)
            var inBlock = false
            var pending = ""
            for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if raw.hasPrefix("```") {
                    inBlock.toggle()
                    continue
                }
                guard inBlock else { continue }
                var line = pending + raw.trimmingCharacters(in: .whitespaces)
                pending = ""
                if line.hasSuffix("\\") {
                    pending = String(line.dropLast()) + " "
                    continue
                }
                line = line.components(separatedBy: " #").first!.components(separatedBy: " < ").first!
                for prefix in ["$ dapodik-verify ", "dapodik-verify ", "swift run dapodik-verify "]
                where line.hasPrefix(prefix) {
                    found.append(Line(file: file, words: words(String(line.dropFirst(prefix.count))), isMention: false))
                }
            }
            for match in text.matches(of: /`dapodik-verify ([^`]*)`/) {
                let command = String(match.1).replacingOccurrences(of: "\n", with: " ")
                found.append(Line(file: file, words: words(command), isMention: true))
            }
        }
        return found
    }

    static func words(_ line: String) -> [String] {
        HelpAndMessageTests.words(line.replacing(/<[^>]*>|\$\([^)]*\)/, with: "x"))
    }

    @Test("the documents show command lines", arguments: files)
    func documentsHaveCommands(file: String) throws {
        if file == "README.md" || file.hasSuffix("Operations.md") {
            #expect(try Self.lines().contains { $0.file == file && !$0.isMention })
        }
    }

    @Test("every documented command line parses; a mention in the text names a real command", arguments: try lines())
    func parses(_ line: Line) {
        do {
            _ = try CommandLineInterface.resolve(line.words, root: CommandTree.root, environment: [:])
        } catch {
            // Running text may name a command without its required parts ("`store backup` makes one").
            let incomplete: [CLIError.Code] = [.missingArgument, .missingOption, .missingCommand]
            #expect(line.isMention && incomplete.contains(error.code), "\(error.message.english)")
        }
    }
}
