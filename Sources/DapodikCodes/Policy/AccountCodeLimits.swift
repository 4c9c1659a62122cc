#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// Bounds on wrong codes for one account over time, across all its challenges.
///
/// A challenge takes at most ``VerificationPolicy/maximumFailedAttempts`` wrong codes, but a new
/// challenge could otherwise be opened at once after an exhausted one. These bounds close that:
/// - ``maximumWrongCodesPerDay``: 15 wrong codes in any 24 hours (three exhausted challenges);
///   further submissions and new challenges wait until the oldest leaves the window.
/// - A growing wait before a new challenge after an exhausted one: ``firstWaitAfterExhaustion``
///   (1 hour), doubled after every further exhausted challenge in a row, at most
///   ``maximumWaitAfterExhaustion`` (24 hours).
/// - ``maximumConsecutiveWrongCodes``: 30 wrong codes without a verification in between, however
///   far apart, stop all submissions and new challenges until the school's operator (or an
///   administrator) unlocks the account. NIST SP 800-63B §5.2.2 allows at most 100 consecutive
///   failures; a 6-digit code is a much weaker secret than a password, so the bound is lower.
///
/// With up to 5 unexpired codes per challenge, one guess succeeds with probability at most
/// 5/10⁶, so the 30 guesses before the lock succeed with probability at most 1.5 × 10⁻⁴ (union
/// bound), however long the attacker tries, until a person unlocks the account.
///
/// All functions are pure: the service stores what they return in the same commit as the
/// challenge.
public struct AccountCodeLimits: Sendable, Hashable {
    /// Wrong codes per account in any 24 hours. Default 15.
    public var maximumWrongCodesPerDay: Int { didSet { maximumWrongCodesPerDay = max(1, maximumWrongCodesPerDay) } }
    /// Wrong codes without a verification in between before only an unlock helps. Default 30.
    public var maximumConsecutiveWrongCodes: Int {
        didSet { maximumConsecutiveWrongCodes = max(1, maximumConsecutiveWrongCodes) }
    }
    /// The wait before a new challenge after an exhausted one. Default 1 hour.
    public var firstWaitAfterExhaustion: Duration {
        didSet { firstWaitAfterExhaustion = max(.zero, firstWaitAfterExhaustion) }
    }
    /// The longest such wait. Default 24 hours.
    public var maximumWaitAfterExhaustion: Duration {
        didSet { maximumWaitAfterExhaustion = max(.zero, maximumWaitAfterExhaustion) }
    }

    /// The window of ``maximumWrongCodesPerDay``.
    public static let window: Duration = .seconds(24 * 60 * 60)

    /// The documented defaults; values below 1 count as 1, negative waits as zero (here and
    /// whenever a setting is changed later).
    /// - Parameters:
    ///   - maximumWrongCodesPerDay: Wrong codes in any 24 hours.
    ///   - maximumConsecutiveWrongCodes: Wrong codes before only an unlock helps.
    ///   - firstWaitAfterExhaustion: The wait before a new challenge after an exhausted one.
    ///   - maximumWaitAfterExhaustion: The longest such wait.
    public init(
        maximumWrongCodesPerDay: Int = 15, maximumConsecutiveWrongCodes: Int = 30,
        firstWaitAfterExhaustion: Duration = .seconds(60 * 60),
        maximumWaitAfterExhaustion: Duration = .seconds(24 * 60 * 60)
    ) {
        self.maximumWrongCodesPerDay = max(1, maximumWrongCodesPerDay)
        self.maximumConsecutiveWrongCodes = max(1, maximumConsecutiveWrongCodes)
        self.firstWaitAfterExhaustion = max(.zero, firstWaitAfterExhaustion)
        self.maximumWaitAfterExhaustion = max(.zero, maximumWaitAfterExhaustion)
    }

    /// Why codes are refused for an account now.
    package enum Block: Sendable, Hashable {
        /// Until the given time.
        case until(Date)
        /// Until the account is unlocked by a person.
        case untilUnlocked

        /// When asking again helps, or `nil` when only an unlock does.
        public var retryAt: Date? {
            if case .until(let date) = self { return date }
            return nil
        }
    }

