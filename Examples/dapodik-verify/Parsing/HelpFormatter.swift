import DapodikVerification

/// Writes the `--help` text of a command: what it does, its usage line, arguments, options,
/// subcommands and examples, in the person's language.
enum HelpFormatter {
    /// The program's name as people type it.
    static let programName = "dapodik-verify"

    /// The help text of the command at the end of `path`.
    /// - Parameters:
    ///   - path: The commands from the root to the one to explain (the root alone for the program).
    ///   - language: The language to write in.
    /// - Returns: The whole help text, ending with a newline.
    static func help(for path: [Command], in language: Language) -> String {
        let command = path.last!
        let names = [programName] + path.dropFirst().map(\.name)
        let fullName = names.joined(separator: " ")
        func pick(_ localized: LocalizedText) -> String { localized.text(in: language) }
        func heading(_ indonesian: String, _ english: String) -> String {
            language == .english ? english : indonesian
        }
        var out = "\(fullName) — \(pick(command.summary))\n\n"
        out += heading("PENGGUNAAN", "USAGE") + "\n"
        out += wrap(words: usage(for: path, in: language), width: lineWidth - 2)
            .enumerated().map { ($0.offset == 0 ? "  " : "      ") + $0.element + "\n" }.joined()
        if let discussion = command.discussion {
            out += "\n" + indent(pick(discussion), by: 2) + "\n"
        }
        if !command.arguments.isEmpty {
            out += "\n" + heading("ARGUMEN", "ARGUMENTS") + "\n"
            out += table(command.arguments.map { ($0.synopsis(in: language), pick($0.help)) })
        }
        if !command.subcommands.isEmpty {
            out += "\n" + heading("PERINTAH", "COMMANDS") + "\n"
            out += table(command.subcommands.map { ($0.name, pick($0.summary)) })
        }
        if !command.options.isEmpty {
            out += "\n" + heading("OPSI", "OPTIONS") + "\n"
            out += table(
                command.options.map(\.spec).map { option in
                    let required = option.isRequired ? heading(" (wajib)", " (required)") : ""
                    return (option.synopsis(in: language), pick(option.help) + required)
                })
        }
        out += "\n" + heading("OPSI UMUM", "GLOBAL OPTIONS") + "\n"
        let globals = GlobalOptions.all.map(\.spec).filter {
            $0.name != GlobalOptions.json.spec.name || command.supportsJSON || path.count == 1
        }
        out += table(
            globals.map { ($0.synopsis(in: language), pick($0.help)) }
                + [("-h, --help", heading("Tampilkan bantuan ini.", "Show this help."))]
                + (path.count == 1
                    ? [("--version", heading("Tampilkan versi program.", "Show the program's version."))] : []))
        if path.count == 1 {
            out += "\n" + heading("KODE KELUAR", "EXIT CODES") + "\n"
            out += table(ExitStatus.allCases.map { (String($0.rawValue), pick($0.meaning)) })
            out += "\n" + heading("LINGKUNGAN", "ENVIRONMENT") + "\n"
            out += table([
                (
                    GlobalOptions.dataEnvironmentVariable,
                    heading("direktori data bila --data tidak diberikan", "the data directory when --data is not given")
                ),
                (
                    GlobalOptions.languageEnvironmentVariable,
                    heading(
                        "bahasa (id atau en) bila --lang tidak diberikan",
                        "the language (id or en) when --lang is not given")
                ),
                (
                    ServiceContext.senderEnvironmentVariable,
                    heading(
                        "alamat pengirim setiap email (bawaan \(ServiceContext.defaultSender), alamat contoh; isi "
                            + "alamat sungguhan sebelum memakai --sendmail)",
                        "the sender address of every e-mail (default \(ServiceContext.defaultSender), an example "
                            + "address; set a real one before using --sendmail)")
                ),
            ])
            out += "\n" + heading("ATURAN KODE KELUAR", "EXIT CODE RULE") + "\n"
            let rule =
                heading(
                    "Bentuk baris perintah salah, atau kata sandi tidak diberikan: 64. Nilai tidak valid (opsi, "
                        + "argumen, baris CSV, variabel lingkungan): 65. Direktori data, atau berkas/folder masukan "
                        + "yang disebut, tidak ada: 66. Bisa berhasil bila dicoba lagi nanti: 75. Ditolak dan menunggu "
                        + "tidak mengubahnya: 1.",
                    "The command line's shape is wrong, or a password is not given: 64. A value is not valid "
                        + "(option, argument, CSV row, environment variable): 65. No data directory, or no input "
                        + "file or folder where one is named: 66. Will succeed if tried again later: 75. Refused, "
                        + "and waiting will not change that: 1."
                )
            out += wrap(rule, width: lineWidth - 2).map { "  " + $0 + "\n" }.joined()
        }
        if !command.examples.isEmpty {
            out += "\n" + heading("CONTOH", "EXAMPLES") + "\n"
            out += command.examples.map { "  " + $0 + "\n" }.joined()
        }
        if !command.subcommands.isEmpty {
            out +=
                "\n"
                + heading(
                    "Ketik '\(fullName) <perintah> --help' untuk bantuan tiap perintah.",
                    "Type '\(fullName) <command> --help' for help on each command.") + "\n"
        }
        return out
    }

    /// The words of the usage line: the command, each of its options (the optional ones in
    /// brackets), `[options]` for the global ones, and its arguments; an option is one word.
    static func usage(for path: [Command], in language: Language) -> [String] {
        let command = path[path.count - 1]
        let names = [programName] + path.dropFirst().map(\.name)
        guard command.subcommands.isEmpty else { return names + ["<\(Placeholder.text("command", in: language))>"] }
        return names
            + command.options.map(\.spec).map {
                $0.isRequired ? $0.synopsis(in: language) : "[\($0.synopsis(in: language))]"
            }
            + ["[\(Placeholder.text("options", in: language))]"] + command.arguments.map { $0.synopsis(in: language) }
    }

    /// The column where help text wraps (a common terminal is 80 wide; help reads well up to 100).
    static let lineWidth = 100

    private static func table(_ rows: [(String, String)]) -> String {
        let width = min(30, rows.map(\.0.count).max() ?? 0)
        let padding = String(repeating: " ", count: width + 4)
        var out = ""
        for (left, right) in rows {
            let lines = wrap(right, width: max(30, lineWidth - width - 4))
            if left.count > width {
                out += "  \(left)\n"
                out += lines.map { padding + $0 + "\n" }.joined()
            } else {
                out += "  " + left + String(repeating: " ", count: width - left.count + 2) + lines[0] + "\n"
                out += lines.dropFirst().map { padding + $0 + "\n" }.joined()
            }
        }
        return out
    }

    /// Splits a text into lines of at most `width` characters, at spaces.
    static func wrap(_ string: String, width: Int) -> [String] {
        wrap(words: string.split(separator: " ").map(String.init), width: width)
    }

    /// Joins words into lines of at most `width` characters (a longer word stands alone).
    static func wrap(words: [String], width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in words {
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        lines.append(current)
        return lines
    }

    private static func indent(_ string: String, by spaces: Int) -> String {
        let padding = String(repeating: " ", count: spaces)
        return string.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : padding + $0 }
            .joined(separator: "\n")
    }
}
