#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// One state change in the verification service: the audit trail and the Dapodik sync feed.
///
/// Events are written in the same commit as the change they describe, never updated, and read in
/// commit order with ``VerificationService/events(after:limit:)``. They carry no secret: no code,
/// no password, no digest.
public struct VerificationEvent: Sendable, Hashable, Codable {
    /// What happened. Compare with the static members; new kinds may be added.
    public struct Kind: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The stable, machine-readable name of the kind.
        public let rawValue: String

        /// Creates a kind from its stable name.
        /// - Parameter rawValue: The kind's name, e.g. `"emailVerified"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The kind's stable name.
        public var description: String { rawValue }

        /// Decodes the kind from its name.
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Encodes the kind as its name.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// A school and its operator were created.
        public static let schoolCreated = Kind("schoolCreated")
        /// An operator registered a PTK account.
        public static let accountRegistered = Kind("accountRegistered")
        /// An account's e-mail address changed (``VerificationEvent/email`` is the new one).
        public static let emailChanged = Kind("emailChanged")
        /// An account's password changed (or was rehashed with new parameters: see ``VerificationEvent/detail``).
        public static let passwordChanged = Kind("passwordChanged")
        /// A code was issued and its e-mail queued.
        public static let codeIssued = Kind("codeIssued")
        /// A code e-mail was handed to the mail transport.
        public static let codeDelivered = Kind("codeDelivered")
        /// A delivery attempt failed; ``VerificationEvent/detail`` says how and whether it is retried.
        public static let deliveryFailed = Kind("deliveryFailed")
        /// A code e-mail was not sent because its code had expired or its challenge had closed.
        public static let deliveryAbandoned = Kind("deliveryAbandoned")
        /// The notice to the old address of a changed e-mail was handed to the transport.
        public static let noticeDelivered = Kind("noticeDelivered")
        /// A submitted code was wrong or expired.
        public static let codeRejected = Kind("codeRejected")
        /// An e-mail address became verified (``VerificationEvent/email``).
        public static let emailVerified = Kind("emailVerified")
        /// An open challenge was cancelled (the address changed).
        public static let challengeCancelled = Kind("challengeCancelled")
        /// Failed logins locked an identifier or account for a while, or (``VerificationEvent/detail``
        /// says so) until it is unlocked.
        public static let loginLocked = Kind("loginLocked")
        /// An operator had rows checked against the registered addresses and usernames
        /// (``VerificationService/checkStaff(_:by:)``, or a refused batch); ``VerificationEvent/detail``
        /// says how many.
        public static let staffChecked = Kind("staffChecked")
        /// An operator or administrator lifted an account's login lock and wrong-code lock.
        public static let accountUnlocked = Kind("accountUnlocked")
        /// The mailbox an unverified account held was given to a verified account whose address
        /// reaches it too, both stored before mailboxes were reserved
        /// (``VerificationService/reserveMailboxes(progress:)``): ``VerificationEvent/account`` is the
        /// account left without it, which cannot be verified until its address changes;
        /// ``VerificationEvent/detail`` names the new holder.
        public static let mailboxReassigned = Kind("mailboxReassigned")
    }

    /// The commit that wrote the event; events are ordered by `(sequence, ordinal)`.
    public var sequence: UInt64
    /// The event's position among the events of its commit.
    public var ordinal: Int
    /// When it happened (the clock of the service that recorded it). Not an order: an event is
    /// committed after it happened (a delivery attempt's outcome once the attempt ends, which can take
    /// minutes), and other processes commit meanwhile, so an event's time can be earlier than that of
    /// the event before it. Order events by ``sequence`` and ``ordinal``, as the feed does.
    public var time: Date
    /// Who did it: the logged-in account, or `nil` for the service itself (dispatcher, provisioning).
    public var actor: AccountID?
    /// What happened.
    public var kind: Kind
    /// The account it happened to, if any.
    public var account: AccountID?
    /// The NPSN of the account's school, if any.
    public var school: String?
    /// The e-mail address concerned, if any (the new address for ``Kind/emailChanged``, the verified
    /// one for ``Kind/emailVerified``).
    public var email: EmailAddress?
    /// A short, secret-free explanation for the audit trail (English, machine-oriented).
    public var detail: String?

    /// The cursor just after this event, for the next ``VerificationService/events(after:limit:)``.
    public var cursor: EventCursor { EventCursor(sequence: sequence, ordinal: ordinal) }
}

/// A position in the event feed: pass the cursor of the last event processed to get the next ones.
public struct EventCursor: Sendable, Hashable, Codable, Comparable {
    /// The commit sequence of the last event seen.
    public var sequence: UInt64
    /// The ordinal of the last event seen within its commit.
    public var ordinal: Int

    /// The position before every event.
    public static let start = EventCursor(sequence: 0, ordinal: 0)

    /// Creates a cursor.
    /// - Parameters:
    ///   - sequence: The commit sequence of the last event seen.
    ///   - ordinal: Its ordinal within the commit.
    public init(sequence: UInt64, ordinal: Int) {
        self.sequence = sequence
        self.ordinal = ordinal
    }

    /// Orders cursors by commit, then by position within it.
    public static func < (lhs: EventCursor, rhs: EventCursor) -> Bool {
        (lhs.sequence, lhs.ordinal) < (rhs.sequence, rhs.ordinal)
    }
}

/// An event as stored: everything but the commit sequence, which the store assigns.
struct StoredEvent: Codable {
    var id: UUID
    var ordinal: Int
    var time: Date
    var actor: AccountID?
    var kind: VerificationEvent.Kind
    var account: AccountID?
    var school: String?
    var email: EmailAddress?
    var detail: String?
}
