#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A school's whole PTK list at once ("Tambah akun" for every row of a spreadsheet), all or nothing.
extension VerificationService {
    /// The most rows one ``registerStaff(_:by:progress:)`` call accepts: 1,000.
    ///
    /// Each row is at most five mutations of one commit (the account with its unique e-mail and
    /// username indexes, the reservations of its username, its address and its mailbox, and its
    /// ``VerificationEvent/Kind/accountRegistered`` event) of at most about 3.5 KiB together (a
    /// 150-character name, a 254-octet address and username, the password hash), so 1,000 rows stay
    /// inside ``StoreLimits/maximumMutationsPerCommit`` (10,000) and
    /// ``StoreLimits/maximumCommitBytes`` (64 MiB) on every store, while a school has at most a
    /// few hundred PTK. At PBKDF2's 600,000 iterations the hashing dominates: minutes, not the
    /// commit.
    public static let maximumStaffBatchSize = 1_000

    /// Registers many PTK of the operator's school in one commit: every row, or none.
    ///
    /// Every row is checked before anything is stored, and *all* bad rows are reported together:
    /// the password policy, a likely typo of the domain (unless the row sets
    /// ``AccountRegistration/confirmingUnusualDomain``), an e-mail address or username repeated
    /// inside the batch (compared as the store's unique indexes compare them: canonical address,
    /// username without letter case), and one already held by any account of any school (which
    /// account is never said). The passwords are then hashed, concurrently on every core, once;
    /// the accounts are committed with their unique indexes under "must not exist", each with its
    /// ``VerificationEvent/Kind/accountRegistered`` event, in row order. If a concurrent request
    /// takes an address or username first, the commit fails as a whole, the rows are checked
    /// again without hashing anything again, and the row that lost is reported.
    /// - Parameters:
    ///   - registrations: The rows, at most ``maximumStaffBatchSize``.
    ///   - caller: The logged-in operator of the school, whose own e-mail is verified.
    ///   - progress: Called with the number of passwords hashed so far (the slow part), from any
    ///     thread.
    /// - Returns: The new accounts, in row order.
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/invalidBatch`` and every bad row
    ///   in ``VerificationError/rowFailures`` (each with its index in the batch and its reason),
    ///   ``VerificationError/Code/batchTooLarge``, ``VerificationError/Code/authorization`` (not a
    ///   verified operator), ``VerificationError/Code/tooManyChecks``, ``VerificationError/Code/busy``
    ///   or ``VerificationError/Code/storage``. No account is stored then; a batch refused for its
    ///   rows tells which are registered, so it is recorded and bounded as ``checkStaff(_:by:)`` is:
    ///   the batch's rows must fit in the day's bound before any of them is looked up
    ///   (``VerificationError/Code/tooManyChecks`` otherwise, whatever the rows hold).
    ///   An empty batch is *not* an error: it stores nothing and returns no account.
    public func registerStaff(
        _ registrations: [AccountRegistration], by caller: AccountID,
        progress: @escaping @Sendable (_ hashed: Int) -> Void = { _ in }
    ) async throws(VerificationError) -> [Account] {
        try await perform {
            guard registrations.count <= Self.maximumStaffBatchSize else {
                throw VerificationError.batchTooLarge(registrations.count, maximum: Self.maximumStaffBatchSize)
            }
            let manager = try await self.caller(caller).value
            try requireVerifiedOperator(manager)
            guard !registrations.isEmpty else { return [] }
            // Refused before the lookup, so whether the rows are free cannot be learnt past the bound.
            let fingerprints = staffCheckFingerprints(registrations)
            try await requireStaffCheckRoom(for: fingerprints, by: manager, purpose: "refused batch")
            let failures = try await failures(of: registrations)
            guard failures.isEmpty else {
                // The refusal tells which rows are registered: bounded and audited like a check.
                try await recordStaffCheck(
                    for: fingerprints, inUse: failures.filter(\.isInUse).count, by: manager, purpose: "refused batch")
                throw VerificationError.invalidBatch(failures, of: registrations.count)
            }
            let credentials = await hashPasswords(registrations.map(\.password), progress: progress)
            return try await retryingConflicts {
                let time = now
                let manager = try await self.caller(caller).value
                try requireVerifiedOperator(manager)
                let conflicts = try await storeConflicts(of: registrations, skipping: [])
                guard conflicts.isEmpty else {
                    throw VerificationError.invalidBatch(conflicts, of: registrations.count)
                }
                var batch = Batch()
                var accounts: [Account] = []
                accounts.reserveCapacity(registrations.count)
                for (registration, credential) in zip(registrations, credentials) {
                    let account = Account(
                        id: .random(), role: .ptk, schoolNPSN: manager.schoolNPSN,
                        displayName: registration.displayName, nuptk: registration.nuptk, nik: registration.nik,
                        nip: registration.nip, username: registration.username, email: registration.email,
                        emailStatus: .unverified, password: credential, createdAt: time, updatedAt: time, version: 1)
                    try put(account, in: &batch, replacing: nil)
                    batch.record(
                        .accountRegistered, at: time, by: caller, account: account.id,
                        school: account.schoolNPSN.description, email: account.email,
                        detail: "ptk \(account.username)")
                    accounts.append(account)
                }
                try await commit(batch)
                return accounts
            }
        }
    }

