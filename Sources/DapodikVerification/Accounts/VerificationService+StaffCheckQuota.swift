import DapodikCrypto

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The rows one operator had checked against the store in the last 24 hours.
///
/// Rewritten by each check that is charged. At the bound it is about 38 KB when one check charged
/// every row, and about 129 KB at most, when every row was charged by a check of its own
/// (`StaffCheckBoundTests.quotaRecordAtTheBound`).
struct StaffCheckQuota: Codable {
    struct Check: Codable {
        var at: Date
        /// What this check was charged: its rows not already charged inside the window, and at
        /// least one (a call that asks only rows asked before still looks them up again).
        var rows: Int
        /// The keyed fingerprints of its rows that were charged
        /// (``VerificationService/staffCheckFingerprint(of:username:)``), so the same row asked again
        /// inside the window is not charged again. Absent in checks recorded before them: their rows
        /// count in full and match nothing.
        var fingerprints: [String]?
    }

    /// What a call asking `fingerprints` costs against `recent`, and whether it fits.
    struct Charge {
        /// Its rows that no check of the window was charged for, once each, in order.
        var new: [String]
        /// What it is charged: the new rows, and at least one.
        var rows: Int { max(1, new.count) }
        /// ``VerificationError/Code/tooManyChecks`` with the earliest time it would fit (none when
        /// its rows alone exceed the bound), or `nil` when it fits now.
        var refusal: VerificationError?
    }

    var checks: [Check]
    /// When a call was last refused for the bound and that refusal recorded, so a caller who keeps
    /// trying writes one event per window, not one per try. Absent in records written before it.
    var refusalRecordedAt: Date?

    /// When the latest check and the recorded refusal leave the window: from then on
    /// ``recent(at:)`` is empty and ``holdsRefusal(at:)`` false, so the record charges nothing and
    /// holds back no refusal's event, exactly as no record does, and may be removed
    /// (``VerificationService/idleRecordRemovals(in:sparing:at:)``). The epoch for a record with
    /// neither.
    var idleFrom: Date {
        let latest = (checks.map(\.at) + [refusalRecordedAt].compactMap { $0 }).max()
        return (latest ?? Date(timeIntervalSince1970: 0)).adding(VerificationService.staffCheckWindow)
    }

    /// Whether something recorded at `recorded` still counts at `time`: the one test of the window,
    /// which the bound (``recent(at:)``) and the refusal's event (``holdsRefusal(at:)``) apply.
    static func counts(_ recorded: Date, at time: Date) -> Bool {
        time.timeIntervalSince(recorded) < VerificationService.staffCheckWindow.timeInterval
    }

    /// The checks the bound counts at `time`, oldest first.
    func recent(at time: Date) -> [Check] {
        checks.filter { Self.counts($0.at, at: time) }.sorted { $0.at < $1.at }
    }

    /// Whether the recorded refusal still holds back another refusal's event at `time`.
    func holdsRefusal(at time: Date) -> Bool {
        refusalRecordedAt.map { Self.counts($0, at: time) } ?? false
    }

