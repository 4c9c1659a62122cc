public import DapodikVerification
public import Foundation
public import Logging

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
    /// Where the store's troubles (a lock another process holds, a disk or database failure) are
    /// written for the deployer, while the visitor is told only "try again".
    public var storeTroubleLogger: Logger
    /// What the service's mail transport last said of itself (give the service a transport it
    /// watches), so the code page says when no code can be sent until an administrator acts; `nil`
    /// when the portal is not told.
    public var mailWatch: MailTransportWatch?

    /// Creates a configuration.
    /// - Parameters:
    ///   - service: The verification service.
    ///   - demoMaildir: The Maildir to show in demo mode, or `nil` (not a demo).
    ///   - secureCookies: Whether cookies carry `Secure`.
    ///   - demoHint: Text for the login page in demo mode.
    ///   - storeTroubleLogger: Where the store's troubles are logged; a logger labelled
    ///     `dapodik-portal.store` unless given.
    ///   - mailWatch: The watch on the service's mail transport, if any.
    public init(
        service: VerificationService, demoMaildir: URL? = nil, secureCookies: Bool = false,
        demoHint: LocalizedText? = nil, storeTroubleLogger: Logger = Logger(label: "dapodik-portal.store"),
        mailWatch: MailTransportWatch? = nil
    ) {
        self.service = service
        self.demoMaildir = demoMaildir
        self.secureCookies = secureCookies
        self.demoHint = demoHint
        self.storeTroubleLogger = storeTroubleLogger
        self.mailWatch = mailWatch
    }
}
