public import DapodikVerification
public import Foundation
import Synchronization

/// One browser's session: who is logged in (if anyone) and the CSRF token of its forms.
public struct PortalSession: Sendable {
    /// The session's id: the cookie's value, 32 random bytes.
    public let id: String
    /// The token every form of this session carries, another 32 random bytes.
    public let csrfToken: String
    /// The library's login session, once logged in.
    public var login: Session?
    /// When the session was started (for the absolute timeout).
    public let started: Date
    /// When the session was last used (for the idle timeout).
    public var lastUsed: Date
    /// A message for the next page (after a redirect), shown once.
    public var flash: LocalizedText?
}

/// The sessions of the portal, in memory: a restart logs everyone out, which is the safe way round.
///
/// Ids and tokens are 256-bit values from the system's secure generator (OWASP Session Management:
/// at least 64 bits of entropy). A login makes a new session (the old id is dropped), so an id
/// planted before login is worth nothing afterwards (session fixation).
///
/// The table is bounded, for visitors and logged-in sessions alike:
/// - One account holds at most ``maximumSessionsPerAccount`` sessions; a further login ends that
///   account's least recently used one, so one password, logged in again and again, cannot fill
///   the table or push anyone else out.
/// - Idle and expired sessions are swept whenever the table has doubled since the last sweep, or
///   has reached ``maximumSessions``. A sweep that still finds the table too full drops sessions
///   down to three quarters of the maximum: visitors who are not logged in first (their next form is
///   refused for its token and shown again), then logged-in sessions, least recently used first.
///   So the next sweep is at least a quarter of the maximum away, and a sweep's cost is shared by as
///   many new sessions as it scans: a flood costs neither unbounded memory nor a scan per request.
public final class SessionStore: Sendable {
    private struct Table {
        var sessions: [String: PortalSession] = [:]
        /// The ids of each account's logged-in sessions.
        var byAccount: [AccountID: [String]] = [:]
        /// The size at which the next sweep runs.
        var nextSweep: Int
        /// How many sweeps have run.
        var sweeps = 0

        /// Removes a session, if it is there.
        mutating func remove(_ id: String) {
            guard let removed = sessions.removeValue(forKey: id), let account = removed.login?.account else { return }
            byAccount[account]?.removeAll { $0 == id }
            if byAccount[account]?.isEmpty == true { byAccount[account] = nil }
        }

        /// Adds a session; past `perAccount` sessions of its account, the least recently used goes.
        mutating func insert(_ session: PortalSession, perAccount: Int) {
            sessions[session.id] = session
            guard let account = session.login?.account else { return }
            byAccount[account, default: []].append(session.id)
            // One more than the bound at most: each insert keeps it.
            if let ids = byAccount[account], ids.count > perAccount,
                let oldest = ids.min(by: {
                    (sessions[$0]?.lastUsed ?? .distantPast) < (sessions[$1]?.lastUsed ?? .distantPast)
                })
            {
                remove(oldest)
            }
        }

        /// Drops what is no longer live, then, while more than `target` remain, visitors before
        /// logged-in sessions, each least recently used first.
        mutating func sweep(keeping target: Int, isLive: (PortalSession) -> Bool) {
            sweeps += 1
            sessions = sessions.filter { isLive($0.value) }
            let excess = sessions.count - target
            if excess > 0 {
                let order = sessions.values.sorted {
                    ($0.login == nil ? 0 : 1, $0.lastUsed) < ($1.login == nil ? 0 : 1, $1.lastUsed)
                }
                for session in order.prefix(excess) { sessions[session.id] = nil }
            }
            byAccount = [:]
            for (id, session) in sessions {
                if let account = session.login?.account { byAccount[account, default: []].append(id) }
            }
        }
    }

    private let table: Mutex<Table>
    private let idleTimeout: TimeInterval
    private let absoluteTimeout: TimeInterval
    /// The most sessions kept; a sweep that finds more drops down to three quarters of it.
    let maximumSessions: Int
    /// The most sessions one account keeps; a further login ends its least recently used one.
    let maximumSessionsPerAccount: Int
    /// The table's size at its first sweep (or the maximum, if smaller).
    static let firstSweep = 10_000