    /// What asking `fingerprints` costs on top of `recent` (the window's checks, oldest first) under
    /// `limit`, and when it would fit if it does not now. As checks leave the window, their rows stop
    /// counting and the call's rows they held become new again: fingerprints are charged to one check
    /// at most, so each check leaving lowers the total by its rows and raises it by no more.
    static func charge(of fingerprints: [String], after recent: [Check], limit: Int, window: Duration) -> Charge {
        var seen = Set(recent.lazy.compactMap(\.fingerprints).joined())
        let new = fingerprints.filter { seen.insert($0).inserted }
        var charge = Charge(new: new)
        var used = recent.reduce(0) { $0 + max(0, $1.rows) }
        guard used + charge.rows > limit else { return charge }
        let asked = Set(fingerprints)
        var newCount = new.count
        for check in recent {
            used -= max(0, check.rows)
            newCount += (check.fingerprints ?? []).count { asked.contains($0) }
            if used + max(1, newCount) <= limit {
                charge.refusal = VerificationError.tooManyChecks(until: check.at.adding(window))
                return charge
            }
        }
        charge.refusal = VerificationError.tooManyChecks(until: nil)
        return charge
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
    /// checked, corrected and imported again, or imported with its bad rows left out) costs nothing
    /// more, and a call costs at least one row, so calls, their lookups and their audit events are
    /// bounded too. Asking rows again tells only whether they changed since. Rows are told apart by a
    /// keyed fingerprint of their canonical address and username (an HMAC under a subkey of the code
    /// keys), so the quota's record holds no address; after a rotation of the code keys, rows asked
    /// again are charged once more.
    ///
    /// Once a call's charge no longer fits, the call is refused *before* anything is looked up,
    /// whether its addresses are free or taken, so the refusal itself tells nothing.
    public static let maximumStaffRowsCheckedPerDay = 2_000

    /// The HKDF `info` label of the subkey that fingerprints checked rows (see
    /// `CodeKey.subkey(for:)`).
    static let staffCheckPurpose = "dapodik-verification-staff-check-v1"

    /// The fingerprint of one looked-up row: HMAC-SHA256, under the staff-check subkey of the
    /// current code key, of the address's canonical form and the username (lower-cased; empty for
    /// an address change), truncated to 64 bits and written as 16 hex digits. Keyed, so the
    /// quota's record cannot be tested against guessed addresses by whoever reads the store.
    func staffCheckFingerprint(of address: EmailAddress, username: Username?) -> String {
        staffCheckFingerprint(of: address, username: username, key: staffCheckKey)
    }

    /// The fingerprints of `registrations`' rows, in order, under one derivation of the subkey.
    func staffCheckFingerprints(_ registrations: [AccountRegistration]) -> [String] {
        let key = staffCheckKey
        return registrations.map { staffCheckFingerprint(of: $0.email, username: $0.username, key: key) }
    }

    /// The staff-check subkey of the current code key.
    private var staffCheckKey: [UInt8] {
        let ring = configuration.keyRing
        guard let key = ring.subkey(for: Self.staffCheckPurpose, of: ring.currentKeyID) else {
            preconditionFailure("a key ring always holds its current key")
        }
        return key
    }

    private func staffCheckFingerprint(of address: EmailAddress, username: Username?, key: [UInt8]) -> String {
        let message = Array(address.canonical.utf8) + [0] + Array((username?.value ?? "").utf8)
        return Self.tokenHex(Crypto.hmacSHA256(key: key, message: message).prefix(8))
    }

    /// The window of ``maximumStaffRowsCheckedPerDay``.
    static let staffCheckWindow: Duration = .seconds(24 * 60 * 60)

    /// Charges the rows of `fingerprints` that the window has not charged yet (at least one) to
    /// `caller`'s daily bound and records a ``VerificationEvent/Kind/staffChecked`` event, in one
    /// conditional commit.
    /// Call ``requireStaffCheckRoom(for:by:purpose:)`` before looking the rows up.
    /// - Throws: ``VerificationError/Code/tooManyChecks`` with ``VerificationError/retryAt`` when
    ///   a concurrent call spent the room since; nothing is recorded then.
    func recordStaffCheck(for fingerprints: [String], inUse: Int, by caller: Account, purpose: String) async throws {
        try await retryingConflicts {
            let room = try await staffCheckRoom(for: fingerprints, by: caller.id)
            // A concurrent call spent the room after this one's check.
            if let refusal = room.charge.refusal { throw refusal }
            let charge = room.charge
            var batch = Batch()
            try batch.put(
                StaffCheckQuota(
                    checks: room.recent + [.init(at: room.time, rows: charge.rows, fingerprints: charge.new)],
                    refusalRecordedAt: room.stored?.value.refusalRecordedAt),
                at: StaffCheckQuota.storedKey(caller.id), replacing: room.stored?.version)
            batch.record(
                .staffChecked, at: room.time, by: caller.id, account: caller.id,
                school: caller.schoolNPSN.description,
                detail: "\(purpose): \(fingerprints.count) rows checked (\(charge.new.count) not asked in 24 hours), "
                    + "\(inUse) already registered")
            try await commitStaffCheck(batch, of: caller.id, at: room.time)
        }
    }

    /// Refuses a call whose charge (its rows not yet charged in the window, at least one) would not
    /// fit in the caller's daily bound, before it looks anything up. The first refusal in a window is recorded as a
    /// ``VerificationEvent/Kind/staffChecked`` event ("refused"), so the audit feed shows an operator
    /// who went on past the bound; later ones within 24 hours of it write nothing.
    /// - Throws: ``VerificationError/Code/tooManyChecks`` with ``VerificationError/retryAt``.
    func requireStaffCheckRoom(for fingerprints: [String], by caller: Account, purpose: String) async throws {
        try await retryingConflicts {
            let room = try await staffCheckRoom(for: fingerprints, by: caller.id)
            guard let refusal = room.charge.refusal else { return }
            if room.stored?.value.holdsRefusal(at: room.time) == true { throw refusal }
            var batch = Batch()
            try batch.put(
                StaffCheckQuota(checks: room.recent, refusalRecordedAt: room.time),
                at: StaffCheckQuota.storedKey(caller.id), replacing: room.stored?.version)
            batch.record(
                .staffChecked, at: room.time, by: caller.id, account: caller.id,
                school: caller.schoolNPSN.description,
                detail: "\(purpose): refused, \(room.charge.rows) rows over the daily bound of "
                    + "\(Self.maximumStaffRowsCheckedPerDay)")
            try await commitStaffCheck(batch, of: caller.id, at: room.time)
            throw refusal
        }
    }

    /// The caller's quota as stored, its checks inside the window now, and what asking
    /// `fingerprints` costs on top of them: what both the check before a lookup and the count after
    /// it read.
    private func staffCheckRoom(for fingerprints: [String], by caller: AccountID) async throws -> (
        time: Date, stored: Loaded<StaffCheckQuota>?, recent: [StaffCheckQuota.Check], charge: StaffCheckQuota.Charge
    ) {
        let time = now
        let stored = try await store.load(StaffCheckQuota.storedKey(caller))
        let recent = stored?.value.recent(at: time) ?? []
        let charge = StaffCheckQuota.charge(
            of: fingerprints, after: recent, limit: Self.maximumStaffRowsCheckedPerDay, window: Self.staffCheckWindow)
        return (time, stored, recent, charge)
    }

    /// Commits `batch`, which puts `caller`'s quota at `time`, removing a few other operators' idle
    /// quotas with it: one record per operator who ever checked a row does not stay for ever.
    private func commitStaffCheck(_ batch: Batch, of caller: AccountID, at time: Date) async throws {
        let removals = await idleRecordRemovals(
            in: StaffCheckQuota.idleIndex, sparing: StaffCheckQuota.storedKey(caller), at: time)
        try await commit(batch, removing: removals)
    }

    /// Runs `body`, counting a refusal that says an address or username is registered
    /// (``VerificationError/Code/emailInUse``, ``VerificationError/Code/usernameInUse``: usernames
    /// and addresses share one namespace, so a username typed as someone's address asks the same
    /// question) as one row checked by `caller`: a single registration or address change answers
    /// what a checked row answers, so it is bounded and audited the same way. Once the bound is
    /// spent, every call that sets an address is answered ``VerificationError/Code/tooManyChecks``
    /// before `body` runs, whether its address is free or taken.
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
