#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A person changing their own password, and the re-authentication every such change needs.
extension VerificationService {
    /// Changes the caller's own password (a PTK replacing the one the operator set, say).
    ///
    /// The current password is required (NIST SP 800-63B §6.1.2.3: re-authenticate before a
    /// secret is changed), and every attempt counts towards the account's login throttle, claimed
    /// before the password is checked, so a left-open session cannot be used to guess it. The new
    /// password must satisfy ``Configuration/passwordPolicy`` (checked first, so a refused one
    /// changes nothing at all). A
    /// ``VerificationEvent/Kind/passwordChanged`` event records who and when, never the password.
    /// - Parameters:
    ///   - currentPassword: The password the caller logs in with now.
    ///   - newPassword: The new password.
    ///   - caller: The logged-in account.
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/invalidCredentials`` (the
    ///   current password is wrong), ``VerificationError/Code/loginThrottled`` (too many wrong
    ///   passwords; ``VerificationError/retryAt`` says when), ``VerificationError/Code/accountLocked``,
    ///   ``VerificationError/Code/invalidInput``
    ///   (the policy refuses the new password; ``VerificationError/validation`` says why), or
    ///   ``VerificationError/Code/authorization`` (no such caller). Nothing is changed then, but a
    ///   wrong current password is counted. A new password equal to the current one is *not* an
    ///   error: it is stored with a fresh salt.
    public func changePassword(from currentPassword: String, to newPassword: String, by caller: AccountID)
        async throws(VerificationError)
    {
        try await perform {
            let verified = try await self.caller(caller)
            // The policy first: a refused new password changes nothing, not even the throttle.
            try configuration.passwordPolicy.validate(
                newPassword, username: verified.value.username, email: verified.value.email)
            try await requireCurrentPassword(currentPassword, of: verified.value)
            let credential = await configuration.passwordHasher.hashTogether(newPassword)
            try await retryingConflicts {
                let loaded = try await self.caller(caller)
                if loaded.value.password != verified.value.password {
                    // Changed meanwhile (by the operator, say): the old password must still be right.
                    try await requireCurrentPassword(currentPassword, of: loaded.value)
                }
                let time = now
                var account = loaded.value
                account.password = credential
                account.updatedAt = time
                var batch = Batch()
                try put(account, in: &batch, replacing: loaded.version)
                batch.record(
                    .passwordChanged, at: time, by: caller, account: account.id,
                    school: account.schoolNPSN.description, detail: "changed by the account holder")
                try await commit(batch)
            }
        }
    }

    /// Refuses unless `password` is `account`'s current password, throttled like a login of the
    /// account: a refusal while it is blocked, and every attempt claimed before its password is
    /// checked (``claimLoginAttempt(identifier:account:at:)``).
    func requireCurrentPassword(_ password: String, of account: Account) async throws {
        let claimed = try await claimLoginAttempt(identifier: nil, account: account, at: now).keys
        let credential = isPlausiblePassword(password) ? account.password : nil
        guard await configuration.passwordHasher.verifyEqualizingCostTogether(password, against: credential) else {
            throw VerificationError.invalidCredentials
        }
        var clearing = Batch()
        for key in claimed { clearing.delete(key) }
        try await commit(clearing)
    }
}
