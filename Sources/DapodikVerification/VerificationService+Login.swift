import DapodikCrypto
import DapodikLocking

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
    /// Repeated failures for one identifier meet growing delays and then a temporary lock
    /// (``Configuration/loginThrottle``), whether or not an account has that identifier; an unknown
    /// identifier costs a password hash too, so neither the answer nor its timing tells whether
    /// the account exists. A stored hash with outdated parameters is replaced on success.
    /// - Parameters:
    ///   - identifier: The username or e-mail address, in any letter case.
    ///   - password: The password.
    /// - Returns: The session: the account to pass as `caller`.
    /// - Throws: ``VerificationError/Code/invalidCredentials`` (unknown identifier or wrong
    ///   password: the same error), or ``VerificationError/Code/loginThrottled`` with
    ///   ``VerificationError/retryAt``. An unverified account is *not* an error: it may log in to
    ///   verify.
    public func login(identifier: String, password: String) async throws(VerificationError) -> Session {
        try await perform {
            let normalized = String(
                identifier.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            ).lowercased()
            let throttleKey = throttleKey(for: normalized)
            let time = now
            let throttle = try await store.load(LoginThrottlePolicy.State.self, throttleKey)
            if let until = configuration.loginThrottle.blockedUntil(throttle?.value, now: time) {
                throw VerificationError.loginThrottled(until: until)
            }
            // Nothing longer than a username or an address (RFC 5321 §4.5.3.1.3: 254 octets) can
            // name an account; such an identifier is not looked up, and costs a hash all the same.
            let found = normalized.utf8.count <= Username.maximumLength ? try await account(matching: normalized) : nil
            let valid: Bool
            if let credential = found?.value.password, isPlausiblePassword(password) {
                valid = (try? configuration.passwordHasher.verify(password, against: credential)) ?? false
            } else {
                _ = try? configuration.passwordHasher.verify(password, against: dummyPasswordCredential())
                valid = false
            }
            guard valid, let found else {
                try await recordFailedLogin(throttleKey, account: found?.value, at: time)
                throw VerificationError.invalidCredentials
            }
            var batch = Batch()
            if throttle != nil { batch.mutations.append(.delete(throttleKey, expecting: .any)) }
            var account = found.value
            if let credential = account.password, configuration.passwordHasher.needsRehash(credential) {
                account.password = configuration.passwordHasher.hash(password)
                try put(account, in: &batch, replacing: found.version)
                batch.record(
                    .passwordChanged, at: time, by: account.id, account: account.id,
                    school: account.schoolNPSN.description, detail: "rehashed with current parameters")
            }
            if !batch.mutations.isEmpty || !batch.events.isEmpty {
                do {
                    try await commit(batch)
                } catch  where isConflict(error) {
                    // A concurrent change won; the rehash or the reset happens at the next login.
                }
            }
            let school = try await loadSchool(account.schoolNPSN)
            return Session(
                account: account.id, role: account.role, npsn: account.schoolNPSN,
                isEmailVerified: account.isEmailVerified, timeZone: school?.value.timeZone ?? .wib)
        }
    }

    /// The throttle record of one login identifier (lower-cased, trimmed). Keyed by its SHA-256, so
    /// the store holds no list of the names people tried.
    func throttleKey(for identifier: String) -> RecordKey {
        RecordKey(Collections.throttle, Crypto.sha256(Array(identifier.utf8)).map { hex($0) }.joined())
    }

    /// Whether `password` is short enough to be one the policy could ever have accepted: at most
    /// ``PasswordPolicy/maximumLength`` characters of up to 4 UTF-8 bytes each (at least 1,024
    /// bytes, should the policy have been tightened since). A longer one is wrong without hashing,
    /// so a megabyte-long "password" costs no more than a right one.
    func isPlausiblePassword(_ password: String) -> Bool {
        password.utf8.count <= max(1024, configuration.passwordPolicy.maximumLength * 4)
    }

    func account(matching identifier: String) async throws -> Loaded<Account>? {
        var record = try await store.record(whereUnique: Indexes.accountUsername, equals: identifier)
        if record == nil { record = try await store.record(whereUnique: Indexes.accountEmail, equals: identifier) }
        guard let record, let id = UUID(uuidString: record.key.id) else { return nil }
        return try await loadAccount(AccountID(id))
    }

    func dummyPasswordCredential() -> PasswordCredential {
        if let cached = dummyCredential.withLock({ $0 }) { return cached }
        let credential = configuration.passwordHasher.hash(UUID().uuidString)
        dummyCredential.withLock { $0 = credential }
        return credential
    }

    func recordFailedLogin(_ key: RecordKey, account: Account?, at time: Date) async throws {
        try await retryingConflicts {
            let current = try await store.load(LoginThrottlePolicy.State.self, key)
            let (state, locked) = configuration.loginThrottle.recordingFailure(current?.value, now: time)
            var batch = Batch()
            try batch.put(key.collection, key.id, state, replacing: current?.version)
            if locked {
                batch.record(
                    .loginLocked, at: time, by: nil, account: account?.id, school: account?.schoolNPSN.description,
                    detail: "\(state.failures) failed logins")
            }
            try await commit(batch)
        }
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
                schoolName: school.name.value, npsn: school.npsn, status: try await status(of: account.id))
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
    ///   ``VerificationError/Code/possibleTypo``, ``VerificationError/Code/emailInUse``. Entering the
    ///   current address again is *not* an error and changes nothing.
    public func correctEmail(
        to email: EmailAddress, password: String, confirmingUnusualDomain: Bool = false, by caller: AccountID
    ) async throws(VerificationError) -> AccountOverview {
        try await perform {
            let (_, queued) = try await retryingConflicts {
                let loaded = try await self.caller(caller)
                try await requireCurrentPassword(password, of: loaded.value)
                return try await change(
                    loaded, email: email, credential: nil, confirmingUnusualDomain: confirmingUnusualDomain,
                    by: loaded.value)
            }
            await sendRightAway(queued)
        }
        return try await accountOverview(by: caller)
    }
}

private func hex(_ byte: UInt8) -> String {
    let digits = Array("0123456789abcdef")
    return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
}
