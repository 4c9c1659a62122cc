import DapodikVerification

/// One command of `dapodik-verify`: a group of subcommands (`ptk`) or a leaf that runs (`ptk list`).
///
/// A leaf is declared next to its action and its typed options, in one type per command under
/// `Commands/` (as swift-argument-parser's `Examples/math` reads).
struct Command: Sendable {
    /// What a leaf command does when it runs.
    typealias Action = @Sendable (Invocation) async throws -> ExitStatus

    let name: String
    let summary: LocalizedText
    /// A longer explanation shown by `--help` under the usage line.
    var discussion: LocalizedText?
    var options: [any OptionDeclaration] = []
    var arguments: [Argument] = []
    /// Full command lines, shown under "Contoh"/"Examples".
    var examples: [String] = []
    var subcommands: [Command] = []
    var action: Action?
    /// Whether `--json` changes the output of this command.
    var supportsJSON = false

    init(
        _ name: String, summary: LocalizedText, discussion: LocalizedText? = nil,
        options: [any OptionDeclaration] = [], arguments: [Argument] = [], examples: [String] = [],
        supportsJSON: Bool = false, action: Action? = nil
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.options = options
        self.arguments = arguments
        self.examples = examples
        self.supportsJSON = supportsJSON
        self.action = action
    }

    /// A group of subcommands.
    static func group(
        _ name: String, summary: LocalizedText, discussion: LocalizedText? = nil, examples: [String] = [],
        _ subcommands: [Command]
    ) -> Command {
        var command = Command(name, summary: summary, discussion: discussion, examples: examples)
        command.subcommands = subcommands
        return command
    }

    /// The subcommand called `name`.
    func subcommand(named name: String) -> Command? { subcommands.first { $0.name == name } }

    /// Every leaf command under this one, with its path below this one.
    func leaves(prefix: [String] = []) -> [[String]] {
        if subcommands.isEmpty { return [prefix] }
        return subcommands.flatMap { $0.leaves(prefix: prefix + [$0.name]) }
    }
}

/// A shorthand for a text in both languages.
func text(_ indonesian: String, _ english: String) -> LocalizedText {
    LocalizedText(indonesian: indonesian, english: english)
}
