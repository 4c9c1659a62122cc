import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The record that reserves one mailbox (``EmailAddress/mailbox``) for one account.
struct MailboxReservation: Codable {
    var account: AccountID
}

// One account per mailbox, however its address is spelled: `budi.santoso@gmail.com` and
// `budisantoso+ptk@gmail.com` reach one inbox, so they may not verify two accounts.
extension VerificationService {
    /// The account whose address delivers to the same mailbox as `address`, if any has reserved it.
    func holderOfMailbox(_ address: EmailAddress) async throws -> AccountID? {
        try await store.load(MailboxReservation.storedKey(address))?.value.account
    }

    /// Reserves the mailbox of `address` for `account` in `batch`, under "must not exist".
    func reserveMailbox(of address: EmailAddress, for account: AccountID, in batch: inout Batch) throws {
        try batch.put(
            MailboxReservation(account: account), at: MailboxReservation.storedKey(address), replacing: nil)
    }

    /// Moves `account`'s reservation from the mailbox of `old` to that of `new` in `batch`: the new
    /// mailbox reserved unless the account holds it already (an address spelled another way), the
    /// old one released if the account held it (an account stored before reservations existed
    /// holds none until ``reserveMailboxes(progress:)`` has run).
    func moveMailbox(from old: EmailAddress?, to new: EmailAddress, of account: AccountID, in batch: inout Batch)
        async throws
    {
        let newKey = MailboxReservation.storedKey(new)
        if let held = try await store.load(newKey) {
            // Another holder was refused before (requireFreeEmail); one since then is a conflict.
            guard held.value.account == account else {
                throw StoreError.alreadyExists(newKey.recordKey, version: held.version)
            }
        } else {
            try reserveMailbox(of: new, for: account, in: &batch)
        }
        guard let old, old.mailbox != new.mailbox else { return }
        let oldKey = MailboxReservation.storedKey(old)
        if let held = try await store.load(oldKey), held.value.account == account {
            batch.delete(oldKey, expecting: held.version)
        }
    }
}

// Reserving the mailboxes of accounts stored before reservations existed.
extension VerificationService {
    /// Reserves the mailbox (``EmailAddress/mailbox``) of every account that has an address and
    /// holds none yet: the one-off step after upgrading a store written before the service allowed
    /// one account per mailbox. Registrations and address changes since then reserve their own.
    ///
    /// Safe to run while the service is in use, and to run again (an interrupted run is simply
    /// run again): each reservation is committed with the account it belongs to, under the
    /// version that was read, so an address changed meanwhile is read afresh. Every account is
    /// read once; the commits take at most ``reservationsPerCommit`` accounts each.
    ///
    /// Two accounts stored earlier may reach one mailbox (`budi.santoso@gmail.com` and
    /// `budisantoso@gmail.com`): the first one read keeps it, the other is listed in
    /// ``MailboxReservationReport/shared`` and left unchanged; an unverified one is refused a code
    /// until its address changes.
    /// - Parameter progress: Told the number of accounts read so far, after each school.
    /// - Returns: What was found and done.
    /// - Throws: ``VerificationError/Code/storage`` (or ``VerificationError/Code-swift.struct/busy``)
    ///   if the store fails; what was committed before stays, and a new run goes on from there.
    @discardableResult
    public func reserveMailboxes(progress: @Sendable (Int) -> Void = { _ in }) async throws(VerificationError)
        -> MailboxReservationReport
    {
        try await perform {
            var report = MailboxReservationReport()
            var lower = ""
            while let (school, next) = try await nextSchool(from: lower) {
                let accounts = try await store.loadAll(where: Account.schoolIndex, equals: school)
                report.accountsRead += accounts.count
                try await reserveMailboxes(of: accounts, into: &report)
                progress(report.accountsRead)
                lower = next
            }
            return report
        }
    }

    /// The most accounts whose reservations ``reserveMailboxes(progress:)`` commits at once.
    public static let reservationsPerCommit = 200

    /// The smallest school NPSN at or after `lower` that has accounts, and the bound just after it.
    private func nextSchool(from lower: String) async throws -> (school: String, next: String)? {
        guard let first = try await store.records(in: Account.schoolIndex.name, from: lower, to: "~", limit: 1).first,
            let school = first.indexes.first(where: { $0.name == Account.schoolIndex.name })?.value
        else { return nil }
        return (school, school + "\u{0}")
    }

    /// Reserves the free mailboxes of `accounts` (one school's), adding to `report`.
    private func reserveMailboxes(of accounts: [Loaded<Account>], into report: inout MailboxReservationReport)
        async throws
    {
        var pending: [(account: Loaded<Account>, address: EmailAddress)] = []
        var claimed: [String: AccountID] = [:]
        for loaded in accounts {
            guard let address = loaded.value.email else { continue }
            let id = loaded.value.id
            if let holder = try await holderOfMailbox(address) ?? claimed[address.mailbox] {
                if holder == id {
                    report.alreadyReserved += 1
                } else {
                    report.shared.append(
                        SharedMailbox(account: id, school: loaded.value.schoolNPSN, address: address, holder: holder))
                }
                continue
            }
            claimed[address.mailbox] = id
            pending.append((loaded, address))
        }
        var start = pending.startIndex
        while start < pending.endIndex {
            let chunk = pending[start..<min(start + Self.reservationsPerCommit, pending.endIndex)]
            var batch = Batch()
            for (account, address) in chunk {
                try reserveMailbox(of: address, for: account.value.id, in: &batch)
                // Put unchanged, so an address changed since the read fails the commit.
                try batch.put(account.value, replacing: account.version)
            }
            do {
                try await commit(batch)
                report.reserved += chunk.count
            } catch let error as StoreError where error.isConflict {
                // Something changed meanwhile: each account of the chunk on its own, read afresh.
                for (account, _) in chunk { try await reserveMailbox(ofStored: account.value.id, into: &report) }
            }
            start = chunk.endIndex
        }
    }

    /// Reserves the mailbox of the stored account `id`, read afresh, adding to `report`.
    private func reserveMailbox(ofStored id: AccountID, into report: inout MailboxReservationReport) async throws {
        let outcome: ReservationOutcome = try await retryingConflicts {
            guard let loaded = try await loadAccount(id), let address = loaded.value.email else { return .none }
            if let holder = try await holderOfMailbox(address) {
                return holder == id
                    ? .alreadyReserved
                    : .shared(
                        SharedMailbox(account: id, school: loaded.value.schoolNPSN, address: address, holder: holder))
            }
            var batch = Batch()
            try reserveMailbox(of: address, for: id, in: &batch)
            try batch.put(loaded.value, replacing: loaded.version)
            try await commit(batch)
            return .reserved
        }
        switch outcome {
        case .none: break
        case .reserved: report.reserved += 1
        case .alreadyReserved: report.alreadyReserved += 1
        case .shared(let line): report.shared.append(line)
        }
    }

    /// What reserving one account's mailbox came to.
    private enum ReservationOutcome {
        case none, reserved, alreadyReserved
        case shared(SharedMailbox)
    }
}
