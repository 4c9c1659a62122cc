// Creating a school with its operator: the provisioning step before anyone logs in.
extension VerificationService {
    /// Registers a school and its operator account, unverified.
    ///
    /// This is the provisioning step the Dapodik side performs (the operator account comes with
    /// the school), so it takes no caller. The operator then logs in, asks for a code to their own
    /// address with ``requestCode(for:by:language:)`` and confirms it with
    /// ``submitCode(_:for:by:)``; only then may they manage PTK accounts.
    /// - Parameters:
    ///   - school: The school (NPSN, name, time zone).
    ///   - registration: The operator's name, username, own e-mail address and password.
    /// - Returns: The operator's new account.
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/schoolExists``,
    ///   ``VerificationError/Code/emailInUse``, ``VerificationError/Code/usernameInUse``,
    ///   ``VerificationError/Code/possibleTypo`` or ``VerificationError/Code/invalidInput`` (a
    ///   password the policy refuses); nothing is stored then. An address in a domain nobody
    ///   mistypes (a school's own domain) is *not* an error.
    public func createSchool(_ school: School, operator registration: AccountRegistration)
        async throws(VerificationError)
        -> Account
    {
        try await perform {
            var credential: PasswordCredential?
            return try await retryingConflicts {
                let time = now
                if try await loadSchool(school.npsn) != nil { throw VerificationError.schoolExists }
                var account = try await validatedNewAccount(
                    registration, role: .operator, school: school.npsn, at: time, credential: &credential)
                var batch = Batch()
                try batch.put(school, replacing: nil)
                try put(account, in: &batch, replacing: nil)
                batch.record(
                    .schoolCreated, at: time, by: nil, account: account.id, school: school.npsn.description,
                    email: account.email, detail: "operator \(account.username)")
                try await commit(batch)
                account.version = 1
                return account
            }
        }
    }
}
