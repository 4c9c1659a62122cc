#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// What an incoming message says about the delivery of a message this library sent: a delivery
/// status notification (RFC 3464), a bounce in one of the common older formats, an auto-reply,
/// or none of those.
///
/// Pure: it reads bytes and decides nothing. Whether a report may change anything is the
/// caller's decision, on an authenticated return address (``returnAddresses``), never on the
/// report's own claims.
public struct BounceReport: Sendable, Hashable {
    /// What kind of message it is.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// A delivery status notification: `multipart/report; report-type=delivery-status`
        /// (RFC 3464, RFC 6522; also RFC 6533's `message/global-delivery-status`).
        case deliveryStatusNotification
        /// A bounce in an older, non-standard text format (qmail, classic Exim, a mailer daemon's
        /// plain text), read from its wording and the returned headers.
        case nonStandardBounce
        /// An automatic reply (RFC 3834 `Auto-Submitted`, a vacation or out-of-office message): it
        /// says nothing about delivery and changes nothing.
        case autoReply
        /// Anything else (a person's reply, a read receipt, spam): it changes nothing.
        case notABounce
    }

    /// What a report says happened to one recipient (RFC 3464 §2.3.3).
    public enum Action: String, Sendable, Hashable, Codable {
        /// Delivery failed for good.
        case failed
        /// Delivery is delayed; the reporting server keeps trying (``RecipientReport/willRetryUntil``).
        case delayed
        /// Delivered to the recipient's mailbox.
        case delivered
        /// Passed on to a system that sends no further reports.
        case relayed
        /// Delivered and forwarded on to other addresses (a mailing list, an alias).
        case expanded
    }

    /// One recipient's part of a report (RFC 3464 §2.3).
    public struct RecipientReport: Sendable, Hashable {
        /// The address the reporting server tried (`Final-Recipient`), without its `rfc822;` type.
        public var finalRecipient: String?
        /// The address as the original sender gave it (`Original-Recipient`), if reported.
        public var originalRecipient: String?
        /// What happened.
        public var action: Action
        /// The enhanced status code (RFC 3463).
        public var status: DeliveryStatusCode
        /// The receiving server's own words (`Diagnostic-Code`, without its `smtp;` type), on one
        /// line, control characters removed, at most ``BounceReport/maximumDiagnosticLength``
        /// characters. Text from outside: show it as data, never as markup.
        public var diagnostic: String?
        /// The server that gave up or delays (`Remote-MTA`), if reported.
        public var remoteMTA: String?
        /// Until when the reporting server keeps trying, for a delayed delivery (`Will-Retry-Until`).
        public var willRetryUntil: Date?

        /// Creates a recipient report (the reader makes them; tests and integrations may too).
        /// - Parameters:
        ///   - finalRecipient: The address tried.
        ///   - originalRecipient: The address as first given.
        ///   - action: What happened.
        ///   - status: The status code.
        ///   - diagnostic: The server's words.
        ///   - remoteMTA: The remote server.
        ///   - willRetryUntil: The end of retries, for a delay.
        public init(
            finalRecipient: String?, originalRecipient: String? = nil, action: Action, status: DeliveryStatusCode,
            diagnostic: String? = nil, remoteMTA: String? = nil, willRetryUntil: Date? = nil
        ) {
            self.finalRecipient = finalRecipient
            self.originalRecipient = originalRecipient
            self.action = action
            self.status = status
            self.diagnostic = diagnostic
            self.remoteMTA = remoteMTA
            self.willRetryUntil = willRetryUntil
        }
    }

    /// The longest ``RecipientReport/diagnostic`` kept, in characters.
    public static let maximumDiagnosticLength = 300

    /// What kind of message it is.
    public var kind: Kind
    /// One entry per recipient the report speaks of; empty for auto-replies and non-bounces.
    public var recipients: [RecipientReport]
    /// The Message-ID of the original message (without angle brackets), from the returned message
    /// or headers, if the bounce carries it.
    public var originalMessageID: String?
    /// The server that wrote the report (`Reporting-MTA`), if said.
    public var reportingMTA: String?
    /// Every address the message names as where it was delivered or where the original's bounces
    /// go (`Delivered-To`, `X-Original-To`, `Envelope-To`, `To`, the returned `Return-Path`,
    /// Postfix's `X-Postfix-Sender`), in that order, without duplicates: the candidates for a
    /// VERP return address. Untrusted: a caller must authenticate any it uses.
    public var returnAddresses: [String]

    /// Creates a report (the reader makes them; tests and integrations may too).
    /// - Parameters:
    ///   - kind: The kind of message.
    ///   - recipients: The recipient reports.
    ///   - originalMessageID: The original Message-ID, if known.
    ///   - reportingMTA: The reporting server, if known.
    ///   - returnAddresses: Candidate return addresses.
    public init(
        kind: Kind, recipients: [RecipientReport] = [], originalMessageID: String? = nil, reportingMTA: String? = nil,
        returnAddresses: [String] = []
    ) {
        self.kind = kind
        self.recipients = recipients
        self.originalMessageID = originalMessageID
        self.reportingMTA = reportingMTA
        self.returnAddresses = returnAddresses
    }

    /// The report that matters for a message sent to one address: the recipient whose final or
    /// original recipient is `address` (compared case-insensitively), else the first one; among
    /// several, a failure before a delay before anything else.
    /// - Parameter address: The address the original message went to, if known.
    /// - Returns: That recipient's report, or `nil` when the report has none.
    public func mostSevereReport(for address: String? = nil) -> RecipientReport? {
        func rank(_ report: RecipientReport) -> Int {
            switch report.action {
            case .failed: 0
            case .delayed: 1
            default: 2
            }
        }
        let wanted = address?.lowercased()
        let matching = recipients.filter {
            wanted != nil && ($0.finalRecipient?.lowercased() == wanted || $0.originalRecipient?.lowercased() == wanted)
        }
        return (matching.isEmpty ? recipients : matching).min { rank($0) < rank($1) }
    }
}
