public import DapodikLanguage

/// A value that does not meet its format: an e-mail address, an NPSN, a NIK, a password, ….
///
/// Switch on ``code``; show ``message`` to a person. Codes are open (static members on
/// ``Code``), so new ones do not break clients, as in swift-subprocess's `SubprocessError`.
public struct ValidationError: LocalizedFailure, Hashable {
    /// What kind of problem this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"email.empty"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }
    }

    /// What kind of problem this is.
    public let code: Code
    /// The field that was wrong, such as `"email"` or `"nik"`.
    public let field: String
    /// What went wrong, for a person.
    public let message: LocalizedText

    /// Creates a validation error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - field: The field that was wrong.
    ///   - indonesian: The message in Bahasa Indonesia.
    ///   - english: The message in English.
    public init(_ code: Code, field: String, indonesian: String, english: String) {
        self.code = code
        self.field = field
        self.message = LocalizedText(indonesian: indonesian, english: english)
    }
}
