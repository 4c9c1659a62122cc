import DapodikVerification

/// A failure of the command-line program itself (as opposed to a refusal by the library): a wrong
/// command line, an unreadable file, bad CSV data, a missing password.
///
/// Carries the exit status it ends the program with, and a message in both languages.
struct CLIError: LocalizedFailure, Equatable {
    /// What kind of failure this is; compare with the static members.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name (also the `code` key of `--json` errors).
        let rawValue: String
        init(_ rawValue: String) { self.rawValue = rawValue }
        var description: String { rawValue }

        static let unknownCommand = Code("usage.unknownCommand")
        static let unknownOption = Code("usage.unknownOption")
        static let missingValue = Code("usage.missingValue")
        static let unexpectedValue = Code("usage.unexpectedValue")
        static let repeatedOption = Code("usage.repeatedOption")
        static let missingOption = Code("usage.missingOption")
        static let invalidValue = Code("usage.invalidValue")
        static let unexpectedArgument = Code("usage.unexpectedArgument")
        static let missingArgument = Code("usage.missingArgument")
        static let missingCommand = Code("usage.missingCommand")
        static let fileStoreOnly = Code("usage.fileStoreOnly")
        static let passwordUnavailable = Code("input.passwordUnavailable")
        static let passwordMismatch = Code("input.passwordMismatch")
        static let badData = Code("data.invalid")
        static let fileUnreadable = Code("io.fileUnreadable")
        static let dataDirectory = Code("io.dataDirectory")
        static let readOnlyStore = Code("io.readOnlyStore")
        static let noDataDirectory = Code("input.noDataDirectory")
        static let keyMismatch = Code("io.keyMismatch")
        static let mailProgramUnavailable = Code("unavailable.mailProgram")
        static let notFound = Code("refused.notFound")
        static let wrongRole = Code("refused.wrongRole")
        static let keyStillInUse = Code("tryLater.keyStillInUse")
        static let keyFileLocked = Code("tryLater.keyFileLocked")
        static let noCodeInMessage = Code("refused.noCodeInMessage")
    }

    /// What kind of failure this is.
    let code: Code
    /// What went wrong, for a person.
    let message: LocalizedText
    /// The status the program exits with.
    let status: ExitStatus
    /// The command whose `--help` explains the right usage, for usage errors.
    var helpCommand: [String]?

    init(_ code: Code, status: ExitStatus, indonesian: String, english: String, helpCommand: [String]? = nil) {
        self.code = code
        self.status = status
        self.message = LocalizedText(indonesian: indonesian, english: english)
        self.helpCommand = helpCommand
    }

    /// A usage error (exit status 64): the command line's shape is wrong.
    static func usage(_ code: Code, indonesian: String, english: String) -> CLIError {
        CLIError(code, status: .usage, indonesian: indonesian, english: english)
    }

    /// A value that is not valid (exit status 65), wherever it was given.
    static func invalidValue(indonesian: String, english: String) -> CLIError {
        CLIError(.invalidValue, status: .dataError, indonesian: indonesian, english: english)
    }
}