    /// An account's wrong codes across its challenges.
    package struct History: Sendable, Hashable, Codable {
        /// When the wrong codes of the last 24 hours were submitted, oldest first (at most
        /// ``AccountCodeLimits/maximumWrongCodesPerDay`` are kept).
        public internal(set) var recentWrongCodes: [Date]
        /// Wrong codes since the last verification or unlock.
        public internal(set) var consecutiveWrongCodes: Int
        /// Challenges exhausted in a row since the last verification (an unlock keeps them, so the
        /// wait after an exhausted challenge keeps growing).
        public internal(set) var consecutiveExhaustions: Int
        /// When the last challenge was exhausted.
        public internal(set) var lastExhaustedAt: Date?

        /// The largest count a stored history may carry; larger values are damaged data.
        public static let maximumStoredCount = 1_000_000

        /// No wrong code yet.
        public init() {
            recentWrongCodes = []
            consecutiveWrongCodes = 0
            consecutiveExhaustions = 0
            lastExhaustedAt = nil
        }

        private enum CodingKeys: String, CodingKey {
            case recentWrongCodes, consecutiveWrongCodes, consecutiveExhaustions, lastExhaustedAt
        }

        /// Decodes a stored history, bounding every number.
        /// - Throws: `DecodingError.dataCorrupted` when a count is negative or above
        ///   ``maximumStoredCount``, or more than that many times are stored; any decoder error.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            recentWrongCodes = try container.decode([Date].self, forKey: .recentWrongCodes)
            consecutiveWrongCodes = try container.decode(Int.self, forKey: .consecutiveWrongCodes)
            consecutiveExhaustions = try container.decode(Int.self, forKey: .consecutiveExhaustions)
            lastExhaustedAt = try container.decodeIfPresent(Date.self, forKey: .lastExhaustedAt)
            let bounds = 0...Self.maximumStoredCount
            guard bounds.contains(consecutiveWrongCodes), bounds.contains(consecutiveExhaustions),
                recentWrongCodes.count <= Self.maximumStoredCount
            else {
                throw DecodingError.dataCorruptedError(
                    forKey: .consecutiveWrongCodes, in: container, debugDescription: "count out of range")
            }
        }
    }

    /// Whether a code may be submitted for the account now.
    /// - Parameters:
    ///   - history: The account's wrong codes, or `nil` if none.
    ///   - now: The current time.
    /// - Returns: `nil` when a submission is accepted, else why not and until when.
    package func submissionBlock(_ history: History?, at now: Date) -> Block? {
        guard let history else { return nil }
        if history.consecutiveWrongCodes >= maximumConsecutiveWrongCodes { return .untilUnlocked }
        let recent = recentWrongCodes(history, at: now)
        if recent.count >= maximumWrongCodesPerDay {
            // The oldest must leave the window until one fewer than the limit remain.
            return .until(recent[recent.count - maximumWrongCodesPerDay].adding(Self.window))
        }
        return nil
    }

    /// How many more wrong codes the account may submit now before ``submissionBlock(_:at:)`` stops
    /// it: what is left of ``maximumWrongCodesPerDay`` in the last 24 hours and of
    /// ``maximumConsecutiveWrongCodes``, whichever is smaller. A challenge's own attempts left are
    /// at most this many.
    /// - Parameters:
    ///   - history: The account's wrong codes, or `nil` if none.
    ///   - now: The current time.
    /// - Returns: At least 0.
    package func wrongCodesLeft(_ history: History?, at now: Date) -> Int {
        guard let history else { return min(maximumWrongCodesPerDay, maximumConsecutiveWrongCodes) }
        let perDay = maximumWrongCodesPerDay - recentWrongCodes(history, at: now).count
        return max(0, min(perDay, maximumConsecutiveWrongCodes - history.consecutiveWrongCodes))
    }

    /// Whether a new challenge may be opened for the account now: as ``submissionBlock(_:at:)``,
    /// and not within the growing wait after an exhausted challenge.
    /// - Parameters:
    ///   - history: The account's wrong codes, or `nil` if none.
    ///   - now: The current time.
    /// - Returns: `nil` when a new challenge may start, else why not and until when.
    package func newChallengeBlock(_ history: History?, at now: Date) -> Block? {
        if let block = submissionBlock(history, at: now) { return block }
        guard let history, history.consecutiveExhaustions > 0, let last = history.lastExhaustedAt else { return nil }
        let doublings = min(history.consecutiveExhaustions - 1, 30)
        // In seconds, as a `Double`: doubling a `Duration` near its limit would trap.
        let wait = min(
            maximumWaitAfterExhaustion.timeInterval, firstWaitAfterExhaustion.timeInterval * Double(1 << doublings))
        let allowedAt = last.addingTimeInterval(wait)
        return now < allowedAt ? .until(allowedAt) : nil
    }

    /// The history after a person unlocked the account: the lock of ``maximumConsecutiveWrongCodes``
    /// is lifted, but the wrong codes of the last 24 hours and the wait after exhausted challenges
    /// stay, so unlocking never widens the daily bound (at most ``maximumWrongCodesPerDay`` wrong
    /// codes in any 24 hours, however often the account is unlocked).
    /// - Parameter history: The account's wrong codes so far.
    /// - Returns: The history to store.
    package func unlocking(_ history: History) -> History {
        var next = history
        next.consecutiveWrongCodes = 0
        return next
    }

    /// The history after one more wrong code.
    /// - Parameters:
    ///   - history: The account's wrong codes so far, or `nil`.
    ///   - now: When the wrong code was submitted.
    ///   - exhaustedChallenge: Whether this wrong code exhausted its challenge.
    /// - Returns: The history to store.
    package func recordingWrongCode(_ history: History?, at now: Date, exhaustedChallenge: Bool) -> History {
        var next = history ?? History()
        next.recentWrongCodes = Array((recentWrongCodes(next, at: now) + [now]).suffix(maximumWrongCodesPerDay))
        next.consecutiveWrongCodes = min(next.consecutiveWrongCodes, History.maximumStoredCount - 1) + 1
        if exhaustedChallenge {
            next.consecutiveExhaustions = min(next.consecutiveExhaustions, History.maximumStoredCount - 1) + 1
            next.lastExhaustedAt = now
        }
        return next
    }

    private func recentWrongCodes(_ history: History, at now: Date) -> [Date] {
        let windowStart = now.subtracting(Self.window)
        return history.recentWrongCodes.filter { $0 > windowStart }.sorted()
    }
}
