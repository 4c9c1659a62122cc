import DapodikVerification

/// How one `--option` is written and explained: what the parser and `--help` read.
struct OptionSpec: Sendable {
    /// The name without the leading dashes.
    let name: String
    /// The word in `--name <placeholder>`; `nil` for a flag, which takes no value.
    let placeholder: String?
    let help: LocalizedText
    var isRequired = false
    /// The environment variable read when the option is not given (global options only).
    var environmentVariable: String?

    /// How the option is written in a synopsis: `--email <address>` or `--json`, the placeholder in
    /// the person's language (`--data <direktori>`).
    func synopsis(in language: Language) -> String {
        guard let placeholder else { return "--\(name)" }
        return "--\(name) <\(Placeholder.text(placeholder, in: language))>"
    }
}

/// An option declared once, with its type: the command lists it (for parsing and `--help`) and its
/// action reads it (``Invocation/value(_:)-swift.method``), so a misspelt name does not compile.
protocol OptionDeclaration: Sendable {
    var spec: OptionSpec { get }
    /// Converts the given text, so a bad value is reported before the command runs anything.
    func validate(_ parsed: ParsedArguments) throws(CLIError)
}

/// `--name <value>`, which may be left out: read as `Value?`.
struct Option<Value: Sendable>: OptionDeclaration {
    typealias Convert = @Sendable (_ text: String, _ name: String) throws(CLIError) -> Value
    let spec: OptionSpec
    let convert: Convert

    init(
        _ name: String, _ placeholder: String, _ indonesian: String, _ english: String,
        environment: String? = nil, convert: @escaping Convert
    ) {
        spec = OptionSpec(
            name: name, placeholder: placeholder, help: LocalizedText(indonesian: indonesian, english: english),
            environmentVariable: environment)
        self.convert = convert
    }

    /// The value given on the command line (or in its environment variable), converted.
    func value(in parsed: ParsedArguments) throws(CLIError) -> Value? {
        guard let text = parsed.values[spec.name] ?? spec.environmentVariable.flatMap({ parsed.environment[$0] })
        else { return nil }
        return try convert(text, spec.name)
    }

    func validate(_ parsed: ParsedArguments) throws(CLIError) { _ = try value(in: parsed) }
}

extension Option where Value == String {
    /// An option whose value is used as typed.
    init(_ name: String, _ placeholder: String, _ indonesian: String, _ english: String, environment: String? = nil) {
        self.init(name, placeholder, indonesian, english, environment: environment) { text, _ in text }
    }
}

/// `--name <value>` that must be given: read as `Value` (the parser refuses a command line without it).
struct RequiredOption<Value: Sendable>: OptionDeclaration {
    let spec: OptionSpec
    let convert: Option<Value>.Convert

    init(
        _ name: String, _ placeholder: String, _ indonesian: String, _ english: String,
        convert: @escaping Option<Value>.Convert
    ) {
        spec = OptionSpec(
            name: name, placeholder: placeholder, help: LocalizedText(indonesian: indonesian, english: english),
            isRequired: true)
        self.convert = convert
    }

    func value(in parsed: ParsedArguments) throws(CLIError) -> Value {
        guard let text = parsed.values[spec.name] else { throw ArgumentParser.missing(spec, parsed.commandPath) }
        return try convert(text, spec.name)
    }

    func validate(_ parsed: ParsedArguments) throws(CLIError) { _ = try value(in: parsed) }
}

extension RequiredOption where Value == String {
    /// A required option whose value is used as typed.
    init(_ name: String, _ placeholder: String, _ indonesian: String, _ english: String) {
        self.init(name, placeholder, indonesian, english) { text, _ in text }
    }
}

/// `--name` alone: read as `Bool`.
struct Flag: OptionDeclaration {
    let spec: OptionSpec

    init(_ name: String, _ indonesian: String, _ english: String) {
        spec = OptionSpec(name: name, placeholder: nil, help: LocalizedText(indonesian: indonesian, english: english))
    }

    func validate(_ parsed: ParsedArguments) throws(CLIError) {}
}

/// A positional argument, which must be given.
struct Argument: Sendable {
    let placeholder: String
    let help: LocalizedText

    init(_ placeholder: String, _ indonesian: String, _ english: String) {
        self.placeholder = placeholder
        self.help = LocalizedText(indonesian: indonesian, english: english)
    }

    /// `<placeholder>` in the person's language.
    func synopsis(in language: Language) -> String { "<\(Placeholder.text(placeholder, in: language))>" }
}

/// The words of `<placeholders>` in help and messages, in Indonesian when the person reads it.
enum Placeholder {
    /// The Indonesian word for each English placeholder that is not the same in both languages.
    static let indonesian: [String: String] = [
        "cursor": "kursor", "dir": "direktori", "key-id": "id-kunci", "name": "nama", "path": "jalur",
        "seconds": "detik", "destination": "tujuan", "message": "pesan", "code": "kode", "file": "berkas",
        "command": "perintah", "options": "opsi", "address": "alamat",
    ]

    /// `placeholder` in `language`.
    static func text(_ placeholder: String, in language: Language) -> String {
        language == .english ? placeholder : indonesian[placeholder] ?? placeholder
    }
}

/// The options and positional arguments of one command line, after parsing. Commands read them
/// through their typed declarations (``Invocation/value(_:)-swift.method``), never by name.
struct ParsedArguments: Sendable, Equatable {
    var values: [String: String] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []
    /// The command path (for error messages that point at `--help`, and ``ReadingCommands``).
    var commandPath: [String] = []
    /// Whether `--help` (or `-h`) was given: it wins over every missing option or argument.
    var wantsHelp = false
    /// The process environment, for options that fall back to a variable.
    var environment: [String: String] = [:]
}
