import DapodikVerification

/// One `--option` a command accepts.
struct OptionSpec: Sendable {
    /// Whether the option stands alone or takes a value.
    enum Kind: Sendable, Equatable {
        /// `--json`: present or not.
        case flag
        /// `--email <address>`: takes one value, written `--email x` or `--email=x`.
        case value(placeholder: String)
    }

    /// The name without the leading dashes.
    let name: String
    let kind: Kind
    let help: LocalizedText
    var isRequired = false
    var isRepeatable = false

    /// A flag option.
    static func flag(_ name: String, _ indonesian: String, _ english: String) -> OptionSpec {
        OptionSpec(name: name, kind: .flag, help: LocalizedText(indonesian: indonesian, english: english))
    }

    /// An option that takes a value.
    static func value(
        _ name: String, _ placeholder: String, _ indonesian: String, _ english: String, required: Bool = false
    ) -> OptionSpec {
        OptionSpec(
            name: name, kind: .value(placeholder: placeholder),
            help: LocalizedText(indonesian: indonesian, english: english), isRequired: required)
    }

    /// How the option is written in a synopsis: `--email <address>` or `--json`, the placeholder in
    /// the person's language (`--data <direktori>`).
    func synopsis(in language: Language) -> String {
        switch kind {
        case .flag: "--\(name)"
        case .value(let placeholder): "--\(name) <\(Placeholder.text(placeholder, in: language))>"
        }
    }
}

/// The words of `<placeholders>` in help and messages, in Indonesian when the person reads it.
enum Placeholder {
    /// The Indonesian word for each English placeholder that is not the same in both languages.
    static let indonesian: [String: String] = [
        "cursor": "kursor", "dir": "direktori", "key-id": "id-kunci", "name": "nama", "path": "jalur",
        "seconds": "detik", "destination": "tujuan", "message": "pesan", "code": "kode", "file": "berkas",
        "command": "perintah", "options": "opsi",
    ]

    /// `placeholder` in `language`.
    static func text(_ placeholder: String, in language: Language) -> String {
        language == .english ? placeholder : indonesian[placeholder] ?? placeholder
    }
}

/// A positional argument a command accepts.
struct ArgumentSpec: Sendable {
    let placeholder: String
    let help: LocalizedText

    /// `<placeholder>` in the person's language.
    func synopsis(in language: Language) -> String { "<\(Placeholder.text(placeholder, in: language))>" }
    var isOptional = false

    init(_ placeholder: String, _ indonesian: String, _ english: String, optional: Bool = false) {
        self.placeholder = placeholder
        self.help = LocalizedText(indonesian: indonesian, english: english)
        self.isOptional = optional
    }
}
