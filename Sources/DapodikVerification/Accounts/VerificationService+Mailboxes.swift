import DapodikLocking
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

/// The record that says every account of the store has its mailbox reserved, under which rules:
/// written by ``VerificationService/reserveMailboxes(progress:)``, or at once in a store without
/// accounts.
struct MailboxReservationsComplete: Codable {
    /// When it was written.
    var at: Date
    /// The ``EmailAddress/mailboxRulesVersion`` the reservations follow.
    var rules: Int
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

    /// Adds to `batch`, which verifies `account`'s address, what keeps its mailbox to this account:
    /// a reservation when none exists (an account stored before reservations verifies), nothing
    /// when the account holds it (the account's own put at its version keeps it from moving away
    /// meanwhile).
    /// - Throws: ``VerificationError/Code/emailInUse`` when another account holds the mailbox: two
    ///   accounts stored earlier that reach one inbox, of which only one may be verified.
    func keepMailboxOnVerification(of address: EmailAddress, for account: AccountID, in batch: inout Batch)
        async throws
    {
        let key = MailboxReservation.storedKey(address)
        if let held = try await store.load(key) {
            guard held.value.account == account else { throw VerificationError.emailInUse }
        } else {
            try reserveMailbox(of: address, for: account, in: &batch)
        }
    }

    /// Refuses, with ``VerificationError/Code/storeNeedsUpgrade``, while the store holds accounts
    /// written before mailboxes were reserved: a mailbox they reach has no reservation to refuse a
    /// second account with. Once the store is seen marked complete, the service asks no more.
    func requireMailboxesReserved() async throws {
        if mailboxesKnownReserved.withLock({ $0 }) { return }
        let mark = try await store.load(MailboxReservationsComplete.storedKey)
        if (mark?.value.rules ?? 0) < EmailAddress.mailboxRulesVersion {
            // A store without a single account has nothing to reserve: marked now.
            let anyAccount = try await store.records(in: Account.schoolIndex.name, from: "", to: "~", limit: 1)
            guard anyAccount.isEmpty else { throw VerificationError.storeNeedsUpgrade }
            try await markMailboxesReserved()
        }
        mailboxesKnownReserved.withLock { $0 = true }
    }

    /// Writes the mark that every account's mailbox is reserved under the current rules (a concurrent
    /// writer's mark is as good).
    func markMailboxesReserved() async throws {
        let key = MailboxReservationsComplete.storedKey
        let mark = try await store.load(key)
        if (mark?.value.rules ?? 0) < EmailAddress.mailboxRulesVersion {
            var batch = Batch()
            try batch.put(
                MailboxReservationsComplete(at: now, rules: EmailAddress.mailboxRulesVersion), at: key,
                replacing: mark?.version)
            do {
                try await commit(batch)
            } catch let error as StoreError where error.isConflict {
                // Written by another process meanwhile.
            }
        }
        mailboxesKnownReserved.withLock { $0 = true }
    }
}
