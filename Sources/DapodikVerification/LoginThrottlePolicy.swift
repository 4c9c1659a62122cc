#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// How failed logins slow down and then lock further attempts for one username or e-mail.
///
/// NIST SP 800-63B §5.2.2 asks verifiers to limit consecutive failed attempts (at most 100) and
/// OWASP's Authentication cheat sheet recommends growing delays before a lockout; the same rule
/// applies whether or not the account exists, so the answers reveal nothing about which accounts do.
///
/// After ``freeFailures`` failures, each further failure makes the next attempt wait
/// `baseDelay × 2^(failures − freeFailures − 1)` (at most ``maximumDelay``); at ``lockAfter``
/// failures the identifier is locked for ``lockDuration``. A success clears the count; failures
/// older than ``failureWindow`` are forgotten.
public struct LoginThrottlePolicy: Sendable, Hashable {
    /// Failures answered without any delay. Default 3 (typos happen).
    public var freeFailures: Int
    /// The first delay. Default 2 seconds.
    public var baseDelay: TimeInterval
    /// The longest delay before the lock. Default 1 minute.
    public var maximumDelay: TimeInterval
    /// Consecutive failures that lock the identifier. Default 10, far below NIST's ceiling of 100.
    public var lockAfter: Int
    /// How long a lock lasts. Default 15 minutes.
    public var lockDuration: TimeInterval
    /// Failures older than this no longer count. Default 24 hours.
    public var failureWindow: TimeInterval

    /// The defaults described on each property.
    public init(
        freeFailures: Int = 3, baseDelay: TimeInterval = 2, maximumDelay: TimeInterval = 60, lockAfter: Int = 10,
        lockDuration: TimeInterval = 15 * 60, failureWindow: TimeInterval = 24 * 3600
    ) {
        self.freeFailures = freeFailures
        self.baseDelay = baseDelay
        self.maximumDelay = maximumDelay
        self.lockAfter = lockAfter
        self.lockDuration = lockDuration
        self.failureWindow = failureWindow
    }

    /// The failed logins remembered for one identifier.
    public struct State: Sendable, Hashable, Codable {
        /// Consecutive failures within the window.
        public var failures: Int
        /// When the last failure happened.
        public var lastFailureAt: Date
        /// The next attempt is refused before this time.
        public var blockedUntil: Date?

        /// Creates a state.
        /// - Parameters:
        ///   - failures: Consecutive failures.
        ///   - lastFailureAt: The last failure's time.
        ///   - blockedUntil: The earliest time of the next accepted attempt.
        public init(failures: Int, lastFailureAt: Date, blockedUntil: Date?) {
            self.failures = failures
            self.lastFailureAt = lastFailureAt
            self.blockedUntil = blockedUntil
        }
    }

    /// Whether a login attempt is accepted now.
    /// - Parameters:
    ///   - state: The identifier's failures, or `nil` if it has none.
    ///   - now: The current time.
    /// - Returns: `nil` if the attempt may proceed, or the time from which it will.
    public func blockedUntil(_ state: State?, now: Date) -> Date? {
        guard let state, let until = state.blockedUntil, now < until else { return nil }
        return until
    }

    /// The state after one more failure.
    /// - Parameters:
    ///   - state: The identifier's failures so far, or `nil`.
    ///   - now: When the failure happened.
    /// - Returns: The new state, and whether this failure started a lock.
    public func recordingFailure(_ state: State?, now: Date) -> (state: State, locked: Bool) {
        var failures = 1
        if let state, now.timeIntervalSince(state.lastFailureAt) < failureWindow { failures = state.failures + 1 }
        if failures >= lockAfter {
            return (State(failures: failures, lastFailureAt: now, blockedUntil: now + lockDuration), true)
        }
        guard failures > freeFailures else {
            return (State(failures: failures, lastFailureAt: now, blockedUntil: nil), false)
        }
        let exponent = min(failures - freeFailures - 1, 30)
        let delay = min(maximumDelay, baseDelay * Double(1 << exponent))
        return (State(failures: failures, lastFailureAt: now, blockedUntil: now + delay), false)
    }
}
