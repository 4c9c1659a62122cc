#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// An error that can explain itself to a person in every supported ``Language``.
///
/// Every error the library throws conforms, so an app can show `error.message.text(in: .english)`
/// whatever module it came from. `description` and Foundation's `localizedDescription` (through
/// `LocalizedError`) are the Indonesian text, the default language of everything a person reads.
/// Some messages are for whoever runs the server (a store's error names its files, a transport's its
/// programs): show those to administrators. `VerificationError` gives a plain `localizedDescription`
/// for its storage and busy errors.
public protocol LocalizedFailure: LocalizedError, Sendable, CustomStringConvertible {
    /// What went wrong, for a person, in Indonesian and English.
    var message: LocalizedText { get }
}

extension LocalizedFailure {
    /// The Indonesian message.
    public var description: String { message.indonesian }

    /// The Indonesian message, for `localizedDescription`; ``message(in:)`` gives the English one.
    public var errorDescription: String? { message.indonesian }

    // Foundation gives these three the same defaults, but a conforming type in a file that does not
    // import Foundation cannot see them (MemberImportVisibility): stated here, they always are.

    /// None: ``message`` says what went wrong and what to do in one text.
    public var failureReason: String? { nil }

    /// None: ``message`` says what went wrong and what to do in one text.
    public var recoverySuggestion: String? { nil }

    /// None.
    public var helpAnchor: String? { nil }

    /// The message in the given language.
    /// - Parameter language: The language to read.
    /// - Returns: The message in `language`.
    public func message(in language: Language) -> String { message.text(in: language) }
}
