#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Login with throttling, and the PTK's own screens: BIODATA → Akun, VERIFIKASI SEKARANG,
// correcting the address.
extension VerificationService {
    /// Logs in with a username or e-mail address and a password.
    ///
    /// Failures meet growing delays, then a temporary lock, then (after
    /// ``LoginThrottlePolicy/maximumConsecutiveFailures``) a lock only an unlock ends
    /// (``Configuration/loginThrottle``), counted both for the typed identifier and for the account
    /// it names, whether or not an account has that identifier. Each attempt is counted with a
    /// conditional commit *before* its password is checked, and cleared when it was right, so any
    /// number of concurrent attempts checks no more guesses than the policy allows. An unknown
    /// identifier costs the same password work as a known one
    /// (``PasswordHasher/verifyEqualizingCostTogether(_:against:)``), so neither the answer nor its
    /// timing tells whether the account exists; logins that overlap may be derived two at a time on
    /// one core. A stored hash with outdated parameters is replaced on success.
    /// - Parameters:
    ///   - identifier: The username or e-mail address, in any letter case; an address also in any
    ///     spelling of its mailbox (``EmailAddress/mailbox``: `budi.santoso@gmail.com` for
    ///     `budisantoso@gmail.com`) once that mailbox is reserved for the account.
    ///   - password: The password.
    /// - Returns: The session: the account to pass as `caller`.
    /// - Throws: ``VerificationError/Code/invalidCredentials`` (unknown identifier or wrong
    ///   password: the same error; also, without checking the password, while the account is
    ///   blocked under its other identifier), ``VerificationError/Code/loginThrottled`` with
    ///   ``VerificationError/retryAt``, or ``VerificationError/Code/accountLocked`` (both only for the
    ///   identifier typed), ``VerificationError/Code/invalidInput`` for an empty password (a form
    ///   sent blank, a stray Enter): no password was given, so nothing is tried or counted. An
    ///   unverified account is *not* an error: it may log in to verify.
    public func login(identifier: String, password: String) async throws(VerificationError) -> Session {
        guard !password.isEmpty else { throw VerificationError.passwordMissing }
        return try await perform {
            let (normalized, found) = try await loginTarget(identifier)
            let time = now
            let claim = try await claimLoginAttempt(identifier: normalized, account: found?.value, at: time)
            let matched = try await checkPassword(password, of: found, refused: claim.refused)
            let account = try await clearClaimedFailures(claim.keys, rehashing: matched, with: password, at: time)
            return try await session(of: account)
        }
    }

    /// Checks that a session from an earlier login still stands, and brings it up to date.
    ///
    /// A session ends when its account's password is no longer the one it logged in with
    /// (``Session/credentialStamp``): changed by its holder, reset by the operator, set from the
    /// command line or by another server sharing the store, or rehashed with new parameters at a
    /// later login (once, after ``Configuration/passwordHasher`` changes). It also ends when the
    /// account is gone or moved to another school. Call it on every request that acts as the
    /// session's account; it reads the account and its school, and checks no password.
    /// A throttled or locked account's session stands: failed logins by someone else must not log
    /// its holder out.
    /// - Parameter session: The session ``login(identifier:password:)`` gave (or a copy kept by the
    ///   app).
    /// - Returns: The session as the account is now: its role, whether its address is verified,
    ///   its school's time zone.
    /// - Throws: ``VerificationError/Code/sessionEnded`` (log in again), or
    ///   ``VerificationError/Code/storage``.
    public func resume(_ session: Session) async throws(VerificationError) -> Session {
        try await perform {
            guard let account = try await loadAccount(session.account)?.value,
                account.schoolNPSN == session.npsn,
                CredentialStamp(account: account.id, credential: account.password) == session.credentialStamp
            else { throw VerificationError.sessionEnded }
            return try await self.session(of: account)
        }
    }

    /// The session of `account` as it is now.
    func session(of account: Account) async throws -> Session {
        let school = try await loadSchool(account.schoolNPSN)
        return Session(
            account: account.id, role: account.role, npsn: account.schoolNPSN,
            isEmailVerified: account.isEmailVerified, timeZone: school?.value.timeZone ?? .wib,
            credentialStamp: CredentialStamp(account: account.id, credential: account.password))
    }

