#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Signing in to a store that cannot be written: a backup on read-only media, a replica.
extension VerificationService {
    /// Checks a username or e-mail address and a password as ``login(identifier:password:)`` does,
    /// on a store opened read-only, and writes nothing.
    ///
    /// A login counts each attempt with a commit before it checks the password; a read-only store
    /// cannot take that commit, so here no attempt is counted and the guesses are not throttled.
    /// That is why this is `package`: only for a program whose user already holds the store's files
    /// (the command-line tool on its own data directory, who could read the password hashes
    /// anyway), never for a service people reach over a network. What the store says still holds:
    /// an identifier or account throttled or locked now is refused as a login refuses it. No
    /// outdated hash is replaced, and an unknown identifier costs the same password work as a known
    /// one.
    /// - Parameters:
    ///   - identifier: The username or e-mail address, as for ``login(identifier:password:)``.
    ///   - password: The password.
    /// - Returns: The session of the account.
    /// - Throws: As ``login(identifier:password:)``: ``VerificationError/Code-swift.struct/invalidCredentials``,
    ///   ``VerificationError/Code-swift.struct/loginThrottled``,
    ///   ``VerificationError/Code-swift.struct/accountLocked``, ``VerificationError/Code-swift.struct/invalidInput``
    ///   for an empty password, ``VerificationError/Code-swift.struct/storage`` when the store fails.
    package func loginReadingOnly(identifier: String, password: String) async throws(VerificationError) -> Session {
        guard !password.isEmpty else { throw VerificationError.passwordMissing }
        return try await perform {
            let (normalized, found) = try await loginTarget(identifier)
            let time = now
            let policy = configuration.loginThrottle
            let typed = try await store.load(identifierThrottleKey(normalized))?.value
            var refused = false
            if let found, let state = try await store.load(accountThrottleKey(found.value.id))?.value {
                // Blocked under another identifier: refused as an unknown one would be (see claimLoginAttempt).
                refused = policy.isLockedOut(state) || policy.blockedUntil(state, now: time) != nil
            }
            if policy.isLockedOut(typed) { throw VerificationError.accountLocked }
            if let until = policy.blockedUntil(typed, now: time) {
                throw VerificationError.loginThrottled(until: until)
            }
            return try await session(of: try await checkPassword(password, of: found, refused: refused).value)
        }
    }
}
