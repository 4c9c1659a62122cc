#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// How failed logins slow down and then lock further attempts, counted for each typed identifier
/// (username or e-mail) and for each account.
///
/// NIST SP 800-63B §5.2.2 asks verifiers to limit consecutive failed attempts on one account to at
/// most 100, and OWASP's Authentication cheat sheet recommends growing delays before a lockout; the
/// same rule applies whether or not the account exists, so the answers reveal nothing about which
/// accounts do.
///
/// After ``freeFailures`` failures, each further failure makes the next attempt wait
/// `baseDelay × 2^(failures − freeFailures − 1)` (at most ``maximumDelay``); at ``lockAfter``
/// failures the identifier or account is locked for ``lockDuration``, and every further failure
/// locks it again. Failures older than ``failureWindow`` no longer count towards the delays, but
/// they still count towards ``maximumConsecutiveFailures``: at that many failures without a
/// success in between, the account (or identifier) stays locked until its operator, or for an
/// operator an administrator, unlocks it. A success clears both counts.
///
/// Every attempt is counted *before* its password is checked (and cleared again when it was
/// right), so concurrent attempts cannot check more guesses than these numbers allow.
///
/// A negative duration counts as zero: it is clamped when the policy is created and whenever one
/// is set, so no setting can make a delay end before the failure that caused it.
public struct LoginThrottlePolicy: Sendable, Hashable {
    /// Failures answered without any delay. Default 3 (typos happen).
    public var freeFailures: Int
    /// The first delay. Default 2 seconds.
    public var baseDelay: Duration { didSet { baseDelay = max(.zero, baseDelay) } }
    /// The longest delay before the lock. Default 1 minute.
    public var maximumDelay: Duration { didSet { maximumDelay = max(.zero, maximumDelay) } }
    /// Consecutive failures that lock the identifier. Default 10, far below NIST's ceiling of 100.
    public var lockAfter: Int
    /// How long a lock lasts. Default 15 minutes.
    public var lockDuration: Duration { didSet { lockDuration = max(.zero, lockDuration) } }
    /// Failures older than this no longer count towards the delays. Default 24 hours.
    public var failureWindow: Duration { didSet { failureWindow = max(.zero, failureWindow) } }
    /// Consecutive failures, however far apart, after which only an unlock lets the account log in
    /// again. Default 100, NIST SP 800-63B §5.2.2's ceiling; with the other defaults an attacker
    /// reaches it after about a day of waiting out locks.
    public var maximumConsecutiveFailures: Int

    /// The largest failure count a stored state may carry; larger stored values are damaged data.
    public static let maximumStoredFailures = 1_000_000

    /// The defaults described on each property; a negative duration counts as zero.
    public init(
        freeFailures: Int = 3, baseDelay: Duration = .seconds(2), maximumDelay: Duration = .seconds(60),
        lockAfter: Int = 10, lockDuration: Duration = .seconds(15 * 60), failureWindow: Duration = .seconds(24 * 3600),
        maximumConsecutiveFailures: Int = 100
    ) {
        self.freeFailures = freeFailures
        self.baseDelay = max(.zero, baseDelay)
        self.maximumDelay = max(.zero, maximumDelay)
        self.lockAfter = lockAfter
        self.lockDuration = max(.zero, lockDuration)
        self.failureWindow = max(.zero, failureWindow)
        self.maximumConsecutiveFailures = maximumConsecutiveFailures
    }

