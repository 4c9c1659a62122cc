public import DapodikVerification
public import Foundation

/// What the portal needs from the app that starts it.
public struct PortalConfiguration: Sendable {
    /// The verification service the portal's screens drive.
    public var service: VerificationService
    /// The Maildir the demo's mailbox page shows; `nil` outside demo mode (the page does not exist).
    public var demoMaildir: URL?
    /// Whether cookies carry `Secure`: set it whenever browsers reach the portal over TLS (directly
    /// or through a TLS-terminating proxy), so the session cookie never travels in the clear.
    public var secureCookies: Bool
    /// Text for the login page in demo mode: who to log in as.
    public var demoHint: LocalizedText?

    /// Creates a configuration.
    /// - Parameters:
    ///   - service: The verification service.
    ///   - demoMaildir: The Maildir to show in demo mode, or `nil` (not a demo).
    ///   - secureCookies: Whether cookies carry `Secure`.
    ///   - demoHint: Text for the login page in demo mode.
    public init(
        service: VerificationService, demoMaildir: URL? = nil, secureCookies: Bool = false,
        demoHint: LocalizedText? = nil
    ) {
        self.service = service
        self.demoMaildir = demoMaildir
        self.secureCookies = secureCookies
        self.demoHint = demoHint
    }
}
