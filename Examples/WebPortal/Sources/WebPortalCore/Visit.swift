import DapodikVerification
import Hummingbird

/// One request as the portal sees it: the browser's session (new if it had none), the language,
/// and, for a POST, the form.
struct Visit: Sendable {
    /// The browser's session.
    var session: PortalSession
    /// Whether the session was started by this request, so its cookie must be set.
    var isNewSession: Bool
    /// The language of the pages: the `lang` cookie (``Portal/cookieName(_:)``), Indonesian unless it
    /// says English.
    let language: Language
    /// The path of the page the language switch comes back to: the request's, or for a form sent to
    /// an address that answers only `POST`, the page it was sent from
    /// (``Portal/page(answering:at:)``).
    let path: String

    /// The logged-in account, if any.
    var login: Session? { session.login }

    /// Text in the visit's language.
    /// - Parameters:
    ///   - indonesian: The Indonesian text.
    ///   - english: The English text.
    /// - Returns: One of them.
    func text(_ indonesian: String, _ english: String) -> String {
        language == .english ? english : indonesian
    }

    /// A library text in the visit's language.
    func text(_ localized: LocalizedText) -> String { localized.text(in: language) }
}
