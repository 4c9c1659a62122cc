#if canImport(FoundationEssentials)
    public import DapodikLanguage
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// Where a verification stands, as one value an app can show to the person waiting for a code.
///
/// It answers the questions of the seed's author: has the code been sent, when, to which
/// address? Is delivery being retried, why, and when next? Until when is the code valid (in the
/// school's time zone)? May I ask for a new one, when, and how many are left? ``explanation``
/// says all of it in a sentence or three, in Indonesian and English.
public struct DeliveryStatus: Sendable, Hashable {
    /// The state of the newest code's e-mail, or of the verification as a whole.
    public enum State: Sendable, Hashable {
        /// No code has been asked for (or the last challenge closed when the address changed).
        case notStarted
        /// The e-mail is waiting for the dispatcher.
        case queued(since: Date)
        /// A dispatcher is handing the e-mail to the mail server right now.
        case sending(since: Date)
        /// The mail server accepted the e-mail at this time, for this (masked) address.
        case handedOver(at: Date, maskedAddress: String)
        /// Delivery failed for a reason that may pass; it is tried again at `nextAttemptAt`.
        /// `attempts` counts the attempts made, the one that failed last included (also one whose
        /// process ended before it was recorded).
        case retrying(reason: LocalizedText, nextAttemptAt: Date, attempts: Int)
        /// Delivery failed for good: why, and what to do about it.
        case failed(reason: LocalizedText, whatToDo: LocalizedText)
        /// The newest code expired (before or after delivery); ask for a new one.
        case expired
        /// Too many wrong codes in this challenge; ask for a new code.
        case attemptsExhausted
        /// The address is verified.
        case verified(at: Date)
    }

    /// The state.
    public var state: State
    /// The address codes go to, masked for display (`k•••@gmail.com`), if the account has one.
    public var maskedAddress: String?
    /// Which code of the challenge the newest one is (1, 2, …), if any.
    public var codeOrdinal: Int?
    /// When the newest code stops being accepted, once it is known (it is fixed at hand-over).
    public var codeExpiresAt: Date?
    /// ``codeExpiresAt`` on the school's clock, e.g. `10.17 WIB`.
    public var codeExpiresAtText: String?
    /// ``codeExpiresAt`` with its date, on the school's clock, in both languages, e.g.
    /// `Rabu, 1 Juli 2026 pukul 10.30 WIB` / `Wednesday, 1 July 2026 at 10:30 WIB (UTC+7)`.
    public var codeExpiryDescription: LocalizedText?
    /// Whether a new code may be asked for right now.
    public var mayRequestNewCode: Bool
    /// When a new code may be asked for, if not now; `nil` with ``mayRequestNewCode`` false means
    /// not in this challenge (the per-challenge or per-address quota is spent).
    public var newCodeAllowedAt: Date?
    /// How many more codes this challenge may send.
    public var codesLeft: Int
    /// How many wrong codes the challenge still accepts.
    public var attemptsLeft: Int
    /// The school's time zone, in which every time here is meant to be shown.
    public var timeZone: SchoolTimeZone
    /// Everything above in words, for the person waiting.
    public var explanation: LocalizedText
    /// What the receiving side reported after it accepted the newest code's e-mail (a bounce,
    /// RFC 3464): returned for good or delayed, why, and what to do; while that e-mail has no report,
    /// the latest report on an earlier code's e-mail of the same verification (the same address);
    /// `nil` when no bounce came.
    public var returned: ReturnedDelivery?
    /// When the receiving side, having reported the newest code's e-mail delayed, reported it
    /// delivered or passed on after all (the delay is over, and ``returned`` no longer holds it);
    /// `nil` otherwise.
    public var delayEndedAt: Date?

    /// Creates a status (the service computes it; apps and tests may build one).
    /// - Parameters:
    ///   - state: The state.
    ///   - maskedAddress: The masked address.
    ///   - codeOrdinal: The newest code's ordinal.
    ///   - codeExpiresAt: The newest code's expiry, if known.
    ///   - codeExpiresAtText: The expiry on the school's clock.
    ///   - mayRequestNewCode: Whether a new code may be asked for now.
    ///   - newCodeAllowedAt: When a new code may be asked for, if not now.
    ///   - codesLeft: Codes left in the challenge.
    ///   - attemptsLeft: Wrong codes still accepted.
    ///   - timeZone: The school's time zone.
    ///   - explanation: The status in words.
    public init(
        state: State, maskedAddress: String?, codeOrdinal: Int?, codeExpiresAt: Date?, codeExpiresAtText: String?,
        mayRequestNewCode: Bool, newCodeAllowedAt: Date?, codesLeft: Int, attemptsLeft: Int, timeZone: SchoolTimeZone,
        explanation: LocalizedText
    ) {
        self.state = state
        self.maskedAddress = maskedAddress
        self.codeOrdinal = codeOrdinal
        self.codeExpiresAt = codeExpiresAt
        self.codeExpiresAtText = codeExpiresAtText
        self.mayRequestNewCode = mayRequestNewCode
        self.newCodeAllowedAt = newCodeAllowedAt
        self.codesLeft = codesLeft
        self.attemptsLeft = attemptsLeft
        self.timeZone = timeZone
        self.explanation = explanation
    }
}
