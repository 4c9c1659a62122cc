import DapodikVerification
import Foundation

/// The options every command accepts, wherever they appear on the command line.
///
/// To add one (say `--store postgres://…` in its own file), declare it as a typed ``Option`` in an
/// extension, append it to ``all`` (the one line here), and read it where it is used with
/// `invocation.value(PostgresStoreOption.url)`: parsing, validation before the command runs, and
/// `--help` follow from the declaration. ``SMTPOption/url`` and ``PostgresStoreOption/url`` are such options.
struct GlobalOptions: Sendable, Equatable {
    /// The language of everything a person reads (`--lang id|en`, or `DAPODIK_LANG`; Indonesian by default).
    var language: Language = .indonesian
    /// Whether status-like output is JSON with stable keys (`--json`).
    var json = false
    /// The data directory: `--data`, else `DAPODIK_DATA`, else `./.dapodik-data`.
    var dataDirectory: String = GlobalOptions.defaultDataDirectory

    /// Every global option, in the order `--help` lists them.
    static let all: [any OptionDeclaration] = [language, json, data, sendmail, SMTPOption.url, PostgresStoreOption.url]

    /// The data directory used when neither `--data` nor `DAPODIK_DATA` says otherwise: a hidden
    /// directory in the current directory, so an example run never scatters state elsewhere and
    /// `rm -r .dapodik-data` starts over.
    static let defaultDataDirectory = ".dapodik-data"
    /// The environment variable naming the data directory.
    static let dataEnvironmentVariable = "DAPODIK_DATA"
    /// The environment variable naming the language.
    static let languageEnvironmentVariable = "DAPODIK_LANG"

    static let language = Option<Language>(
        "lang", "id|en", "Bahasa keluaran: id (Indonesia, bawaan) atau en (Inggris).",
        "Output language: id (Indonesian, the default) or en (English).", environment: languageEnvironmentVariable
    ) { text, _ throws(CLIError) in
        guard let language = Language(rawValue: text) else {
            throw CLIError.invalidValue(
                indonesian: "Bahasa tidak dikenal: \(text). Gunakan id atau en.",
                english: "Unknown language: \(text). Use id or en.")
        }
        return language
    }

    static let json = Flag(
        "json",
        "Keluaran status sebagai JSON dengan kunci yang stabil (standard output); kesalahan sebagai "
            + "{\"error\": {\"code\", \"exitCode\", \"message\"}} di standard error, tanpa pemberitahuan "
            + "menunggu; peringatan yang jarang sebagai satu baris {\"warning\": {\"code\", \"message\"}}.",
        "Print status-like output as JSON with stable keys (standard output); errors as "
            + "{\"error\": {\"code\", \"exitCode\", \"message\"}} on standard error, with no notices of "
            + "waiting; a rare warning as one line {\"warning\": {\"code\", \"message\"}}.")

    static let data = Option<String>(
        "data", "dir", "Direktori data (bawaan: $DAPODIK_DATA, atau ./.dapodik-data).",
        "The data directory (default: $DAPODIK_DATA, or ./.dapodik-data).", environment: dataEnvironmentVariable
    ) { text, _ throws(CLIError) in
        guard !text.isEmpty else {
            throw CLIError.invalidValue(
                indonesian: "Direktori data tidak boleh kosong.", english: "The data directory must not be empty.")
        }
        return text
    }

    static let sendmail = Option<String>(
        "sendmail", "path",
        "Kirim email lewat program sendmail ini (misalnya /usr/sbin/sendmail), bukan ke Maildir <data>/mail.",
        "Send mail through this sendmail program (such as /usr/sbin/sendmail) instead of the <data>/mail Maildir."
    ) { text, _ throws(CLIError) in
        guard !text.isEmpty else {
            throw CLIError.invalidValue(
                indonesian: "Path sendmail tidak boleh kosong.", english: "The sendmail path must not be empty.")
        }
        return text
    }

    /// Reads the language before anything else, so even an error about the command line is in the
    /// language the person asked for.
    /// - Returns: The language of `--lang` (or `DAPODIK_LANG`), or Indonesian when neither is given or
    ///   the value is not one the program knows (that case is reported later as a usage error).
    static func preferredLanguage(in tokens: [String], environment: [String: String]) -> Language {
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if token == "--" { break }
            if token == "--lang", index + 1 < tokens.count {
                return Language(rawValue: tokens[index + 1]) ?? .indonesian
            }
            if token.hasPrefix("--lang=") {
                return Language(rawValue: String(token.dropFirst("--lang=".count))) ?? .indonesian
            }
            index += 1
        }
        return environment[languageEnvironmentVariable].flatMap(Language.init(rawValue:)) ?? .indonesian
    }

    /// Builds the global options from parsed arguments (which carry the environment), checking the
    /// value of every global option, so a bad one is reported before the command runs anything.
    /// - Throws: ``CLIError`` (65) for a language other than `id` or `en`, or an empty path.
    init(parsed: ParsedArguments) throws(CLIError) {
        do {
            language = try Self.language.value(in: parsed) ?? .indonesian
        } catch {
            var error = error
            error.helpCommand = parsed.commandPath
            throw error
        }
        json = parsed.flags.contains(Self.json.spec.name)
        dataDirectory = try Self.data.value(in: parsed) ?? Self.defaultDataDirectory
        for option in Self.all { try option.validate(parsed) }
    }

    init() {}
}
