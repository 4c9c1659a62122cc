public import DapodikLanguage

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// Something the codes module refuses: a malformed code typed by a person, a weak key, an invalid
/// policy, an issue the policy does not allow, or a transformation that does not apply.
///
/// Switch on ``code``; show ``message`` to a person. Codes are open (static members on ``Code``),
/// so new ones do not break clients, as in swift-subprocess's `SubprocessError`. Whatever threw,
/// nothing was changed: every operation of this module returns new values instead of mutating.
public struct CodeError: LocalizedFailure, Hashable {
    /// What kind of problem this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"code.wrongLength"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// Nothing but spaces (or nothing at all) was typed where a code was expected.
        public static let empty = Code("code.empty")
        /// The typed code has too few or too many digits.
        public static let wrongLength = Code("code.wrongLength")
        /// The typed code contains something other than digits, spaces and hyphens.
        public static let invalidCharacter = Code("code.invalidCharacter")
        /// A code length outside ``VerificationCode/supportedLengths`` was asked for.
        public static let unsupportedLength = Code("code.unsupportedLength")
        /// A code's length differs from the policy's ``VerificationPolicy/codeLength``.
        public static let lengthMismatch = Code("code.lengthMismatch")
        /// A code key is shorter than ``CodeKey/minimumLength`` bytes.
        public static let keyTooShort = Code("code.keyTooShort")
        /// A code key is not valid Base64.
        public static let invalidKeyEncoding = Code("code.invalidKeyEncoding")
        /// A key identifier is empty, too long, or contains characters other than letters, digits,
        /// `.`, `_` and `-`.
        public static let invalidKeyID = Code("code.invalidKeyID")
        /// Two keys of a key ring share one identifier.
        public static let duplicateKeyID = Code("code.duplicateKeyID")
        /// No key of the ring has the given identifier.
        public static let unknownKey = Code("code.unknownKey")
        /// The key that issues codes cannot be retired; rotate to a new one first.
        public static let cannotRetireCurrentKey = Code("code.cannotRetireCurrentKey")
        /// A policy setting is out of its range.
        public static let invalidPolicy = Code("code.invalidPolicy")
        /// The policy does not allow issuing a code now; `refusalReason` says why.
        public static let issueRefused = Code("code.issueRefused")
        /// The challenge has no code with the given number.
        public static let unknownCodeNumber = Code("code.unknownCodeNumber")
        /// A time is earlier than the event it follows (a hand-over before the code was issued).
        public static let invalidTime = Code("code.invalidTime")
        /// The challenge is verified, cancelled or exhausted and cannot change any more.
        public static let challengeClosed = Code("code.challengeClosed")
        /// Stored data (a challenge or a digest) does not satisfy its invariants.
        public static let invalidStoredData = Code("code.invalidStoredData")
    }

    /// What kind of problem this is.
    public let code: Code
    /// What went wrong, for a person.
    public let message: LocalizedText
    /// Why the policy refused an issue, when ``code`` is ``Code/issueRefused``.
    package let refusalReason: IssueRefusalReason?
    /// When an issue refused for a passing reason becomes allowed, if it ever does.
    public let allowedAt: Date?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - indonesian: The message in Bahasa Indonesia.
    ///   - english: The message in English.
    public init(_ code: Code, indonesian: String, english: String) {
        self.code = code
        self.message = LocalizedText(indonesian: indonesian, english: english)
        self.refusalReason = nil
        self.allowedAt = nil
    }

    /// An ``Code/issueRefused`` error carrying the policy's reason.
    init(refusal reason: IssueRefusalReason, allowedAt: Date?) {
        self.code = .issueRefused
        self.message = reason.message
        self.refusalReason = reason
        self.allowedAt = allowedAt
    }
}
