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
