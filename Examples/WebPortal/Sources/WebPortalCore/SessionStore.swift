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
public final class SessionStore: Sendable {
    private let sessions = Mutex<[String: PortalSession]>([:])
    private let idleTimeout: TimeInterval

    /// Creates an empty store.
    /// - Parameter idleTimeout: How long an unused session lives; 30 minutes unless given.
    public init(idleTimeout: TimeInterval = 30 * 60) {
        self.idleTimeout = idleTimeout
    }

    /// The session with this id, if it exists and has not been idle too long; marks it used.
    /// - Parameters:
    ///   - id: The cookie's value.
    ///   - now: The time now.
    /// - Returns: The session, or `nil`.
    public func session(_ id: String, now: Date = Date()) -> PortalSession? {
        sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard now.timeIntervalSince(session.lastUsed) <= idleTimeout else {
                sessions[id] = nil
                return nil
            }
            session.lastUsed = now
            sessions[id] = session
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
            id: Self.randomToken(), csrfToken: Self.randomToken(), login: login, lastUsed: now, flash: nil)
        sessions.withLock { sessions in
            if let replacing { sessions[replacing] = nil }
            // Forget idle sessions now and then, so the table does not grow without bound.
            if sessions.count > 10_000 {
                sessions = sessions.filter { now.timeIntervalSince($0.value.lastUsed) <= idleTimeout }
            }
            sessions[session.id] = session
        }
        return session
    }

    /// Keeps a message for the session's next page.
    /// - Parameters:
    ///   - message: The message.
    ///   - id: The session's id.
    public func setFlash(_ message: LocalizedText, for id: String) {
        sessions.withLock { $0[id]?.flash = message }
    }

    /// The message kept for this page, removed so it shows once.
    /// - Parameter id: The session's id.
    /// - Returns: The message, if any.
    public func takeFlash(for id: String) -> LocalizedText? {
        sessions.withLock { sessions in
            defer { sessions[id]?.flash = nil }
            return sessions[id]?.flash
        }
    }

    /// Ends a session (log out).
    /// - Parameter id: Its id.
    public func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: id) }
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
