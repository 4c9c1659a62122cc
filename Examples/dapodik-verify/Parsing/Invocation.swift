import DapodikVerification

/// Everything a command needs when it runs: its typed options and arguments, the global options,
/// the console, and the process environment.
struct Invocation: Sendable {
    let arguments: ParsedArguments
    var globals: GlobalOptions
    /// The positional arguments the command declares, in order.
    var declaredArguments: [Argument] = []
    var environment: [String: String] { arguments.environment }
    /// The school's time zone once someone has logged in.
    let sessionZone = SessionZone()

    /// The console in the person's language, writing JSON when `--json` was given.
    var console: Console { Console(language: globals.language, json: globals.json) }

    /// The language of everything a person reads.
    var language: Language { globals.language }

    /// The value of an option that may be left out, converted to its type.
    /// - Throws: ``CLIError`` when the given value is not valid (the option's own message).
    func value<Value>(_ option: Option<Value>) throws(CLIError) -> Value? { try option.value(in: arguments) }

    /// The value of a required option, converted to its type.
    /// - Throws: ``CLIError`` when the given value is not valid (the option's own message).
    func value<Value>(_ option: RequiredOption<Value>) throws(CLIError) -> Value { try option.value(in: arguments) }

    /// Whether a flag was given.
    func isSet(_ flag: Flag) -> Bool { arguments.flags.contains(flag.spec.name) }

    /// A positional argument the command declares (the parser has made sure it is there).
    func value(_ argument: Argument) -> String {
        let index = declaredArguments.firstIndex { $0.placeholder == argument.placeholder } ?? 0
        return arguments.positionals[index]
    }
}
