import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Anyone can type any identifier at the login, and each one typed with a wrong password gets a
// throttle record: without removal, the store would grow by one record per identifier ever typed.
// An identifier's record that has gone idle (its failures out of the window, no lock running, not
// locked until unlocked) decides nothing any more, and is removed by the next failed login that
// makes a new one. The per-account records, which carry the lifetime cap of consecutive failures,
// are kept; so are an identifier's records locked until unlocked.
extension VerificationService {
    /// Non-unique: when an identifier's throttle record goes idle, in the fixed-width form of
    /// ``OutboxMessage/dueBound(_:)``. Absent on per-account records, on records locked until
    /// unlocked, and on records written before it (those are never removed).
    static let idleThrottleIndex = StoredIndex<LoginThrottlePolicy.State>(name: "throttle.idleFrom", isUnique: false)

    /// The most idle records one failed login removes: more than the one record it may add, so that
    /// idle records do not pile up, and few, so that a login stays cheap.
    static let idleThrottlesRemovedPerLogin = 2

    /// The index entries of an identifier's throttle record in `state`: when it goes idle (its
    /// failures leave ``LoginThrottlePolicy/failureWindow`` and any lock has ended), or none when it
    /// is locked until unlocked.
    func identifierThrottleIndexes(_ state: LoginThrottlePolicy.State) -> [IndexEntry] {
        let policy = configuration.loginThrottle
        guard !policy.isLockedOut(state) else { return [] }
        let idleFrom = max(state.lastFailureAt.adding(policy.failureWindow), state.blockedUntil ?? .distantPast)
        return [Self.idleThrottleIndex.entry(OutboxMessage.dueBound(idleFrom))]
    }

    /// Removes up to ``idleThrottlesRemovedPerLogin`` identifier throttle records idle at `time`, other
    /// than `sparing`, each only as it was read (a concurrent failure keeps it). A record locked until
    /// unlocked under the policy as it is now is kept and leaves the index instead.
    ///
    /// Best effort, after the login's own commit: a failure here changes nothing of the login, and the
    /// next new record tries again.
    func pruneIdleIdentifierThrottles(sparing kept: StoredKey<LoginThrottlePolicy.State>, at time: Date) async {
        let limit = Self.idleThrottlesRemovedPerLogin
        guard
            let idle = try? await store.records(
                in: Self.idleThrottleIndex.name, from: "", to: OutboxMessage.dueBound(time), limit: limit + 1)
        else { return }
        var batch = Batch()
        for record in idle where record.key != kept.recordKey {
            guard batch.mutations.count < limit else { break }
            let key = StoredKey<LoginThrottlePolicy.State>(record.key.id)
            if let state = try? Loaded<LoginThrottlePolicy.State>(decoding: record),
                configuration.loginThrottle.isLockedOut(state.value)
            {
                try? batch.put(state.value, at: key, replacing: record.version, indexes: [])
            } else {
                batch.delete(key, expecting: record.version)
            }
        }
        guard !batch.mutations.isEmpty else { return }
        _ = try? await commit(batch)
    }
}
