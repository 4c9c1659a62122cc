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
}
