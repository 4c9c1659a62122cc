public import DapodikLanguage

/// A stored password credential that a ``PasswordHasher`` cannot use.
///
/// This is about the stored data, never about the password a person typed: a wrong password is
/// not an error. Switch on ``code``; show ``message`` to an administrator.
public struct PasswordHashError: LocalizedFailure, Hashable {
    /// What kind of problem this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"passwordHash.malformed"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// The credential is not a well-formed encoded hash.
        public static let malformed = Code("passwordHash.malformed")
        /// The credential names a hashing scheme this hasher does not implement.
        public static let unsupportedScheme = Code("passwordHash.unsupportedScheme")
        /// The credential's parameters (iterations, salt or hash length) are outside the range
        /// this hasher accepts, so using them could exhaust the machine or prove nothing.
        public static let parametersOutOfRange = Code("passwordHash.parametersOutOfRange")
    }

    /// What kind of problem this is.
    public let code: Code
    /// What went wrong, for a person.
    public let message: LocalizedText

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - indonesian: The message in Bahasa Indonesia.
    ///   - english: The message in English.
    public init(_ code: Code, indonesian: String, english: String) {
        self.code = code
        self.message = LocalizedText(indonesian: indonesian, english: english)
    }
}
