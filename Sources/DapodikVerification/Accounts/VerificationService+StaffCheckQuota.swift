import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The rows one operator had checked against the store in the last 24 hours.
struct StaffCheckQuota: Codable {
    struct Check: Codable {
        var at: Date
        /// The rows this check was charged for: those not already charged inside the window.
        var rows: Int
        /// The keyed fingerprints of those rows (``VerificationService/staffCheckFingerprint(of:username:)``),
        /// so the same row asked again inside the window is not charged again. Absent in checks
        /// recorded before them: their rows count in full and match nothing.
        var fingerprints: [String]?
    }

    var checks: [Check]
    /// When a call was last refused for the bound and that refusal recorded, so a caller who keeps
    /// trying writes one event per window, not one per try. Absent in records written before it.
    var refusalRecordedAt: Date?

    /// Why `rows` more do not fit in the bound at `time`, or `nil` when they fit.
    /// - Returns: ``VerificationError/Code/tooManyChecks`` with the earliest time enough of the
    ///   window's rows have left it (none when `rows` alone exceed the bound).
    static func refusal(adding rows: Int, to recent: [Check], limit: Int, window: Duration, at time: Date)
        -> VerificationError?
    {
        var used = recent.reduce(0) { $0 + max(0, $1.rows) }
        guard used + rows > limit else { return nil }
        var retryAt = time
        for check in recent where used + rows > limit {
            used -= max(0, check.rows)
            retryAt = check.at.adding(window)
        }
        return VerificationError.tooManyChecks(until: used + rows > limit ? nil : retryAt)
    }

    /// Of `fingerprints`, once each and in order, those no check in `recent` was charged for.
    static func uncharged(_ fingerprints: [String], in recent: [Check]) -> [String] {
        var seen = Set(recent.lazy.compactMap(\.fingerprints).joined())
        return fingerprints.filter { seen.insert($0).inserted }
    }
}

// Whether an address or username is registered is worth knowing to an attacker holding an
// operator's session: bound how many rows may be looked up, and audit every lookup.
extension VerificationService {
    /// The most rows one operator may have checked against the store (``checkStaff(_:by:)``, refused
    /// batches of ``registerStaff(_:by:progress:)``, and each single registration or address change
    /// refused because the address is registered) in any 24 hours: 2,000, twice the
    /// largest batch. A school has a few hundred PTK, so an honest import with a few corrections
    /// stays far below it, while the registry of every school's addresses cannot be read through it.
    ///
    /// A row is charged once in 24 hours: the same address and username asked again (a refused file
    /// checked, corrected and imported again, or imported with its bad rows left out) tells nothing
    /// new and costs nothing more. Rows are told apart by a keyed fingerprint of their canonical
    /// address and username (``staffCheckFingerprint(of:username:)``), so the quota's record holds
    /// no address; after a rotation of the code keys, rows asked again are charged once more.
    ///
    /// Once the new rows of a call no longer fit, the call is refused *before* anything is looked
    /// up, whether its addresses are free or taken, so the refusal itself tells nothing.
    public static let maximumStaffRowsCheckedPerDay = 2_000

    /// The HKDF `info` label of the subkey that fingerprints checked rows (see
    /// `CodeKey.subkey(for:)`).
    static let staffCheckPurpose = "dapodik-verification-staff-check-v1"

    /// The fingerprint of one looked-up row: HMAC-SHA256, under the staff-check subkey of the
    /// current code key, of the address's canonical form and the username (lower-cased; empty for
    /// an address change), truncated to 64 bits and written as 16 hex digits. Keyed, so the
    /// quota's record cannot be tested against guessed addresses by whoever reads the store.
    func staffCheckFingerprint(of address: EmailAddress, username: Username?) -> String {
        let ring = configuration.keyRing
        let key = ring.subkey(for: Self.staffCheckPurpose, of: ring.currentKeyID) ?? []
        let message = Array(address.canonical.utf8) + [0] + Array((username?.value ?? "").utf8)
        return Self.tokenHex(Crypto.hmacSHA256(key: key, message: message).prefix(8))
    }

    /// The fingerprints of `registrations`' rows, in order.
    func staffCheckFingerprints(_ registrations: [AccountRegistration]) -> [String] {
        registrations.map { staffCheckFingerprint(of: $0.email, username: $0.username) }
    }

    /// The window of ``maximumStaffRowsCheckedPerDay``.
    static let staffCheckWindow: Duration = .seconds(24 * 60 * 60)

