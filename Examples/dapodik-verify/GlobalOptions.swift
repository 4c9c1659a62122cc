import DapodikVerification
import Foundation

/// The options every command accepts, wherever they appear on the command line.
struct GlobalOptions: Sendable, Equatable {
    /// The language of everything a person reads (`--lang id|en`, or `DAPODIK_LANG`; Indonesian by default).
    var language: Language = .indonesian
    /// Whether status-like output is JSON with stable keys (`--json`).
    var json = false
    /// The data directory: `--data`, else `DAPODIK_DATA`, else `./.dapodik-data`.
    var dataDirectory: String = GlobalOptions.defaultDataDirectory
    /// A sendmail-compatible program to send mail with instead of the Maildir in the data directory.
    var sendmailPath: String?
    /// An SMTP submission URL (`--smtp smtps://user@host:465`); see ``SMTPOption``.
    var smtpURL: String?
    /// A PostgreSQL URL for the records (`--store postgres://…`); see ``PostgresStoreOption``.
    var storeURL: String?

    /// The data directory used when neither `--data` nor `DAPODIK_DATA` says otherwise: a hidden
    /// directory in the current directory, so an example run never scatters state elsewhere and
    /// `rm -r .dapodik-data` starts over.
    static let defaultDataDirectory = ".dapodik-data"
    /// The environment variable naming the data directory.
    static let dataEnvironmentVariable = "DAPODIK_DATA"
    /// The environment variable naming the language.
    static let languageEnvironmentVariable = "DAPODIK_LANG"

    /// The options themselves, for parsing and `--help`.
    static let specs: [OptionSpec] = [
        .value(
            "lang", "id|en", "Bahasa keluaran: id (Indonesia, bawaan) atau en (Inggris).",
            "Output language: id (Indonesian, the default) or en (English)."),
        .flag(
            "json", "Keluaran status sebagai JSON dengan kunci yang stabil.",
            "Print status-like output as JSON with stable keys."),
        .value(
            "data", "dir", "Direktori data (bawaan: $DAPODIK_DATA, atau ./.dapodik-data).",
            "The data directory (default: $DAPODIK_DATA, or ./.dapodik-data)."),
        .value(
            "sendmail", "path",
            "Kirim email lewat program sendmail ini (misalnya /usr/sbin/sendmail), bukan ke Maildir <data>/mail.",
            "Send mail through this sendmail program (such as /usr/sbin/sendmail) instead of the <data>/mail Maildir."),
        .value(
            "smtp", "url",
            "Kirim email langsung ke server SMTP: smtps://pengguna@host:465 atau smtp://pengguna@host:587 "
                + "(kata sandi dari $DAPODIK_SMTP_PASSWORD atau berkas $DAPODIK_SMTP_PASSWORD_FILE).",
            "Submit mail straight to an SMTP server: smtps://user@host:465 or smtp://user@host:587 "
                + "(password from $DAPODIK_SMTP_PASSWORD or the file $DAPODIK_SMTP_PASSWORD_FILE)."),
        .value(
            "store", "url",
            "Simpan data di PostgreSQL: postgres://pengguna@host:5432/basisdata (kata sandi dari $PGPASSWORD "
                + "atau berkas $DAPODIK_PGPASSWORD_FILE).",
            "Keep the records in PostgreSQL: postgres://user@host:5432/database (password from $PGPASSWORD "
                + "or the file $DAPODIK_PGPASSWORD_FILE)."),
    ]

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

    /// Builds the global options from parsed arguments and the environment.
    /// - Throws: ``CLIError`` (usage) for a language other than `id` or `en`, or an empty path.
    init(parsed: ParsedArguments, environment: [String: String]) throws(CLIError) {
        if let lang = parsed.value("lang") ?? environment[Self.languageEnvironmentVariable] {
            guard let language = Language(rawValue: lang) else {
                var error = CLIError.invalidValue(
                    indonesian: "Bahasa tidak dikenal: \(lang). Gunakan id atau en.",
                    english: "Unknown language: \(lang). Use id or en.")
                error.helpCommand = parsed.commandPath
                throw error
            }
            self.language = language
        }
        self.json = parsed.has("json")
        if let data = parsed.value("data") ?? environment[Self.dataEnvironmentVariable] {
            guard !data.isEmpty else {
                throw CLIError.invalidValue(
                    indonesian: "Direktori data tidak boleh kosong.",
                    english: "The data directory must not be empty.")
            }
            self.dataDirectory = data
        }
        if let sendmail = parsed.value("sendmail") {
            guard !sendmail.isEmpty else {
                throw CLIError.invalidValue(
                    indonesian: "Path sendmail tidak boleh kosong.",
                    english: "The sendmail path must not be empty.")
            }
            self.sendmailPath = sendmail
        }
        self.smtpURL = parsed.value("smtp")
        self.storeURL = parsed.value("store")
    }

    init() {}
}
