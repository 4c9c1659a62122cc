public import DapodikLanguage

/// An incoming message that cannot be read as mail at all: too large, nested too deeply, or
/// without a header.
///
/// Thrown by ``BounceReport/init(bytes:limits:)``. Nothing is read from such a message and
/// nothing may be changed because of it. A message that is readable but is no bounce (an
/// auto-reply, a newsletter) is *not* an error: its report says ``BounceReport/Kind/autoReply`` or
/// ``BounceReport/Kind/notABounce``. Switch on ``code``; show ``message`` to a person.
public struct BounceReadingError: LocalizedFailure, Hashable {
    /// What kind of problem this is. Compare with the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// The message is larger than ``BounceReadingLimits/maximumBytes``.
        public static let tooLarge = Code("bounce.tooLarge")
        /// MIME parts are nested deeper than ``BounceReadingLimits/maximumDepth``.
        public static let tooDeeplyNested = Code("bounce.tooDeeplyNested")
        /// The message has more MIME parts, header fields or report recipients than the limits allow.
        public static let tooManyParts = Code("bounce.tooManyParts")
        /// The message is empty or does not start with a header field (RFC 5322 §2.1).
        public static let notAMessage = Code("bounce.notAMessage")
    }

    /// What kind of problem this is.
    public let code: Code
    /// What went wrong, for a person.
    public let message: LocalizedText

    init(_ code: Code, indonesian: String, english: String) {
        self.code = code
        self.message = LocalizedText(indonesian: indonesian, english: english)
    }

    /// Said without the message's size: a reader stops one byte past the limit, so it never knows it.
    static func tooLarge(maximum: Int) -> BounceReadingError {
        BounceReadingError(
            .tooLarge, indonesian: "Pesan pantulan terlalu besar (lebih dari \(maximum) byte).",
            english: "The bounce message is too large (more than \(maximum) bytes).")
    }

    static func tooDeeplyNested(maximum: Int) -> BounceReadingError {
        BounceReadingError(
            .tooDeeplyNested,
            indonesian: "Bagian-bagian MIME pesan pantulan bersarang lebih dari \(maximum) tingkat.",
            english: "The bounce message's MIME parts are nested more than \(maximum) levels deep.")
    }

    static func tooManyParts(_ what: String, maximum: Int) -> BounceReadingError {
        BounceReadingError(
            .tooManyParts, indonesian: "Pesan pantulan memuat lebih dari \(maximum) \(what).",
            english: "The bounce message holds more than \(maximum) \(what).")
    }

    static let notAMessage = BounceReadingError(
        .notAMessage, indonesian: "Data ini bukan pesan email: tidak ada header di awalnya.",
        english: "This is not an e-mail message: it does not start with a header.")
}

/// Bounds on what ``BounceReport/init(bytes:limits:)`` reads, so hostile input costs little.
///
/// The defaults are far above any real bounce: Postfix returns at most 50,000 bytes of the
/// original (`bounce_size_limit`), Exim 100 KB (`return_size_limit`), and a report has one
/// recipient group per recipient of the original, which for this library's mail is one.
public struct BounceReadingLimits: Sendable, Hashable {
    /// The largest message read, in bytes. Default 4 MiB.
    public var maximumBytes: Int
    /// How deep multipart entities may nest. Default 8 (a real bounce uses 3).
    public var maximumDepth: Int
    /// How many MIME parts the whole message may have. Default 256.
    public var maximumParts: Int
    /// How many header fields one entity (or one group of report fields) may have. Default 1,000.
    public var maximumHeaderFields: Int
    /// How many per-recipient groups a delivery-status report may have. Default 100.
    public var maximumRecipients: Int

    /// The defaults described on each property.
    public init(
        maximumBytes: Int = 4 << 20, maximumDepth: Int = 8, maximumParts: Int = 256, maximumHeaderFields: Int = 1000,
        maximumRecipients: Int = 100
    ) {
        self.maximumBytes = maximumBytes
        self.maximumDepth = maximumDepth
        self.maximumParts = maximumParts
        self.maximumHeaderFields = maximumHeaderFields
        self.maximumRecipients = maximumRecipients
    }
}