    /// Charges the rows of `fingerprints` that the window has not charged yet to `caller`'s daily
    /// bound and records a ``VerificationEvent/Kind/staffChecked`` event, in one conditional commit.
    /// Call ``requireStaffCheckRoom(for:by:purpose:)`` before looking the rows up.
    /// - Throws: ``VerificationError/Code/tooManyChecks`` with ``VerificationError/retryAt`` when
    ///   a concurrent call spent the room since; nothing is recorded then.
    func recordStaffCheck(for fingerprints: [String], inUse: Int, by caller: Account, purpose: String) async throws {
        try await retryingConflicts {
            let room = try await staffCheckRoom(for: fingerprints, by: caller.id)
            // A concurrent call spent the room after this one's check.
            if let refusal = room.refusal { throw refusal }
            var batch = Batch()
            try batch.put(
                StaffCheckQuota(
                    checks: room.recent + [.init(at: room.time, rows: room.new.count, fingerprints: room.new)],
                    refusalRecordedAt: room.stored?.value.refusalRecordedAt),
                at: StaffCheckQuota.storedKey(caller.id), replacing: room.stored?.version)
            batch.record(
                .staffChecked, at: room.time, by: caller.id, account: caller.id,
                school: caller.schoolNPSN.description,
                detail: "\(purpose): \(fingerprints.count) rows checked (\(room.new.count) new today), "
                    + "\(inUse) already registered")
            try await commit(batch)
        }
    }

    /// Refuses a call whose rows not yet charged in the window would not fit in the caller's daily
    /// bound, before it looks anything up. The first refusal in a window is recorded as a
    /// ``VerificationEvent/Kind/staffChecked`` event ("refused"), so the audit feed shows an operator
    /// who went on past the bound; later ones within 24 hours of it write nothing.
    /// - Throws: ``VerificationError/Code/tooManyChecks`` with ``VerificationError/retryAt``.
    func requireStaffCheckRoom(for fingerprints: [String], by caller: Account, purpose: String) async throws {
        try await retryingConflicts {
            let room = try await staffCheckRoom(for: fingerprints, by: caller.id)
            guard let refusal = room.refusal else { return }
            if let recorded = room.stored?.value.refusalRecordedAt,
                room.time.timeIntervalSince(recorded) < Self.staffCheckWindow.timeInterval
            {
                throw refusal
            }
            var batch = Batch()
            try batch.put(
                StaffCheckQuota(checks: room.recent, refusalRecordedAt: room.time),
                at: StaffCheckQuota.storedKey(caller.id), replacing: room.stored?.version)
            batch.record(
                .staffChecked, at: room.time, by: caller.id, account: caller.id,
                school: caller.schoolNPSN.description,
                detail: "\(purpose): refused, \(room.new.count) new rows over the daily bound of "
                    + "\(Self.maximumStaffRowsCheckedPerDay)")
            try await commit(batch)
            throw refusal
        }
    }

    /// The caller's quota as stored, its checks inside the window now, the rows of `fingerprints`
    /// they have not charged, and the refusal of those (`nil` when they fit): what both the check
    /// before a lookup and the count after it read.
    private func staffCheckRoom(for fingerprints: [String], by caller: AccountID) async throws -> (
        time: Date, stored: Loaded<StaffCheckQuota>?, recent: [StaffCheckQuota.Check], new: [String],
        refusal: VerificationError?
    ) {
        let time = now
        let stored = try await store.load(StaffCheckQuota.storedKey(caller))
        let recent = (stored?.value.checks ?? []).filter {
            time.timeIntervalSince($0.at) < Self.staffCheckWindow.timeInterval
        }
        .sorted { $0.at < $1.at }
        let new = StaffCheckQuota.uncharged(fingerprints, in: recent)
        let refusal = StaffCheckQuota.refusal(
            adding: new.count, to: recent, limit: Self.maximumStaffRowsCheckedPerDay, window: Self.staffCheckWindow,
            at: time)
        return (time, stored, recent, new, refusal)
    }

    /// Runs `body`, counting a refusal that says an address or username is registered
    /// (``VerificationError/Code/emailInUse``, ``VerificationError/Code/usernameInUse``: usernames
    /// and addresses share one namespace, so a username typed as someone's address asks the same
    /// question) as one row checked by `caller`: a single registration or address change answers
    /// what a checked row answers, so it is bounded and audited the same way (the same address and
    /// username refused again inside the window is not charged again). Once the bound is spent,
    /// every call that sets an address not yet charged is answered
    /// ``VerificationError/Code/tooManyChecks`` before `body` runs, whether its address is free or
    /// taken.
    /// - Parameters:
    ///   - caller: The logged-in account whose bound counts, as the call site loaded it.
    ///   - purpose: What the audit event calls the call.
    ///   - address: The address the call sets, or `nil` when it sets none (a password-only change
    ///     looks nothing up, and is not refused for the bound).
    ///   - username: The username the call registers, if any.
    ///   - body: The call.
    func countingAddressInUse<Value>(
        by account: Account, purpose: String, address: EmailAddress?, username: Username? = nil,
        _ body: () async throws -> Value
    ) async throws -> Value {
        guard let address else { return try await body() }
        let fingerprint = [staffCheckFingerprint(of: address, username: username)]
        try await requireStaffCheckRoom(for: fingerprint, by: account, purpose: purpose)
        do {
            return try await body()
        } catch let error as VerificationError where error.code == .emailInUse || error.code == .usernameInUse {
            try await recordStaffCheck(for: fingerprint, inUse: 1, by: account, purpose: purpose)
            throw error
        }
    }
}
