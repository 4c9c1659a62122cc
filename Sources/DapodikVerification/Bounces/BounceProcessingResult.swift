/// What reading one incoming message did: recorded a returned or delayed code, ended a recorded
/// delay, or changed nothing and why.
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
        /// A report of success (`delivered`, `relayed`, `expanded`) about an e-mail whose delay was
        /// recorded (or, passed on after its delay, that it reached the mailbox): the delay was
        /// cleared, with an event in the feed.
        public static let delayEnded = Outcome("delayEnded")
        /// The same news was already recorded (a bounce read twice), or older news arrived late (a
        /// delay report after the e-mail was reported in the mailbox): nothing changed.
        public static let alreadyRecorded = Outcome("alreadyRecorded")
        /// An automatic reply (RFC 3834, vacation): nothing changed.
        public static let autoReply = Outcome("autoReply")
        /// Not a bounce at all: nothing changed.
        public static let notABounce = Outcome("notABounce")
        /// A report of success (`delivered`, `relayed`, `expanded`) with no delay recorded before it:
        /// nothing changed.
        public static let noFailure = Outcome("noFailure")
        /// A delivery report that says nothing about the message's recipient (no part for it: cut
        /// short, or about another address): nothing changed.
        public static let noReportForRecipient = Outcome("noReportForRecipient")
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

        /// What the outcome means, in words for a person ("bukan pantulan" / "not a bounce"); an
        /// outcome added later and not known here is named by ``rawValue``.
        public var meaning: LocalizedText {
            switch self {
            case .recorded: LocalizedText(indonesian: "tercatat", english: "recorded")
            case .delayEnded:
                LocalizedText(
                    indonesian: "penundaan yang tercatat berakhir: email akhirnya disampaikan atau diteruskan",
                    english: "the recorded delay ended: the e-mail was delivered or passed on after all")
            case .alreadyRecorded:
                LocalizedText(indonesian: "sudah tercatat sebelumnya", english: "already recorded")
            case .autoReply: LocalizedText(indonesian: "balasan otomatis", english: "an automatic reply")
            case .notABounce: LocalizedText(indonesian: "bukan pantulan", english: "not a bounce")
            case .noFailure:
                LocalizedText(
                    indonesian: "laporan pengiriman yang berhasil, bukan kegagalan",
                    english: "a report of a successful delivery, not of a failure")
            case .noReportForRecipient:
                LocalizedText(
                    indonesian: "laporan tidak menyebut penerima email ini (terpotong, atau tentang alamat lain)",
                    english: "the report says nothing about this e-mail's recipient (cut short, or about another "
                        + "address)")
            case .unauthenticated:
                LocalizedText(
                    indonesian: "tidak ada token alamat balik yang sah", english: "no valid return-address token")
            case .unknownMessage:
                LocalizedText(
                    indonesian: "email keluar yang dimaksud sudah tidak ada", english: "its outbox message is gone")
            case .messageMismatch:
                LocalizedText(
                    indonesian: "Message-ID yang dikembalikan bukan milik email keluar tokennya",
                    english: "the returned Message-ID is not its token's outbox message")
            case .notApplicable:
                LocalizedText(
                    indonesian: "email keluarnya belum diserahkan ke server, atau keadaannya sudah berganti",
                    english: "its outbox message was not handed over, or a later state replaced it")
            case .unreadable: LocalizedText(indonesian: "tidak terbaca", english: "unreadable")
            default: LocalizedText(indonesian: rawValue, english: rawValue)
            }
        }
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
