import DapodikAccounts

/// `PBKDF2PasswordHasher` with its defaults, made to derive one key at a time on its caller's thread,
/// as the library did before it derived two at once: a batch is hashed one password after the other
/// (the protocol's default `hashAll`), and each login is checked alone (the protocol's default
/// `verifyEqualizingCostTogether`). The peer of the scenarios that measure the two-key paths.
struct OneAtATimeHasher: PasswordHasher {
    let base = PBKDF2PasswordHasher()

    func hash(_ password: String) -> PasswordCredential { base.hash(password) }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }

    func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool {
        base.verifyEqualizingCost(password, against: credential)
    }
}
