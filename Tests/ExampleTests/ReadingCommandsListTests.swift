import Testing

@testable import dapodik_verify

/// The one list of the commands that only read (``ReadingCommands``): what opens the store read-only
/// where it cannot be written, and what the `io.readOnlyStore` refusal names.
@Suite("dapodik-verify list of reading commands")
struct ReadingCommandsListTests {
    @Test("each reading command is a command of the tree, and a command line running one is known to read only")
    func namesRealCommands() throws {
        let leaves = CommandTree.root.leaves()
        for path in ReadingCommands.paths { #expect(leaves.contains(path), "\(path) is not a command") }
        for (tokens, reads) in [
            (["ptk", "list", "--as", "siti"], true), (["--lang", "en", "feed", "--json"], true),
            (["operator", "status", "--as", "siti"], true),
            (["ptk", "register", "--as", "siti", "--name", "Budi", "--email", "budi@gmail.com"], false),
            (["outbox", "drain"], false),
        ] {
            guard
                case .run(_, let invocation) = try CommandLineInterface.resolve(
                    tokens, root: CommandTree.root, environment: [:])
            else {
                Issue.record("\(tokens) does not run a command")
                continue
            }
            #expect(ReadingCommands.contains(invocation.arguments.commandPath) == reads, "\(tokens)")
        }
    }
}
