import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Anyone can type any identifier at the login, and each one typed with a wrong password gets a
// throttle record: without removal, the store would grow by one record per identifier ever typed.
// An identifier's record that has gone idle (its failures out of the window, no lock running, not
// locked until unlocked) no longer delays or locks anything; what removing it loses is its count of
// consecutive failures towards that identifier's own lock until unlock (the account's own record,
// which is kept, carries the account's). Each login attempt with an identifier removes a few.
extension VerificationService {
    /// Non-unique: when an identifier's throttle record goes idle under the policy that wrote it, in
    /// the fixed-width form of ``OutboxMessage/dueBound(_:)``. Absent on per-account records, on
    /// records locked until unlocked, and on records written before it until
    /// `indexRecordsForRemoval` gives them theirs.
    static let idleThrottleIndex = StoredIndex<LoginThrottlePolicy.State>(name: "throttle.idleFrom", isUnique: false)

    /// The most idle records one login attempt removes: more than the one record it may add, so that
    /// idle records do not pile up, and few, so that a login stays cheap.
    static let idleThrottlesRemovedPerLogin = 2

    /// Whether `key` is an identifier's throttle record (``identifierThrottleKey(_:)``), not an
    /// account's (``accountThrottleKey(_:)``).
    static func isIdentifierThrottle(_ key: StoredKey<LoginThrottlePolicy.State>) -> Bool {
        !key.id.hasPrefix("account-")
    }

    /// The index entries of the throttle record at `key` in `state`: for an identifier's record, when
    /// it goes idle (its failures leave ``LoginThrottlePolicy/failureWindow`` and any lock has ended),
    /// unless it is locked until unlocked; none for an account's.
    func throttleIndexes(_ state: LoginThrottlePolicy.State, at key: StoredKey<LoginThrottlePolicy.State>)
        -> [IndexEntry]
    {
        guard Self.isIdentifierThrottle(key), !configuration.loginThrottle.isLockedOut(state) else { return [] }
        return [Self.idleThrottleIndex.entry(OutboxMessage.dueBound(idleFrom(state)))]
    }

    /// When `state` stops delaying or locking anything under the configured policy.
    private func idleFrom(_ state: LoginThrottlePolicy.State) -> Date {
        let policy = configuration.loginThrottle
        return max(state.lastFailureAt.adding(policy.failureWindow), state.blockedUntil ?? .distantPast)
    }

    /// Removes up to ``idleThrottlesRemovedPerLogin`` identifier throttle records idle for more than
    /// ``idleRemovalGrace`` at `time` (for clocks that disagree, as for idle quotas), other than `kept`,
    /// each only as it was read (a concurrent failure keeps it).
    ///
    /// The index holds the idle time under the policy that wrote the record; each found is checked
    /// again under the policy as it is now. One not idle now (a window made longer since) or locked
    /// until unlocked (a cap made lower) is written back with the index entry the policy gives it now,
    /// and one that does not decode keeps its bytes and leaves the index: neither is removed.
    ///
    /// Best effort, after the attempt's own commit: a failure here changes nothing of the login, and the
    /// next attempt tries again.
    func pruneIdleIdentifierThrottles(sparing kept: StoredKey<LoginThrottlePolicy.State>, at time: Date) async {
        let limit = Self.idleThrottlesRemovedPerLogin
        let settled = time.addingTimeInterval(-Self.idleRemovalGrace)
        guard
            let found = try? await store.records(
                in: Self.idleThrottleIndex.name, from: "", to: OutboxMessage.dueBound(settled), limit: limit + 1)
        else { return }
        var batch = Batch()
        for record in found where record.key != kept.recordKey && batch.mutations.count < limit {
            let key = StoredKey<LoginThrottlePolicy.State>(record.key.id)
            guard let state = try? Loaded<LoginThrottlePolicy.State>(decoding: record).value else {
                batch.mutations.append(
                    .put(record.key, value: record.value, indexes: [], expecting: .version(record.version)))
                continue
            }
            if !configuration.loginThrottle.isLockedOut(state), idleFrom(state) <= settled {
                batch.delete(key, expecting: record.version)
            } else {
                try? batch.put(state, at: key, replacing: record.version, indexes: throttleIndexes(state, at: key))
            }
        }
        guard !batch.mutations.isEmpty else { return }
        _ = try? await commit(batch)
    }
}
