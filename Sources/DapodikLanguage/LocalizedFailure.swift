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
