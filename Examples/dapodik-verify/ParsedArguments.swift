import DapodikVerification

/// The options and positional arguments of one command line, after parsing.
struct ParsedArguments: Sendable, Equatable {
    var values: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    /// The command path (for error messages that point at `--help`).
    var commandPath: [String] = []

    /// The value of an option, or `nil` when it was not given.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Whether a flag was given.
    func has(_ flag: String) -> Bool { flags.contains(flag) }

    /// The value of an option the command needs.
    /// - Throws: ``CLIError`` (usage) when it is missing.
    func required(_ name: String) throws(CLIError) -> String {
        guard let value = value(name) else {
            var error = CLIError.usage(
                .missingOption, indonesian: "Opsi --\(name) wajib diisi.", english: "The option --\(name) is required.")
            error.helpCommand = commandPath
            throw error
        }
        return value
    }

    /// A positional argument by index, or `nil`.
    func positional(_ index: Int) -> String? { index < positionals.count ? positionals[index] : nil }
}
