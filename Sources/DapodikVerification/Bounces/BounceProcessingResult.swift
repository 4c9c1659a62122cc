/// What reading one incoming message did: recorded a returned or delayed code, or changed nothing
/// and why.
public struct BounceProcessingResult: Sendable, Hashable {
    /// What came of it. Compare with the static members; new outcomes may be added.
    public struct Outcome: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the outcome.
        public let rawValue: String

        init(_ rawValue: String) { self.rawValue = rawValue }

        /// The outcome's stable name.
        public var description: String { rawValue }

        /// The bounce was recorded on its outbox message, with an event in the feed.
        public static let recorded = Outcome("recorded")
        /// The same news was already recorded (a bounce read twice): nothing changed.
        public static let alreadyRecorded = Outcome("alreadyRecorded")
        /// An automatic reply (RFC 3834, vacation): nothing changed.
        public static let autoReply = Outcome("autoReply")
        /// Not a bounce at all: nothing changed.
        public static let notABounce = Outcome("notABounce")
        /// A report of success (`delivered`, `relayed`, `expanded`): nothing changed.
        public static let noFailure = Outcome("noFailure")
        /// No address the message names carries a valid return token (forged, from another
        /// system, or its key retired): nothing changed.
        public static let unauthenticated = Outcome("unauthenticated")
        /// The token is valid but its outbox message is gone: nothing changed.
        public static let unknownMessage = Outcome("unknownMessage")
        /// The returned headers name another Message-ID than the token's message: nothing changed.
        public static let messageMismatch = Outcome("messageMismatch")
        /// The message was not (or not yet) handed over, or a later state replaced it: nothing changed.
        public static let notApplicable = Outcome("notApplicable")
        /// The message could not be read (``BounceReadingError``): nothing changed.
        public static let unreadable = Outcome("unreadable")
    }

    /// What came of it.
    public var outcome: Outcome
    /// What the message said, when it could be read.
    public var report: BounceReport?
    /// The Message-ID of the outbox message the bounce is about, once authenticated.
    public var messageID: String?
    /// The account whose e-mail it was, once authenticated.
    public var account: AccountID?
    /// What was recorded, for ``Outcome/recorded``; its advice is worded for whoever manages the
    /// account (the school's staff), not for the account's holder.
    public var returned: ReturnedDelivery?
    /// Why the message could not be read, for ``Outcome/unreadable``.
    public var readingError: BounceReadingError?
    /// The Maildir file it came from, when read from one.
    public var fileName: String?
}
