#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The rows one operator had checked against the store in the last 24 hours.
struct StaffCheckQuota: Codable {
    struct Check: Codable {
        var at: Date
        var rows: Int
    }

    var checks: [Check]
}

// Whether an address or username is registered is worth knowing to an attacker holding an
// operator's session: bound how many rows may be looked up, and audit every lookup.
extension VerificationService {
    /// The most rows one operator may have checked against the store (``checkStaff(_:by:)``, refused
    /// batches of ``registerStaff(_:by:progress:)``, and each single registration or address change
    /// refused because the address is registered) in any 24 hours: 2,000, twice the
    /// largest batch. A school has a few hundred PTK, so an honest import with a few corrections
    /// stays far below it, while the registry of every school's addresses cannot be read through it.
    public static let maximumStaffRowsCheckedPerDay = 2_000

    /// The window of ``maximumStaffRowsCheckedPerDay``.
    static let staffCheckWindow: Duration = .seconds(24 * 60 * 60)

    /// Counts `rows` looked up by `caller` against the daily bound and records a
    /// ``VerificationEvent/Kind/staffChecked`` event, in one conditional commit.
    /// - Throws: ``VerificationError/Code/tooManyChecks`` with ``VerificationError/retryAt`` when
    ///   the rows do not fit in the last 24 hours' bound; nothing is recorded then.
    func recordStaffCheck(rows: Int, inUse: Int, by caller: Account, purpose: String) async throws {
        let key = StaffCheckQuota.storedKey(caller.id)
        let limit = Self.maximumStaffRowsCheckedPerDay
        try await retryingConflicts {
            let time = now
            let stored = try await store.load(key)
            let recent = (stored?.value.checks ?? []).filter {
                time.timeIntervalSince($0.at) < Self.staffCheckWindow.timeInterval
            }
            .sorted { $0.at < $1.at }
            var used = recent.reduce(0) { $0 + max(0, $1.rows) }
            if used + rows > limit {
                // The earliest time enough of the window's rows have left it.
                var retryAt = time
                for check in recent where used + rows > limit {
                    used -= max(0, check.rows)
                    retryAt = check.at.adding(Self.staffCheckWindow)
                }
                throw VerificationError.tooManyChecks(until: used + rows > limit ? nil : retryAt)
            }
            var batch = Batch()
            try batch.put(
                StaffCheckQuota(checks: recent + [.init(at: time, rows: rows)]), at: key, replacing: stored?.version)
            batch.record(
                .staffChecked, at: time, by: caller.id, account: caller.id, school: caller.schoolNPSN.description,
                detail: "\(purpose): \(rows) rows checked, \(inUse) already registered")
            try await commit(batch)
        }
    }

    /// Runs `body`, counting a refusal that says an address or username is registered
    /// (``VerificationError/Code/emailInUse``, ``VerificationError/Code/usernameInUse``: usernames
    /// and addresses share one namespace, so a username typed as someone's address asks the same
    /// question) as one row checked by `caller`: a single registration or address change answers
    /// what a checked row answers, so it is bounded and audited the same way. Over the bound the
    /// answer is ``VerificationError/Code/tooManyChecks`` instead.
    func countingAddressInUse<Value>(
        by caller: AccountID, purpose: String, _ body: () async throws -> Value
    ) async throws -> Value {
        do {
            return try await body()
        } catch let error as VerificationError where error.code == .emailInUse || error.code == .usernameInUse {
            let account = try await self.caller(caller).value
            try await recordStaffCheck(rows: 1, inUse: 1, by: account, purpose: purpose)
            throw error
        }
    }
}