    /// Counts one attempt as failed, for the typed identifier and for the account, in one
    /// conditional commit, unless either is blocked now: the claim that must precede every password
    /// check. A conflict with a concurrent claim means reading and deciding again.
    ///
    /// With a typed identifier, only that identifier's own state decides what the caller is told:
    /// were an account blocked under its username to answer "throttled" to its e-mail address too,
    /// anyone could learn which address belongs to which username (an unknown identifier answers
    /// "wrong credentials"). So an account blocked under another identifier is `refused`: the
    /// attempt counts for the typed identifier only, and the password is not checked.
    /// - Returns: The throttle records written, to clear when the password turns out right, and
    ///   whether the attempt is refused whatever the password.
    /// - Throws: ``VerificationError/Code/accountLocked`` or ``VerificationError/Code/loginThrottled``.
    func claimLoginAttempt(identifier: String?, account: Account?, at time: Date) async throws
        -> (keys: [StoredKey<LoginThrottlePolicy.State>], refused: Bool)
    {
        var keys: [StoredKey<LoginThrottlePolicy.State>] = []
        if let identifier { keys.append(identifierThrottleKey(identifier)) }
        if let account { keys.append(accountThrottleKey(account.id)) }
        let policy = configuration.loginThrottle
        var refused = false
        try await retryingConflicts {
            var loaded: [(key: StoredKey<LoginThrottlePolicy.State>, state: Loaded<LoginThrottlePolicy.State>?)] = []
            for key in keys { loaded.append((key, try await store.load(key))) }
            refused = false
            if identifier != nil, loaded.count == 2, let accountState = loaded[1].state?.value,
                policy.isLockedOut(accountState) || policy.blockedUntil(accountState, now: time) != nil
            {
                loaded.removeLast()
                refused = true
            }
            if loaded.contains(where: { policy.isLockedOut($0.state?.value) }) { throw VerificationError.accountLocked }
            if let until = loaded.compactMap({ policy.blockedUntil($0.state?.value, now: time) }).max() {
                throw VerificationError.loginThrottled(until: until)
            }
            var batch = Batch()
            var lock: LoginThrottlePolicy.State?
            for (key, current) in loaded {
                let (state, locked) = policy.recordingFailure(current?.value, now: time)
                try batch.put(state, at: key, replacing: current?.version, indexes: throttleIndexes(state, at: key))
                if locked, state.consecutiveFailures > lock?.consecutiveFailures ?? -1 { lock = state }
            }
            if let lock {
                let detail =
                    policy.isLockedOut(lock)
                    ? "\(lock.consecutiveFailures) consecutive failed logins: locked until unlocked"
                    : "\(lock.failures) failed logins"
                batch.record(
                    .loginLocked, at: time, by: nil, account: account?.id, school: account?.schoolNPSN.description,
                    detail: detail)
            }
            try await commit(batch)
        }
        // Identifiers typed once (anyone can type any) must not pile up in the store: every attempt
        // with an identifier removes idle records, whatever that identifier's own history, so how
        // long it takes tells nothing about it.
        if identifier != nil { await pruneIdleIdentifierThrottles(sparing: keys[0], at: time) }
        return (refused ? Array(keys.prefix(1)) : keys, refused)
    }

    /// After a right password: clears the failures claimed for it (and any before), and replaces a
    /// hash made with outdated parameters.
    /// - Returns: The account as it is now.
    func clearClaimedFailures(
        _ claimed: [StoredKey<LoginThrottlePolicy.State>], rehashing found: Loaded<Account>, with password: String,
        at time: Date
    ) async throws -> Account {
        var clearing = Batch()
        for key in claimed { clearing.delete(key) }
        var batch = clearing
        var account = found.value
        if let credential = account.password, configuration.passwordHasher.needsRehash(credential) {
            account.password = await configuration.passwordHasher.hashTogether(password)
            try batch.put(account, replacing: found.version)
            batch.record(
                .passwordChanged, at: time, by: account.id, account: account.id,
                school: account.schoolNPSN.description, detail: "rehashed with current parameters")
        }
        do {
            try await commit(batch)
        } catch let error as StoreError where error.isConflict {
            // A concurrent change to the account won: the rehash waits for the next login.
            try await commit(clearing)
            return found.value
        }
        return account
    }

    /// Whether `password` is short enough to be one the policy could ever have accepted: at most
    /// ``PasswordPolicy/maximumLength`` characters of up to 4 UTF-8 bytes each (at least 1,024
    /// bytes, should the policy have been tightened since). A longer one is wrong without hashing,
    /// so a megabyte-long "password" costs no more than a right one.
    func isPlausiblePassword(_ password: String) -> Bool {
        password.utf8.count <= max(1024, configuration.passwordPolicy.maximumLength * 4)
    }

    /// A typed login identifier as logins compare it (white space around it dropped, lower-cased), and
    /// the account it names. Nothing longer than a username or an address (RFC 5321 §4.5.3.1.3: 254
    /// octets) can name an account; such an identifier is not looked up, and costs a hash all the same.
    func loginTarget(_ identifier: String) async throws -> (normalized: String, found: Loaded<Account>?) {
        let normalized = String(
            identifier.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        ).lowercased()
        let found = normalized.utf8.count <= Username.maximumLength ? try await account(matching: normalized) : nil
        return (normalized, found)
    }