    /// The failed logins remembered for one identifier or account.
    package struct State: Sendable, Hashable, Codable {
        /// Consecutive failures within the window.
        package var failures: Int
        /// Consecutive failures since the last success or unlock, however old.
        package var consecutiveFailures: Int
        /// When the last failure happened.
        package var lastFailureAt: Date
        /// The next attempt is refused before this time.
        package var blockedUntil: Date?

        /// Creates a state.
        /// - Parameters:
        ///   - failures: Consecutive failures within the window.
        ///   - consecutiveFailures: Consecutive failures since the last success; at least `failures`
        ///     (the default).
        ///   - lastFailureAt: The last failure's time.
        ///   - blockedUntil: The earliest time of the next accepted attempt.
        package init(failures: Int, consecutiveFailures: Int? = nil, lastFailureAt: Date, blockedUntil: Date?) {
            self.failures = failures
            self.consecutiveFailures = max(failures, consecutiveFailures ?? failures)
            self.lastFailureAt = lastFailureAt
            self.blockedUntil = blockedUntil
        }

        private enum CodingKeys: String, CodingKey {
            case failures, consecutiveFailures, lastFailureAt, blockedUntil
        }

        /// Decodes a stored state, bounding its counts.
        /// - Throws: `DecodingError.dataCorrupted` when a count is negative or above
        ///   ``LoginThrottlePolicy/maximumStoredFailures``; any error of the decoder. A state stored
        ///   before ``consecutiveFailures`` existed is *not* an error: it counts `failures`.
        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let bounds = 0...LoginThrottlePolicy.maximumStoredFailures
            let failures = try container.decode(Int.self, forKey: .failures)
            let consecutive = try container.decodeIfPresent(Int.self, forKey: .consecutiveFailures) ?? failures
            guard bounds.contains(failures), bounds.contains(consecutive) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .failures, in: container, debugDescription: "failure count out of range")
            }
            self.init(
                failures: failures, consecutiveFailures: consecutive,
                lastFailureAt: try container.decode(Date.self, forKey: .lastFailureAt),
                blockedUntil: try container.decodeIfPresent(Date.self, forKey: .blockedUntil))
        }
    }

    /// Whether only an unlock lets the next attempt through: ``maximumConsecutiveFailures`` reached.
    /// - Parameter state: The failures of an identifier or account, or `nil` if it has none.
    /// - Returns: `true` when locked until unlocked.
    package func isLockedOut(_ state: State?) -> Bool {
        guard let state else { return false }
        return state.consecutiveFailures >= maximumConsecutiveFailures
    }

    /// Whether a login attempt is accepted now.
    /// - Parameters:
    ///   - state: The identifier's failures, or `nil` if it has none.
    ///   - now: The current time.
    /// - Returns: `nil` if the attempt may proceed, or the time from which it will.
    package func blockedUntil(_ state: State?, now: Date) -> Date? {
        guard let state, let until = state.blockedUntil, now < until else { return nil }
        return until
    }

    /// The state after one more failure.
    /// - Parameters:
    ///   - state: The identifier's failures so far, or `nil`.
    ///   - now: When the failure happened.
    /// - Returns: The new state, and whether this failure started a lock (a temporary one, or the
    ///   one only an unlock ends: ``isLockedOut(_:)``).
    package func recordingFailure(_ state: State?, now: Date) -> (state: State, locked: Bool) {
        let cap = Self.maximumStoredFailures
        var failures = 1
        if let state, now.timeIntervalSince(state.lastFailureAt) < failureWindow.timeInterval {
            failures = min(state.failures, cap - 1) + 1
        }
        let consecutive = min(state?.consecutiveFailures ?? 0, cap - 1) + 1
        func next(blockedUntil: Date?) -> State {
            State(failures: failures, consecutiveFailures: consecutive, lastFailureAt: now, blockedUntil: blockedUntil)
        }
        if consecutive >= maximumConsecutiveFailures || failures >= lockAfter {
            return (next(blockedUntil: now.adding(lockDuration)), true)
        }
        guard failures > freeFailures else { return (next(blockedUntil: nil), false) }
        let exponent = min(failures - freeFailures - 1, 30)
        // In seconds, as a `Double`: doubling a `Duration` near its limit would trap.
        let delay = min(maximumDelay.timeInterval, baseDelay.timeInterval * Double(1 << exponent))
        return (next(blockedUntil: now.addingTimeInterval(delay)), false)
    }
}