    /// Checks rows as ``registerStaff(_:by:progress:)`` would, without hashing or registering
    /// anything: a dry run that reports every row the batch call would refuse now.
    ///
    /// Whether an address is registered is information: the rows count towards
    /// ``maximumStaffRowsCheckedPerDay`` per operator (each row once in 24 hours), and each call is
    /// recorded as a ``VerificationEvent/Kind/staffChecked`` event.
    /// - Parameters:
    ///   - registrations: The rows, at most ``maximumStaffBatchSize``.
    ///   - caller: The logged-in operator of the school, whose own e-mail is verified.
    /// - Returns: Every bad row with its reason, in row order; empty when the batch would be
    ///   registered (unless a concurrent request takes an address or username first).
    /// - Throws: ``VerificationError`` with ``VerificationError/Code/batchTooLarge``,
    ///   ``VerificationError/Code/tooManyChecks``, ``VerificationError/Code/authorization`` or
    ///   ``VerificationError/Code/storage``. Bad rows are *not* thrown: they are the result.
    public func checkStaff(_ registrations: [AccountRegistration], by caller: AccountID)
        async throws(VerificationError) -> [StaffBatchFailure]
    {
        try await perform {
            guard registrations.count <= Self.maximumStaffBatchSize else {
                throw VerificationError.batchTooLarge(registrations.count, maximum: Self.maximumStaffBatchSize)
            }
            let manager = try await self.caller(caller).value
            try requireVerifiedOperator(manager)
            let fingerprints = staffCheckFingerprints(registrations)
            try await requireStaffCheckRoom(for: fingerprints, by: manager, purpose: "check")
            let failures = try await failures(of: registrations)
            try await recordStaffCheck(
                for: fingerprints, inUse: failures.filter(\.isInUse).count, by: manager, purpose: "check")
            return failures
        }
    }

    /// Every bad row of a batch, in row order: first what needs no store, then the unique indexes.
    func failures(of registrations: [AccountRegistration]) async throws -> [StaffBatchFailure] {
        var failures = offlineFailures(of: registrations)
        failures += try await storeConflicts(of: registrations, skipping: Set(failures.map(\.row)))
        return failures.sorted { $0.row < $1.row }
    }