    /// Creates an empty store.
    /// - Parameters:
    ///   - idleTimeout: How long an unused session lives; 30 minutes unless given.
    ///   - absoluteTimeout: How long any session lives, however much it is used (a page that polls
    ///     keeps its session from going idle); 12 hours unless given.
    ///   - maximumSessions: The most sessions kept; 100,000 unless given, at least 1.
    ///   - maximumSessionsPerAccount: The most sessions one account keeps (its browsers and
    ///     devices); 10 unless given, at least 1.
    public init(
        idleTimeout: TimeInterval = 30 * 60, absoluteTimeout: TimeInterval = 12 * 3600, maximumSessions: Int = 100_000,
        maximumSessionsPerAccount: Int = 10
    ) {
        self.idleTimeout = idleTimeout
        self.absoluteTimeout = absoluteTimeout
        self.maximumSessions = max(1, maximumSessions)
        self.maximumSessionsPerAccount = max(1, maximumSessionsPerAccount)
        table = Mutex(Table(nextSweep: min(Self.firstSweep, self.maximumSessions)))
    }

    /// How many sessions the table holds now.
    var count: Int { table.withLock { $0.sessions.count } }

    /// How many sweeps have run: each scans the whole table.
    var sweeps: Int { table.withLock { $0.sweeps } }

    private func isLive(_ session: PortalSession, now: Date) -> Bool {
        now.timeIntervalSince(session.lastUsed) <= idleTimeout
            && now.timeIntervalSince(session.started) <= absoluteTimeout
    }

    /// The session with this id, if it exists and has been neither idle nor alive too long; marks
    /// it used.
    /// - Parameters:
    ///   - id: The cookie's value.
    ///   - now: The time now.
    /// - Returns: The session, or `nil`.
    public func session(_ id: String, now: Date = Date()) -> PortalSession? {
        table.withLock { table in
            guard var session = table.sessions[id] else { return nil }
            guard isLive(session, now: now) else {
                table.remove(id)
                return nil
            }
            session.lastUsed = now
            table.sessions[id] = session
            return session
        }
    }

    /// Starts a new session, logged in or not, dropping `replacing` if given.
    /// - Parameters:
    ///   - login: The library's session after a login, or `nil` for a visitor.
    ///   - replacing: The id of the session this one replaces.
    ///   - now: The time now.
    /// - Returns: The new session.
    public func start(login: Session?, replacing: String? = nil, now: Date = Date()) -> PortalSession {
        let session = PortalSession(
            id: Self.randomToken(), csrfToken: Self.randomToken(), login: login, started: now, lastUsed: now,
            flash: nil)
        table.withLock { table in
            if let replacing { table.remove(replacing) }
            if table.sessions.count >= table.nextSweep {
                // Room for the new session, and a quarter of the maximum before the next sweep.
                table.sweep(keeping: maximumSessions - max(1, maximumSessions / 4)) { isLive($0, now: now) }
                table.nextSweep = min(max(Self.firstSweep, 2 * table.sessions.count), maximumSessions)
            }
            table.insert(session, perAccount: maximumSessionsPerAccount)
        }
        return session
    }

    /// Replaces the library session a portal session holds with its current state
    /// (``VerificationService/resume(_:)``).
    /// - Parameters:
    ///   - login: The library's session as it is now.
    ///   - id: The portal session's id.
    public func updateLogin(_ login: Session, for id: String) {
        table.withLock { $0.sessions[id]?.login = login }
    }

    /// Keeps a message for the session's next page.
    /// - Parameters:
    ///   - message: The message.
    ///   - id: The session's id.
    public func setFlash(_ message: LocalizedText, for id: String) {
        table.withLock { $0.sessions[id]?.flash = message }
    }

    /// The message kept for this page, removed so it shows once.
    /// - Parameter id: The session's id.
    /// - Returns: The message, if any.
    public func takeFlash(for id: String) -> LocalizedText? {
        table.withLock { table in
            defer { table.sessions[id]?.flash = nil }
            return table.sessions[id]?.flash
        }
    }

    /// Ends a session (log out).
    /// - Parameter id: Its id.
    public func end(_ id: String) {
        table.withLock { $0.remove(id) }
    }

    /// 32 bytes from the system's secure generator, as 64 hexadecimal digits.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte, radix: 16).leftPadded(to: 2)
        }.joined()
    }
}

extension String {
    func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }
}

/// Compares two secrets in time that depends only on their lengths, not on where they differ.
/// - Parameters:
///   - lhs: One secret.
///   - rhs: The other.
/// - Returns: Whether they are equal.
func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    let left = Array(lhs.utf8)
    let right = Array(rhs.utf8)
    guard left.count == right.count else { return false }
    var difference: UInt8 = 0
    for index in left.indices { difference |= left[index] ^ right[index] }
    return difference == 0
}
