package import DapodikLanguage

/// The answer to "may this account manage that one?": allowed, or denied with the reason.
package enum ManagementDecision: Sendable, Hashable {
    /// The actor may manage the target.
    case allowed
    /// The actor may not; the denial says why, for code and for people.
    case denied(ManagementDenial)

    /// Whether the decision allows.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}

/// Why an account may not manage another. Conforms to ``LocalizedFailure`` so a service can throw
/// it as it is.
package struct ManagementDenial: LocalizedFailure, Hashable {
    /// The kind of denial. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"management.otherSchool"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// The target belongs to another school.
        public static let otherSchool = Code("management.otherSchool")
        /// The actor is an operator whose own e-mail is not verified yet.
        public static let actorEmailNotVerified = Code("management.actorEmailNotVerified")
        /// The actor's role manages no account but its own.
        public static let roleManagesOnlyItself = Code("management.roleManagesOnlyItself")
        /// The actor's role may not manage an account of the target's role.
        public static let targetRoleNotManageable = Code("management.targetRoleNotManageable")
    }

    /// The kind of denial.
    public let code: Code
    /// Why, for a person.
    public let message: LocalizedText

    /// Creates a denial.
    /// - Parameters:
    ///   - code: The kind of denial.
    ///   - indonesian: The reason in Bahasa Indonesia.
    ///   - english: The reason in English.
    public init(_ code: Code, indonesian: String, english: String) {
        self.code = code
        self.message = LocalizedText(indonesian: indonesian, english: english)
    }
}
