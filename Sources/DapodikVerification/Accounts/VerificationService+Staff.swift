#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The operator's screens: Akun → Daftar Akun → Jenis Akun = PTK; "Tambah akun"; the pencil icon.
extension VerificationService {
    /// Registers a PTK of the operator's school ("Tambah akun"), unverified.
    /// - Parameters:
    ///   - registration: The PTK's name, username, own active e-mail, password and NUPTK.
    ///   - caller: The logged-in operator (or principal) of the school, whose own e-mail is verified.
    /// - Returns: The new account.
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/authorization`` (not a verified
    ///   operator of a school), ``VerificationError/Code/usernameInUse`` (checked before the address),
    ///   ``VerificationError/Code/emailInUse`` (without saying whose; counted as one row checked, like
    ///   ``checkStaff(_:by:)``; once the operator's daily bound is spent, every registration is
    ///   refused with ``VerificationError/Code/tooManyChecks`` before its address is looked up), ``VerificationError/Code/possibleTypo`` (with the suggestion; pass
    ///   `confirmingUnusualDomain` to keep the address) or ``VerificationError/Code/invalidInput``. No
    ///   account is stored then.
    public func registerStaff(_ registration: AccountRegistration, by caller: AccountID) async throws(VerificationError)
        -> Account
    {
        try await perform {
            // Who may register is settled before the daily bound is looked at.
            let manager = try await self.caller(caller).value
            try requireVerifiedOperator(manager)
            var credential: PasswordCredential?
            return try await countingAddressInUse(
                by: manager, purpose: "refused registration", address: registration.email,
                username: registration.username
            ) {
                try await retryingConflicts {
                    let time = now
                    let manager = try await self.caller(caller).value
                    try requireVerifiedOperator(manager)
                    var account = try await validatedNewAccount(
                        registration, role: .ptk, school: manager.schoolNPSN, at: time, credential: &credential)
                    var batch = Batch()
                    try put(account, in: &batch, replacing: nil)
                    batch.record(
                        .accountRegistered, at: time, by: caller, account: account.id,
                        school: account.schoolNPSN.description,
                        email: account.email, detail: "ptk \(account.username)")
                    try await commit(batch)
                    account.version = 1
                    return account
                }
            }
        }
    }

    /// Changes a PTK's e-mail address and/or password (the pencil icon).
    ///
    /// Only for *another* account: a change to one's own password or address goes through the
    /// paths that ask for the current password (``changePassword(from:to:by:)``,
    /// ``correctEmail(to:password:confirmingUnusualDomain:by:)``), so a session left open is not
    /// enough to take the account over (NIST SP 800-63B §6.1.2.3).
    ///
    /// A new address makes the account unverified, cancels its open challenge (so codes already
    /// sent to the old address stop working), and queues a notice to the old address if it was
    /// verified, so a person whose address was taken away learns of it.
    /// - Parameters:
    ///   - account: The PTK's account.
    ///   - email: The new address, or `nil` to keep it.
    ///   - password: The new password, or `nil` to keep it.
    ///   - confirmingUnusualDomain: Keep an address that looks mistyped.
    ///   - caller: The logged-in, verified operator of the PTK's school.
    /// - Returns: The updated account.
    /// - Throws: ``VerificationError`` as for ``registerStaff(_:by:)``, and
    ///   ``VerificationError/Code/notFound``; ``VerificationError/Code/authorization`` when `account`
    ///   is the caller's own. Passing the current address again is *not* an error
    ///   and changes nothing about verification.
    public func updateStaff(
        _ account: AccountID, email: EmailAddress? = nil, password: String? = nil,
        confirmingUnusualDomain: Bool = false, by caller: AccountID
    ) async throws(VerificationError) -> Account {
        try await perform {
            var credential: PasswordCredential?
            let manager = try await self.caller(caller).value
            let (updated, queued) = try await countingAddressInUse(
                by: manager, purpose: "refused address change",
                address: try await setsNewAddress(email, on: account, by: manager) ? email : nil
            ) {
                try await retryingConflicts {
                    let manager = try await self.caller(caller).value
                    guard account != caller else { throw VerificationError.ownAccountNeedsPassword }
                    guard let target = try await loadAccount(account) else {
                        try requireVerifiedOperator(manager)
                        throw VerificationError.notFound
                    }
                    try requireManagement(by: manager, of: target.value)
                    if let password, credential == nil {
                        // Checked against the PTK's own username and address, once the caller may know them.
                        try configuration.passwordPolicy.validate(
                            password, username: target.value.username, email: email ?? target.value.email)
                        credential = await configuration.passwordHasher.hashTogether(password)
                    }
                    return try await change(
                        target, email: email, credential: credential, confirmingUnusualDomain: confirmingUnusualDomain,
                        by: manager)
                }
            }
            await sendRightAway(queued)
            return updated
        }
    }

    /// Whether ``updateStaff(_:email:password:confirmingUnusualDomain:by:)`` would look `email` up:
    /// an address is given and it is not already the address of `account`, an account of the
    /// caller's school. A form sent back with the address unchanged, or a new password alone, is
    /// not refused for the daily bound of rows checked. For an account of another school (or none)
    /// any address counts as new, so the answer past the bound tells nothing about its address.
    func setsNewAddress(_ email: EmailAddress?, on account: AccountID, by manager: Account) async throws -> Bool {
        guard let email else { return false }
        guard let target = try await loadAccount(account)?.value, target.schoolNPSN == manager.schoolNPSN else {
            return true
        }
        return target.email?.canonical != email.canonical
    }

    /// Lists the PTK (and principal) accounts of the caller's school, by display name.
    /// - Parameter caller: The logged-in, verified operator (or principal) of the school.
    /// - Returns: The school's accounts other than the operator's.
    /// - Throws: ``VerificationError/Code/authorization`` for anyone else. An empty school is *not*
    ///   an error.
    public func listStaff(by caller: AccountID) async throws(VerificationError) -> [Account] {
        try await perform {
            let manager = try await self.caller(caller).value
            try requireVerifiedOperator(manager)
            return try await staff(of: manager.schoolNPSN)
        }
    }

    func staff(of school: NPSN) async throws -> [Account] {
        try await store.loadAll(where: Account.schoolIndex, equals: school.description).map(\.value)
            .filter { $0.role == .ptk }
            .sorted { ($0.displayName.value, $0.id) < ($1.displayName.value, $1.id) }
    }

    /// Applies an e-mail and/or password change, with its side effects, in one commit.
    func change(
        _ target: Loaded<Account>, email: EmailAddress?, credential: PasswordCredential?,
        confirmingUnusualDomain: Bool, by actor: Account
    ) async throws -> (account: Account, queued: [UUID]) {
        let time = now
        var account = target.value
        var batch = Batch()
        let school = account.schoolNPSN.description
        if let email, email.canonical != account.email?.canonical {
            try email.refuseLikelyTypo(confirmingUnusualDomain: confirmingUnusualDomain)
            try await requireFreeEmail(email, for: account.id)
            let oldEmail = account.email
            let wasVerified = account.isEmailVerified
            account.changeEmail(to: email, at: time)
            let username = account.loginUsername
            if let oldEmail, oldEmail.canonical != username {
                batch.delete(LoginIdentifierReservation.storedKey(oldEmail.canonical))
            }
            if email.canonical != username {
                try reserveLoginIdentifiers([email.canonical], for: account, in: &batch)
            }
            try await moveMailbox(from: oldEmail, to: email, of: account.id, in: &batch)
            batch.record(.emailChanged, at: time, by: actor.id, account: account.id, school: school, email: email)
            if let open = try await openChallenge(of: account.id) {
                try batch.put(try open.value.cancelling(because: .addressChanged, at: time), replacing: open.version)
                batch.record(
                    .challengeCancelled, at: time, by: actor.id, account: account.id, school: school,
                    email: open.value.address, detail: "address changed")
            }
            if wasVerified, let oldEmail, let schoolRecord = try await loadSchool(account.schoolNPSN) {
                try queueNotice(
                    to: oldEmail, account: account, school: schoolRecord.value, newAddress: email, changedBy: actor,
                    at: time, in: &batch)
            }
        }
        if let credential {
            account.password = credential
            batch.record(.passwordChanged, at: time, by: actor.id, account: account.id, school: school)
        }
        guard !batch.events.isEmpty else { return (account, []) }
        account.updatedAt = time
        try put(account, in: &batch, replacing: target.version)
        try await commit(batch)
        account.version = target.version + 1
        return (account, batch.queuedMessages)
    }
}