    /// The rows refused without reading the store: the password policy, a likely typo, and an
    /// address or username an earlier row already has.
    func offlineFailures(of registrations: [AccountRegistration]) -> [StaffBatchFailure] {
        var failures: [StaffBatchFailure] = []
        // Addresses and usernames share one namespace (a username may look like an address): each
        // identifier's first row, and whether it was that row's address.
        var identifiers: [String: (row: Int, isEmail: Bool)] = [:]
        // Each mailbox's first row: two spellings of one mailbox may not register two accounts.
        var mailboxes: [String: Int] = [:]
        for (row, registration) in registrations.enumerated() {
            let email = registration.email.canonical
            let username = registration.username.value.lowercased()
            let firstWithEmail = identifiers[email]
            let firstWithUsername = username == email ? nil : identifiers[username]
            let mailbox = registration.email.mailbox
            let firstWithMailbox = mailboxes[mailbox]
            if firstWithEmail == nil { identifiers[email] = (row, true) }
            if identifiers[username] == nil { identifiers[username] = (row, false) }
            if firstWithMailbox == nil { mailboxes[mailbox] = row }
            do {
                try configuration.passwordPolicy.validate(
                    registration.password, username: registration.username, email: registration.email)
            } catch {
                failures.append(StaffBatchFailure(row: row, error: .invalid(error)))
                continue
            }
            if !registration.confirmingUnusualDomain, let suggestion = registration.email.suggestedCorrection {
                failures.append(
                    StaffBatchFailure(row: row, error: .possibleTypo(registration.email, suggestion: suggestion)))
            } else if let firstWithEmail {
                failures.append(
                    StaffBatchFailure(
                        row: row, error: firstWithEmail.isEmail ? .emailRepeatedInBatch : .emailIsEarlierUsername,
                        sameAsRow: firstWithEmail.row))
            } else if let firstWithMailbox {
                failures.append(
                    StaffBatchFailure(row: row, error: .mailboxRepeatedInBatch, sameAsRow: firstWithMailbox))
            } else if let firstWithUsername {
                failures.append(
                    StaffBatchFailure(
                        row: row,
                        error: firstWithUsername.isEmail ? .usernameIsEarlierEmail : .usernameRepeatedInBatch,
                        sameAsRow: firstWithUsername.row))
            }
        }
        return failures
    }

    /// The rows whose address or username an existing account logs in with (as either), read from
    /// the unique indexes, or whose address delivers to a mailbox an existing account reserved.
    func storeConflicts(of registrations: [AccountRegistration], skipping rows: Set<Int>) async throws
        -> [StaffBatchFailure]
    {
        try await requireMailboxesReserved()
        var failures: [StaffBatchFailure] = []
        for (row, registration) in registrations.enumerated() where !rows.contains(row) {
            if try await !holdersOfAddress(registration.email).isEmpty {
                failures.append(StaffBatchFailure(row: row, error: .emailInUse))
            } else if try await holderOfLoginIdentifier(registration.username.value.lowercased()) != nil {
                failures.append(StaffBatchFailure(row: row, error: .usernameInUse))
            }
        }
        return failures
    }

    /// Hashes every password, as many tasks at once as there are cores; when there are more passwords
    /// than cores, each task hashes two (``PasswordHasher/hashAll(_:)``: with SHA-NI, two keys in about
    /// the time of one). `progress` gets the number hashed so far as each task finishes.
    func hashPasswords(
        _ passwords: [String], cores: Int = ProcessInfo.processInfo.activeProcessorCount,
        progress: @escaping @Sendable (Int) -> Void
    ) async -> [PasswordCredential] {
        let hasher = configuration.passwordHasher
        let perTask = passwords.count > cores ? 2 : 1
        let chunks = stride(from: 0, to: passwords.count, by: perTask).map { $0..<min($0 + perTask, passwords.count) }
        let width = max(1, min(cores, chunks.count))
        return await withTaskGroup(of: (Range<Int>, [PasswordCredential]).self) { group in
            var credentials = [PasswordCredential?](repeating: nil, count: passwords.count)
            var next = 0
            func start() {
                let rows = chunks[next]
                let chunk = Array(passwords[rows])
                group.addTask { (rows, hasher.hashAll(chunk)) }
                next += 1
            }
            while next < width { start() }
            var done = 0
            for await (rows, hashed) in group {
                for (row, credential) in zip(rows, hashed) { credentials[row] = credential }
                done += rows.count
                progress(done)
                if next < chunks.count { start() }
            }
            return credentials.map { $0! }
        }
    }
}

extension StaffBatchFailure {
    /// Whether the row was refused because an account already logs in with its address or username.
    var isInUse: Bool { error.code == .emailInUse || error.code == .usernameInUse }
}
