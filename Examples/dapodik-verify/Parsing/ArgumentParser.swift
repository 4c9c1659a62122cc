import DapodikVerification

/// Parses the words after a command's name against the options it accepts, without any package.
///
/// The rules are the common POSIX/GNU ones (POSIX.1-2017 XBD §12.2, GNU long options):
/// `--name value` and `--name=value` for an option with a value; `--flag` for a flag; `-h` is
/// `--help`; `--` ends the options, so everything after it is positional even if it starts with a
/// dash; a lone `-` is positional (standard input). An option given twice is an error unless it may
/// repeat, so a script never has one value silently override another.
enum ArgumentParser {
    /// Parses `tokens`.
    /// - Parameters:
    ///   - tokens: The words after the command path.
    ///   - options: Every option the command accepts (including the global ones).
    ///   - arguments: The positional arguments the command accepts, in order.
    ///   - commandPath: The command's path, for messages pointing at its `--help`.
    /// - Returns: The parsed options, flags and positional arguments.
    /// - Throws: ``CLIError`` with status 64 for an unknown option (with a "did you mean" when one is
    ///   close), a missing or unexpected value, a repeated option, a missing required option, or a
    ///   wrong number of positional arguments. `--help` is *not* an error: it sets `wantsHelp`.
    static func parse(
        _ tokens: [String], options: [OptionSpec], arguments: [Argument], commandPath: [String]
    ) throws(CLIError) -> ParsedArguments {
        var parsed = ParsedArguments(commandPath: commandPath)
        let byName = Dictionary(options.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        func fail(_ code: CLIError.Code, _ indonesian: String, _ english: String) -> CLIError {
            CLIError(code, status: .usage, indonesian: indonesian, english: english, helpCommand: commandPath)
        }
        var remaining = tokens[...]
        while let token = remaining.popFirst() {
            if token == "--" {
                parsed.positionals += remaining
                break
            }
            if token == "-" || !token.hasPrefix("-") {
                parsed.positionals.append(token)
                continue
            }
            guard token.hasPrefix("--") || token == "-h" else {
                throw fail(
                    .unknownOption,
                    "Opsi tidak dikenal: \(token). Opsi ditulis dengan dua tanda minus, misalnya --help.",
                    "Unknown option: \(token). Options are written with two dashes, for example --help.")
            }
            let body = token == "-h" ? "help" : token.dropFirst(2)[...]
            let name = String(body.prefix { $0 != "=" })
            let inlineValue = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
            if name == "help" {
                guard inlineValue == nil else {
                    throw fail(
                        .unexpectedValue, "Opsi --help tidak memerlukan nilai.", "The option --help takes no value.")
                }
                parsed.wantsHelp = true
                continue
            }
            guard let spec = byName[name] else {
                let suggestion = closestName(to: name, among: options.map(\.name) + ["help"])
                throw fail(
                    .unknownOption,
                    "Opsi tidak dikenal: --\(name)." + (suggestion.map { " Maksud Anda --\($0)?" } ?? ""),
                    "Unknown option: --\(name)." + (suggestion.map { " Did you mean --\($0)?" } ?? ""))
            }
            guard spec.placeholder != nil || inlineValue == nil else {
                throw fail(
                    .unexpectedValue, "Opsi --\(name) tidak memerlukan nilai.", "The option --\(name) takes no value.")
            }
            guard !parsed.flags.contains(name), parsed.values[name] == nil else {
                throw fail(
                    .repeatedOption, "Opsi --\(name) diberikan lebih dari sekali.",
                    "The option --\(name) was given more than once.")
            }
            guard let placeholder = spec.placeholder else {
                parsed.flags.insert(name)
                continue
            }
            if let value = inlineValue ?? remaining.first.flatMap({ namesKnownOption($0, byName) ? nil : $0 }) {
                if inlineValue == nil { remaining.removeFirst() }
                parsed.values[name] = value
            } else {
                throw fail(
                    .missingValue, "Opsi --\(name) memerlukan nilai <\(placeholder)>.",
                    "The option --\(name) needs a value <\(placeholder)>.")
            }
        }
        if parsed.wantsHelp { return parsed }
        if let missing = options.first(where: { $0.isRequired && parsed.values[$0.name] == nil }) {
            throw Self.missing(missing, commandPath)
        }
        if parsed.positionals.count < arguments.count {
            let missing = arguments[parsed.positionals.count]
            throw fail(
                .missingArgument, "Argumen \(missing.synopsis(in: .indonesian)) wajib diisi.",
                "The argument \(missing.synopsis(in: .english)) is required.")
        }
        if parsed.positionals.count > arguments.count {
            let extra = parsed.positionals[arguments.count]
            throw fail(.unexpectedArgument, "Argumen tidak terduga: \(extra).", "Unexpected argument: \(extra).")
        }
        // An empty argument (`""`, an unset shell variable) names no file and no code: said as such,
        // rather than read as the current directory or as a file that cannot be read.
        if let empty = parsed.positionals.indices.first(where: { parsed.positionals[$0].isEmpty }) {
            throw CLIError.invalidValue(
                indonesian: "Argumen \(arguments[empty].synopsis(in: .indonesian)) kosong.",
                english: "The argument \(arguments[empty].synopsis(in: .english)) is empty.")
        }
        return parsed
    }

    /// The usage error for a required option that was not given.
    static func missing(_ spec: OptionSpec, _ commandPath: [String]) -> CLIError {
        CLIError(
            .missingOption, status: .usage, indonesian: "Opsi \(spec.synopsis(in: .indonesian)) wajib diisi.",
            english: "The option \(spec.synopsis(in: .english)) is required.", helpCommand: commandPath)
    }

    /// Whether a word is another option of the command (so it is not taken as a missing value).
    private static func namesKnownOption(_ word: String, _ byName: [String: OptionSpec]) -> Bool {
        guard word.hasPrefix("--") else { return word == "-h" }
        let name = word.dropFirst(2).prefix { $0 != "=" }
        return name == "help" || byName[String(name)] != nil
    }

    /// The candidate closest to `name` by edit distance, if it is close enough to be a typo.
    static func closestName(to name: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(name, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        return best.1 <= max(1, min(3, name.count / 3)) ? best.0 : nil
    }

    /// The optimal-string-alignment distance between two strings: insertions, deletions,
    /// substitutions and transpositions of neighbours (`emial` → `email`) each cost one.
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let left = Array(lhs)
        let right = Array(rhs)
        guard !left.isEmpty else { return right.count }
        guard !right.isEmpty else { return left.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: right.count + 1), count: left.count + 1)
        for i in 0...left.count { table[i][0] = i }
        for j in 0...right.count { table[0][j] = j }
        for i in 1...left.count {
            for j in 1...right.count {
                let cost = left[i - 1] == right[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, left[i - 1] == right[j - 2], left[i - 2] == right[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[left.count][right.count]
    }
}
