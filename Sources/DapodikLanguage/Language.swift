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
