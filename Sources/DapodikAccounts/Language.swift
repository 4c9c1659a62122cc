/// A language in which the library speaks to people: e-mails, error messages, CLI output.
///
/// Bahasa Indonesia is the default for this domain; English is available on request.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    /// Bahasa Indonesia, the default.
    case indonesian = "id"
    /// English.
    case english = "en"

    /// The default language of the Dapodik domain: Bahasa Indonesia.
    public static let `default`: Language = .indonesian
}

/// A text a person reads, in every supported ``Language``.
public struct LocalizedText: Sendable, Hashable, Codable {
    /// The Indonesian text.
    public var indonesian: String
    /// The English text.
    public var english: String

    /// Creates a text from its Indonesian and English versions.
    /// - Parameters:
    ///   - indonesian: The text in Bahasa Indonesia.
    ///   - english: The same text in English.
    public init(indonesian: String, english: String) {
        self.indonesian = indonesian
        self.english = english
    }

    /// The text in the given language.
    /// - Parameter language: The language to read.
    /// - Returns: The version of the text in `language`.
    public func text(in language: Language) -> String {
        switch language {
        case .indonesian: indonesian
        case .english: english
        }
    }
}

/// An error that can explain itself to a person in every supported ``Language``.
///
/// Every error the library throws conforms, so an app can show `error.message.text(in: .english)`
/// whatever module it came from. `description` is the Indonesian text.
public protocol LocalizedFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, for a person, in Indonesian and English.
    var message: LocalizedText { get }
}

extension LocalizedFailure {
    /// The Indonesian message.
    public var description: String { message.indonesian }

    /// The message in the given language.
    /// - Parameter language: The language to read.
    /// - Returns: The message in `language`.
    public func message(in language: Language) -> String { message.text(in: language) }
}
