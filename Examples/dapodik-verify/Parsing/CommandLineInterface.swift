import DapodikVerification

/// Finds the command a command line names, parses its options, runs it, and turns every failure
/// into a message in the person's language and a documented exit status.
enum CommandLineInterface {
    /// What a command line asks for.
    enum Resolution: Sendable {
        /// Show the help of the command at the end of the path.
        case help([Command])
        /// Run a leaf command.
        case run([Command], Invocation)
        /// Print the program's version (`--version`).
        case version
    }

    /// The version `--version` prints: the release of the package this example belongs to.
    static let version = "0.1.0-dev"

    /// Works out what `tokens` ask for, without running anything. Global options may stand before,
    /// between and after the command names; `help <command…>` is `<command…> --help`.
    /// - Parameters:
    ///   - tokens: The command line without the program name.
    ///   - root: The program's command tree.
    ///   - environment: The process environment (`DAPODIK_DATA`, `DAPODIK_LANG`).
    /// - Returns: The help to show or the command to run.
    /// - Throws: ``CLIError`` (status 64) for an unknown or missing command and every option error.
    static func resolve(
        _ tokens: [String], root: Command, environment: [String: String]
    ) throws(CLIError) -> Resolution {
        var path = [root]
        var globalTokens: [String] = []
        var words = tokens[...]
        var helpWord = false
        func failure(_ code: CLIError.Code, _ indonesian: String, _ english: String) -> CLIError {
            CLIError(
                code, status: .usage, indonesian: indonesian, english: english,
                helpCommand: path.dropFirst().map(\.name))
        }
        while let current = path.last, !current.subcommands.isEmpty, let token = words.popFirst() {
            if token == "--help" || token == "-h" { return .help(path) }
            if token == "--version", path.count == 1 { return .version }
            if token.hasPrefix("-") {
                let name = token.dropFirst(2).prefix { $0 != "=" }
                guard let spec = GlobalOptions.all.map(\.spec).first(where: { $0.name == name }),
                    token.hasPrefix("--")
                else {
                    if helpWord { continue }
                    throw failure(
                        .unknownOption, "Opsi tidak dikenal sebelum nama perintah: \(token).",
                        "Unknown option before the command name: \(token).")
                }
                globalTokens.append(token)
                if spec.placeholder != nil, !token.contains("="), let value = words.popFirst() {
                    globalTokens.append(value)
                }
            } else if token == "help", path.count == 1, !helpWord {
                helpWord = true
            } else if let next = current.subcommand(named: token) {
                path.append(next)
            } else {
                let suggestion = ArgumentParser.closestName(to: token, among: current.subcommands.map(\.name))
                throw failure(
                    .unknownCommand,
                    "Perintah tidak dikenal: \(names(path)) \(token)."
                        + (suggestion.map { " Maksud Anda '\($0)'?" } ?? ""),
                    "Unknown command: \(names(path)) \(token)." + (suggestion.map { " Did you mean '\($0)'?" } ?? ""))
            }
        }
        let command = path[path.count - 1]
        if helpWord || path.count == 1 {
            // Global options are checked even when no command follows: `--lang xx` alone is an error,
            // not help (and `--lang feed` a language that does not exist, not the command feed).
            if !globalTokens.isEmpty {
                var parsed = try ArgumentParser.parse(
                    globalTokens, options: GlobalOptions.all.map(\.spec), arguments: [], commandPath: [])
                parsed.environment = environment
                _ = try GlobalOptions(parsed: parsed)
            }
            return .help(path)
        }
        guard command.subcommands.isEmpty else {
            let choices = command.subcommands.map(\.name).joined(separator: ", ")
            throw failure(
                .missingCommand, "Perintah '\(names(path))' memerlukan subperintah: \(choices).",
                "The command '\(names(path))' needs a subcommand: \(choices).")
        }
        let commandPath = path.dropFirst().map(\.name)
        var parsed = try ArgumentParser.parse(
            globalTokens + words, options: (command.options + GlobalOptions.all).map(\.spec),
            arguments: command.arguments, commandPath: commandPath)
        if parsed.wantsHelp { return .help(path) }
        parsed.environment = environment
        let globals = try GlobalOptions(parsed: parsed)
        // A script that asked for JSON must not be handed text it cannot parse.
        if globals.json && !command.supportsJSON {
            throw failure(
                .unknownOption, "Perintah '\(names(path))' tidak punya keluaran JSON: jalankan tanpa --json.",
                "The command '\(names(path))' has no JSON output: run it without --json.")
        }
        return .run(path, Invocation(arguments: parsed, globals: globals, declaredArguments: command.arguments))
    }

    private static func names(_ path: [Command]) -> String {
        ([HelpFormatter.programName] + path.dropFirst().map(\.name)).joined(separator: " ")
    }

    /// Runs the program: resolves the command line, runs the command, reports any failure.
    /// - Parameters:
    ///   - tokens: The command line without the program name.
    ///   - root: The program's command tree.
    ///   - environment: The process environment.
    /// - Returns: The exit status.
    static func main(_ tokens: [String], root: Command, environment: [String: String]) async -> ExitStatus {
        let language = GlobalOptions.preferredLanguage(in: tokens, environment: environment)
        return Console.settle(await run(tokens, root: root, environment: environment), language: language)
    }

    /// Resolves and runs the command; ``main(_:root:environment:)`` without settling its output.
    private static func run(_ tokens: [String], root: Command, environment: [String: String]) async -> ExitStatus {
        let language = GlobalOptions.preferredLanguage(in: tokens, environment: environment)
        let wantsJSON = tokens.contains("--json")
        let resolution: Resolution
        do {
            resolution = try resolve(tokens, root: root, environment: environment)
        } catch {
            report(error, language: language, json: wantsJSON)
            return error.status
        }
        switch resolution {
        case .help(let path):
            Console.write(HelpFormatter.help(for: path, in: language), to: .standardOutput)
            return .success
        case .version:
            Console.write("\(HelpFormatter.programName) \(version)\n", to: .standardOutput)
            return .success
        case .run(let path, let invocation):
            guard let action = path.last!.action else { return .success }
            do {
                return try await action(invocation)
            } catch {
                let failure = ErrorClassification.classify(error, zone: invocation.sessionZone.value)
                report(failure, language: invocation.language, json: invocation.globals.json)
                return failure.status
            }
        }
    }

    /// Writes a failure to standard error: the message (control characters escaped), and for usage
    /// errors where to find help.
    static func report(_ error: CLIError, language: Language, json: Bool) {
        if json,
            let body = try? Console.jsonString(
                [
                    "error": ErrorBody(
                        code: error.code.rawValue, message: error.message.text(in: language),
                        exitCode: error.status.rawValue)
                ])
        {
            Console.write(body + "\n", to: .standardError)
            return
        }
        let prefix = language == .english ? "Error: " : "Kesalahan: "
        // Escaped: the message may echo a caller's path or argument (see `Console`).
        var message = prefix + error.message.text(in: language).escapingControlCharacters + "\n"
        if let command = error.helpCommand {
            let name = ([HelpFormatter.programName] + command).joined(separator: " ")
            message +=
                language == .english
                ? "See '\(name) --help'.\n" : "Lihat '\(name) --help'.\n"
        }
        Console.write(message, to: .standardError)
    }

    /// The JSON form of an error (`--json`), on standard error.
    struct ErrorBody: Encodable {
        let code: String
        let message: String
        let exitCode: Int32
    }
}
