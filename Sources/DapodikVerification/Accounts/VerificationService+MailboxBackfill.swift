import DapodikStorage

// Reserving the mailboxes of accounts stored before reservations existed.
extension VerificationService {
    /// Reserves the mailbox (``EmailAddress/mailbox``) of every account that has an address and
    /// holds none yet: the one-off step after upgrading a store written before the service allowed
    /// one account per mailbox. Registrations and address changes since then reserve their own.
    /// Until it has run, the service refuses what sets or verifies an address
    /// (``VerificationError/Code/storeNeedsUpgrade``): the accounts stored before have no
    /// reservation to be checked against.
    ///
    /// Safe to run while the service is in use, and to run again (an interrupted run is simply
    /// run again): each reservation is committed with the account it belongs to, under the
    /// version that was read, so an address changed meanwhile is read afresh. Every account is
    /// read once; the commits take at most ``reservationsPerCommit`` accounts each.
    ///
    /// Two accounts stored earlier may reach one mailbox (`budi.santoso@gmail.com` and
    /// `budisantoso@gmail.com`): a verified one keeps it (of two verified, or two unverified, the
    /// first one read), the other is listed in ``MailboxReservationReport/shared`` and left
    /// unchanged. An unverified account whose mailbox another holds can be neither sent a code nor
    /// verified with one sent before, until its address changes.
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
            while let school = try await nextSchool(from: lower) {
                let accounts = try await store.loadAll(where: Account.schoolIndex, equals: school)
                report.accountsRead += accounts.count
                try await reserveMailboxes(of: accounts, into: &report)
                progress(report.accountsRead)
                lower = school + "\u{0}"
            }
            try await markMailboxesReserved()
            return report
        }
    }

    /// The most accounts whose reservations ``reserveMailboxes(progress:)`` commits at once.
    public static let reservationsPerCommit = 200

    /// The smallest school NPSN at or after `lower` that has accounts (an NPSN is letters and digits,
    /// all below `~`).
    private func nextSchool(from lower: String) async throws -> String? {
        let first = try await store.records(in: Account.schoolIndex.name, from: lower, to: "~", limit: 1).first
        return first?.indexes.first { $0.name == Account.schoolIndex.name }?.value
    }

    /// Reserves the free mailboxes of `accounts` (one school's), adding to `report`: verified
    /// accounts first, free mailboxes in commits of ``reservationsPerCommit``, and each account
    /// whose mailbox is held, or claimed by another account of the school, on its own after them.
    private func reserveMailboxes(of accounts: [Loaded<Account>], into report: inout MailboxReservationReport)
        async throws
    {
        var pending: [(account: Loaded<Account>, address: EmailAddress)] = []
        var alone: [AccountID] = []
        var claimed: Set<String> = []
        let verifiedFirst = accounts.filter(\.value.isEmailVerified) + accounts.filter { !$0.value.isEmailVerified }
        for loaded in verifiedFirst {
            guard let address = loaded.value.email else { continue }
            if claimed.contains(address.mailbox) {
                alone.append(loaded.value.id)
            } else if let holder = try await holderOfMailbox(address) {
                if holder == loaded.value.id { report.alreadyReserved += 1 } else { alone.append(loaded.value.id) }
            } else {
                claimed.insert(address.mailbox)
                pending.append((loaded, address))
            }
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
                alone.insert(contentsOf: chunk.map(\.account.value.id), at: 0)
            }
            start = chunk.endIndex
        }
        for id in alone { try await reserveMailbox(ofStored: id, into: &report) }
    }

    /// Reserves the mailbox of the stored account `id`, read afresh, adding to `report`. A verified
    /// account takes the mailbox from an unverified holder; any account takes it from a holder
    /// whose address no longer reaches it.
    private func reserveMailbox(ofStored id: AccountID, into report: inout MailboxReservationReport) async throws {
        let outcome: ReservationOutcome = try await retryingConflicts {
            guard let loaded = try await loadAccount(id), let address = loaded.value.email else { return .none }
            let key = MailboxReservation.storedKey(address)
            var batch = Batch()
            var left: SharedMailbox?
            if let held = try await store.load(key) {
                if held.value.account == id { return .alreadyReserved }
                let holder = try await loadAccount(held.value.account)
                let holderReaches = holder?.value.email?.mailbox == address.mailbox
                let holderVerified = holder?.value.isEmailVerified == true
                guard !holderReaches || (loaded.value.isEmailVerified && !holderVerified) else {
                    return .shared(
                        SharedMailbox(
                            account: id, school: loaded.value.schoolNPSN, address: address, holder: held.value.account))
                }
                if let holder, let holderAddress = holder.value.email, holderReaches {
                    left = SharedMailbox(
                        account: holder.value.id, school: holder.value.schoolNPSN, address: holderAddress, holder: id)
                    // Put unchanged, so the holder verifying meanwhile fails the commit.
                    try batch.put(holder.value, replacing: holder.version)
                    batch.record(
                        .mailboxReassigned, at: now, by: nil, account: holder.value.id,
                        school: holder.value.schoolNPSN.description, email: holderAddress,
                        detail: "mailbox now held by verified account \(id)")
                }
                try batch.put(MailboxReservation(account: id), at: key, replacing: held.version)
            } else {
                try reserveMailbox(of: address, for: id, in: &batch)
            }
            try batch.put(loaded.value, replacing: loaded.version)
            try await commit(batch)
            return .reserved(takenFrom: left)
        }
        switch outcome {
        case .none: break
        case .reserved(let left):
            report.reserved += 1
            if let left { report.shared.append(left) }
        case .alreadyReserved: report.alreadyReserved += 1
        case .shared(let line): report.shared.append(line)
        }
    }

    /// What reserving one account's mailbox came to.
    private enum ReservationOutcome {
        case none, alreadyReserved
        /// Reserved; from an unverified holder, listed as left out, when `takenFrom` is given.
        case reserved(takenFrom: SharedMailbox?)
        case shared(SharedMailbox)
    }
}
