import DapodikVerification

/// Everything a command needs when it runs: its parsed arguments, the global options, the
/// console, and the process environment.
struct Invocation: Sendable {
    let arguments: ParsedArguments
    let globals: GlobalOptions
    let environment: [String: String]
    /// The school's time zone once someone has logged in.
    let sessionZone = SessionZone()

    /// The console in the person's language, writing JSON when `--json` was given.
    var console: Console { Console(language: globals.language, json: globals.json) }

    /// The language of everything a person reads.
    var language: Language { globals.language }
}