    /// Checks `password` against the account `found`, with the same password work whether or not there
    /// is one, and whether or not the attempt was `refused` (an account blocked under another
    /// identifier is refused as an unknown one would be, its password not checked).
    /// - Returns: The account, when the password is its own.
    /// - Throws: ``VerificationError/Code-swift.struct/invalidCredentials`` otherwise.
    func checkPassword(_ password: String, of found: Loaded<Account>?, refused: Bool) async throws -> Loaded<Account> {
        let credential = isPlausiblePassword(password) && !refused ? found?.value.password : nil
        let matches = await configuration.passwordHasher.verifyEqualizingCostTogether(password, against: credential)
        guard matches, let found else { throw VerificationError.invalidCredentials }
        return found
    }

    /// The account a login identifier names. An e-mail address is looked up first: the namespace
    /// is one (a username may not equal another account's address, ``requireFreeUsername(_:)``),
    /// and should records from before that rule disagree, the mailbox's owner wins. An address
    /// neither holds is another spelling of the mailbox an account has reserved, if one has.
    func account(matching identifier: String) async throws -> Loaded<Account>? {
        var found = try await store.id(whereUnique: Account.emailIndex, equals: identifier)
        if found == nil { found = try await store.id(whereUnique: Account.usernameIndex, equals: identifier) }
        if found == nil, identifier.utf8.contains(UInt8(ascii: "@")), let address = try? EmailAddress(identifier) {
            found = try await holderOfMailbox(address)?.description
        }
        guard let found, let id = UUID(uuidString: found) else { return nil }
        return try await loadAccount(AccountID(id))
    }

    /// The caller's own account, as BIODATA → Akun shows it.
    /// - Parameter caller: The logged-in account.
    /// - Returns: The account, its address, whether it is verified, and the verification's status.
    /// - Throws: ``VerificationError/Code/authorization`` if the caller does not exist.
    public func accountOverview(by caller: AccountID) async throws(VerificationError) -> AccountOverview {
        try await perform {
            let account = try await self.caller(caller).value
            guard let school = try await loadSchool(account.schoolNPSN)?.value else {
                throw VerificationError.schoolNotFound
            }
            return AccountOverview(
                account: account.id, role: account.role, displayName: account.displayName, username: account.username,
                email: account.email, isVerified: account.isEmailVerified, updatedAt: account.updatedAt,
                schoolName: school.name.value, npsn: school.npsn,
                status: try await status(of: account.id, for: .accountHolder))
        }
    }

    /// VERIFIKASI SEKARANG: shows the address the code will go to, so the person can check it
    /// (and correct it with ``correctEmail(to:password:confirmingUnusualDomain:by:)``) before
    /// LANJUT (``requestCode(for:by:language:)``). Changes nothing.
    /// - Parameter caller: The logged-in account.
    /// - Returns: The overview; its ``AccountOverview/email`` is where the code will go.
    /// - Throws: ``VerificationError/Code/noEmailAddress`` when there is no address yet, or
    ///   ``VerificationError/Code/alreadyVerified``.
    public func startVerification(by caller: AccountID) async throws(VerificationError) -> AccountOverview {
        let overview = try await accountOverview(by: caller)
        guard overview.email != nil else { throw VerificationError.noEmailAddress }
        guard !overview.isVerified else { throw VerificationError.alreadyVerified }
        return overview
    }

    /// Corrects the caller's own address before (or during) verification, as the seed's step 3
    /// asks: the password is required, a likely typo is reported, and the address must be free.
    /// Open challenges are cancelled (codes sent to the old address stop working).
    /// - Parameters:
    ///   - email: The right address.
    ///   - password: The caller's password, to prove it is them at the keyboard.
    ///   - confirmingUnusualDomain: Keep an address that looks mistyped.
    ///   - caller: The logged-in account.
    /// - Returns: The updated overview.
    /// - Throws: ``VerificationError/Code/invalidCredentials`` (wrong password; counted like a
    ///   failed login), ``VerificationError/Code/loginThrottled`` (too many wrong passwords),
    ///   ``VerificationError/Code/possibleTypo``, ``VerificationError/Code/emailInUse`` (counted as one
    ///   row checked: ``VerificationError/Code/tooManyChecks`` once 2,000 are spent in 24 hours). Entering the
    ///   current address again is *not* an error and changes nothing.
    public func correctEmail(
        to email: EmailAddress, password: String, confirmingUnusualDomain: Bool = false, by caller: AccountID
    ) async throws(VerificationError) -> AccountOverview {
        try await perform {
            let (_, queued) = try await countingAddressInUse(
                by: try await self.caller(caller).value, purpose: "refused address correction", address: email
            ) {
                try await retryingConflicts {
                    let loaded = try await self.caller(caller)
                    try await requireCurrentPassword(password, of: loaded.value)
                    return try await change(
                        loaded, email: email, credential: nil, confirmingUnusualDomain: confirmingUnusualDomain,
                        by: loaded.value)
                }
            }
            await sendRightAway(queued)
        }
        return try await accountOverview(by: caller)
    }
}
