import DapodikLocking
import DapodikVerification
import Foundation

/// A ``PasswordHasher`` that counts every password evaluation (a verify or a hash), to prove how many
/// guesses the service actually checked.
final class CountingPasswordHasher: PasswordHasher {
    let base: PBKDF2PasswordHasher
    private let evaluations = LockedValue(0)

    init(iterations: Int = 1_000) { base = PBKDF2PasswordHasher(iterations: iterations) }

    var count: Int { evaluations.withLock { $0 } }

    func reset() { evaluations.withLock { $0 = 0 } }

    func hash(_ password: String) -> PasswordCredential {
        evaluations.withLock { $0 += 1 }
        return base.hash(password)
    }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        evaluations.withLock { $0 += 1 }
        return try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }
}

/// A hasher that adds up the PBKDF2 work of every password check the service makes.
final class WorkCountingHasher: PasswordHasher {
    let base: PBKDF2PasswordHasher
    private let total = LockedValue(0)

    init(iterations: Int) { base = PBKDF2PasswordHasher(iterations: iterations) }

    var work: Int { total.withLock { $0 } }

    func reset() { total.withLock { $0 = 0 } }

    func hash(_ password: String) -> PasswordCredential { base.hash(password) }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }

    func verifyEqualizingCost(_ password: String, against credential: PasswordCredential?) -> Bool {
        let (matches, work) = base.verifyCountingWork(password, against: credential)
        total.withLock { $0 += work }
        return matches
    }
}
