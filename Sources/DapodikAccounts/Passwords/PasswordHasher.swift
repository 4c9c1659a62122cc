/// Turns passwords into stored credentials and checks passwords against them.
///
/// Requirements are synchronous: hashing is deliberately slow CPU work with no I/O, and a caller
/// chooses where it runs (an actor, a task). Implementations must be `Sendable` and safe to call
/// from many tasks at once.
public protocol PasswordHasher: Sendable {
    /// Hashes a password with a fresh random salt.
    /// - Parameter password: The password as the person typed it.
    /// - Returns: A credential to store; hashing the same password twice gives different ones.
    func hash(_ password: String) -> PasswordCredential

    /// ``hash(_:)`` for a caller in a task, such as a registration: an implementation may compute it
    /// together with other tasks' hashes and checks running at the same time, suspending the caller
    /// meanwhile instead of occupying its thread.
    /// - Parameter password: The password as the person typed it.
    /// - Returns: A credential to store, as ``hash(_:)`` makes it.
    func hashTogether(_ password: String) async -> PasswordCredential

    /// Hashes several passwords, each with its own fresh random salt: what a batch registration
    /// does. An implementation may compute them together when that costs less CPU than one by one.
    /// - Parameter passwords: The passwords as typed.
    /// - Returns: One credential per password, in the same order.
    func hashAll(_ passwords: [String]) -> [PasswordCredential]

    /// Checks a password against a stored credential, in time that does not depend on how much of
    /// the hash matched.
    /// - Parameters:
    ///   - password: The password as the person typed it.
    ///   - credential: The stored credential.
    /// - Returns: `true` when the password is the one the credential was made from.
    /// - Throws: ``PasswordHashError`` when the credential is malformed or of a scheme this hasher
    ///   does not know. A wrong password is *not* an error: it returns `false`.
    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool

    /// Whether a credential should be replaced by a new hash of the same password, made the next
    /// time the person logs in successfully: its scheme or parameters differ from this hasher's.
    /// - Parameter credential: The stored credential.
    /// - Returns: `true` when the credential was made with other parameters, another scheme, or
    ///   cannot be read at all.
    func needsRehash(_ credential: PasswordCredential) -> Bool

    /// Checks a password against a stored credential, or against none, doing as much work as a
    /// check against a credential with this hasher's current parameters: what a login does, so
    /// that its time tells neither whether the account exists nor whether its hash predates a
    /// change of parameters.
    /// - Parameters:
    ///   - password: The password as the person typed it.
    ///   - credential: The stored credential, or `nil` when there is none (an unknown account).
    /// - Returns: `true` only when `credential` is there, readable, and made from `password`. A
    ///   malformed credential is *not* an error here: it does not match, at the same cost.
    func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool

    /// ``verifyEqualizingCost(_:against:)`` for a caller in a task, such as a login: an
    /// implementation may compute it together with other tasks' checks running at the same time,
    /// suspending the caller meanwhile instead of occupying its thread.
    /// - Parameters:
    ///   - password: The password as the person typed it.
    ///   - credential: The stored credential, or `nil` when there is none (an unknown account).
    /// - Returns: What ``verifyEqualizingCost(_:against:)`` returns, at the same work.
    func verifyEqualizingCostTogether(_ password: String, against credential: PasswordCredential?) async -> Bool
}

extension PasswordHasher {
    /// Each password hashed by ``hash(_:)``, one after the other.
    /// - Parameter passwords: The passwords as typed.
    /// - Returns: One credential per password, in the same order.
    public func hashAll(_ passwords: [String]) -> [PasswordCredential] {
        passwords.map { hash($0) }
    }

    /// A check against `credential`, or, when there is none or it cannot be read, a fresh hash of
    /// the password (the work of a check with the current parameters).
    ///
    /// This default cannot equalize a credential made with other parameters: a hasher whose
    /// parameters can change implements the requirement itself, as ``PBKDF2PasswordHasher`` does.
    /// - Parameters:
    ///   - password: The password as typed.
    ///   - credential: The stored credential, or `nil`.
    /// - Returns: `true` when the credential is there and matches.
    public func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool {
        if let credential, let matches = try? verify(password, against: credential) { return matches }
        _ = hash(password)
        return false
    }

    /// ``hash(_:)`` on the caller's thread: a hasher with nothing to gain from computing hashes
    /// together needs nothing more.
    /// - Parameter password: The password as typed.
    /// - Returns: The credential.
    public func hashTogether(_ password: String) async -> PasswordCredential { hash(password) }

    /// ``verifyEqualizingCost(_:against:)`` on the caller's thread: a hasher with nothing to gain from
    /// computing checks together needs nothing more.
    /// - Parameters:
    ///   - password: The password as typed.
    ///   - credential: The stored credential, or `nil`.
    /// - Returns: `true` when the credential is there and matches.
    public func verifyEqualizingCostTogether(_ password: String, against credential: PasswordCredential?) async
        -> Bool
    {
        verifyEqualizingCost(password, against: credential)
    }
}
