#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Lifting the locks that only a person may lift: after NIST SP 800-63B §5.2.2's 100 consecutive
// failed logins, or after the lifetime bound on wrong codes (``AccountCodeLimits``).
extension VerificationService {
    /// Unlocks a PTK's or principal's account: clears its failed logins (under the account and under
    /// its username and e-mail address) and lifts its lock after consecutive wrong codes, and records
    /// an ``VerificationEvent/Kind/accountUnlocked`` event. The wrong codes of the last 24 hours and the
    /// wait after an exhausted challenge stay: an unlock never widens the daily bound on wrong codes.
    /// - Parameters:
    ///   - account: The locked account.
    ///   - caller: The logged-in, verified operator of the account's school. Nobody unlocks their
    ///     own account: that would undo the lock's purpose.
    /// - Throws: ``VerificationError/Code/authorization`` (not the account's operator, or the
    ///   caller's own account), ``VerificationError/Code/notFound``. Unlocking an account that is
    ///   not locked is *not* an error: it clears what there is and records the event.
    public func unlockAccount(_ account: AccountID, by caller: AccountID) async throws(VerificationError) {
        try await perform {
            let manager = try await self.caller(caller).value
            guard account != caller else { throw VerificationError.authorization }
            guard let target = try await loadAccount(account) else {
                try requireVerifiedOperator(manager)
                throw VerificationError.notFound
            }
            try requireManagement(by: manager, of: target.value)
            try await unlock(target.value, by: caller)
        }
    }

    /// Unlocks any account, an operator's included, for the administrator of the deployment (the
    /// provisioning side that calls ``createSchool(_:operator:)``; it takes no caller because the
    /// embedding application decides who that is). Clears what ``unlockAccount(_:by:)`` clears.
    /// - Parameter account: The locked account.
    /// - Throws: ``VerificationError/Code/notFound``. An account that is not locked is *not* an error.
    public func unlockAccountAsAdministrator(_ account: AccountID) async throws(VerificationError) {
        try await perform {
            guard let target = try await loadAccount(account) else { throw VerificationError.notFound }
            try await unlock(target.value, by: nil)
        }
    }

    /// Unlocks the operator account of a school, for the administrator of the deployment, who knows
    /// the school but not the account's identifier (the CLI's `school unlock-operator`). Clears what
    /// ``unlockAccount(_:by:)`` clears.
    /// - Parameter school: The operator's school.
    /// - Returns: The unlocked operator account.
    /// - Throws: ``VerificationError/Code/notFound`` when the school has no operator. An
    ///   account that is not locked is *not* an error.
    public func unlockOperatorAsAdministrator(of school: NPSN) async throws(VerificationError) -> Account {
        try await perform {
            let accounts = try await store.loadAll(where: Account.schoolIndex, equals: school.description)
            guard let found = accounts.first(where: { $0.value.role == .operator }) else {
                throw VerificationError.schoolNotFound
            }
            try await unlock(found.value, by: nil)
            return found.value
        }
    }

    func unlock(_ account: Account, by actor: AccountID?) async throws {
        var identifiers = [account.loginUsername]
        if let email = account.email { identifiers.append(email.canonical) }
        try await retryingConflicts {
            var batch = Batch()
            for key in [accountThrottleKey(account.id)] + identifiers.map(identifierThrottleKey) { batch.delete(key) }
            let historyKey = AccountCodeLimits.History.storedKey(account.id)
            if let history = try await store.load(historyKey) {
                try batch.put(
                    configuration.wrongCodeLimits.unlocking(history.value), at: historyKey, replacing: history.version)
            }
            batch.record(
                .accountUnlocked, at: now, by: actor, account: account.id, school: account.schoolNPSN.description,
                detail: actor == nil ? "unlocked by the administrator" : "unlocked by the school operator")
            try await commit(batch)
        }
    }
}
