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

/// A hasher whose checks wait until a number of them have begun, so that logins of one moment
/// overlap for certain however the tasks are scheduled; once that many have arrived every check runs.
final class GatedPasswordHasher: PasswordHasher, @unchecked Sendable {
    let base: PBKDF2PasswordHasher
    private let threshold: Int
    private let state = LockedValue(
        (arrived: 0, released: false, waiting: [CheckedContinuation<Void, Never>]()))

    /// - Parameters:
    ///   - threshold: How many checks must have begun before the first of them runs.
    ///   - patience: How long the first check waits for the others at most: fewer than `threshold`
    ///     checks then run anyway (the test's expectations say so), rather than hang.
    init(threshold: Int, patience: Duration = .seconds(5), iterations: Int = 1_000) {
        self.threshold = threshold
        self.patience = patience
        base = PBKDF2PasswordHasher(iterations: iterations)
    }

    private let patience: Duration

    /// Lets every waiting check run, and every later one run at once.
    private func releaseAll() {
        let released = state.withLock { state in
            state.released = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for waiting in released { waiting.resume() }
    }

    /// How many checks have begun.
    var arrived: Int { state.withLock { $0.arrived } }

    func hash(_ password: String) -> PasswordCredential { base.hash(password) }

    func verify(_ password: String, against credential: PasswordCredential) throws(PasswordHashError) -> Bool {
        try base.verify(password, against: credential)
    }

    func needsRehash(_ credential: PasswordCredential) -> Bool { base.needsRehash(credential) }

    func verifyEqualizingCostTogether(_ password: String, against credential: PasswordCredential?) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (arrived, waits) = state.withLock { state in
                state.arrived += 1
                let waits = !state.released && state.arrived < threshold
                if waits { state.waiting.append(continuation) }
                return (state.arrived, waits)
            }
            if !waits {
                continuation.resume()
                releaseAll()
            } else if arrived == 1 {
                Task { [patience] in
                    try? await Task.sleep(for: patience)
                    self.releaseAll()
                }
            }
        }
        return base.verifyEqualizingCost(password, against: credential)
    }
}
