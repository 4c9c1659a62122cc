#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Reading and writing accounts, and the checks every flow shares: who the caller is, whether they
// may act on an account, whether an address is plausible and free.
extension VerificationService {
    func loadAccount(_ id: AccountID) async throws -> Loaded<Account>? {
        try await store.load(Account.storedKey(id))
    }

    func loadSchool(_ npsn: NPSN) async throws -> Loaded<School>? {
        try await store.load(School.storedKey(npsn))
    }

    /// Puts `account`; a new one (`version` `nil`) also reserves its login identifiers and its
    /// address's mailbox.
    func put(_ account: Account, in batch: inout Batch, replacing version: UInt64?) throws {
        try batch.put(account, replacing: version)
        if version == nil {
            var identifiers = [account.loginUsername]
            if let email = account.email {
                identifiers.append(email.canonical)
                try reserveMailbox(of: email, for: account.id, in: &batch)
            }
            try reserveLoginIdentifiers(identifiers, for: account, in: &batch)
        }
    }

    /// Reserves login identifiers for `account` under "must not exist", so two accounts can never
    /// log in with the same string, whether one holds it as a username and the other as an address.
    /// An identifier equal to one the account already has is skipped.
    func reserveLoginIdentifiers(_ identifiers: [String], for account: Account, in batch: inout Batch) throws {
        var reserved = Set<String>()
        for identifier in identifiers where reserved.insert(identifier).inserted {
            try batch.put(
                LoginIdentifierReservation(account: account.id), at: LoginIdentifierReservation.storedKey(identifier),
                replacing: nil)
        }
    }

    /// The logged-in caller's account. An unknown caller is refused like any unauthorized one.
    func caller(_ id: AccountID) async throws -> Loaded<Account> {
        guard let caller = try await loadAccount(id) else { throw VerificationError.authorization }
        return caller
    }

    /// Refuses unless `caller` may manage `target`'s account, by the account model's rules
    /// (``Account/mayManage(_:)``: an operator whose own e-mail is verified manages the PTK and
    /// principal of their own school; everyone else only themself).
    func requireManagement(by caller: Account, of target: Account) throws {
        if case .denied(let denial) = caller.mayManage(target) {
            throw VerificationError(.authorization, message: denial.message)
        }
    }

    /// Refuses unless `caller` is an operator whose own e-mail is verified (to add and list staff).
    func requireVerifiedOperator(_ caller: Account) throws {
        guard caller.role == .operator else { throw VerificationError.authorization }
        guard caller.isEmailVerified else { throw VerificationError.unverifiedOperator }
    }

    /// Refuses unless `caller` may read `school`'s verification picture: its verified operator, or
    /// its principal (reading is not managing).
    func requireSchoolReader(_ caller: Account, of school: NPSN) throws {
        guard caller.schoolNPSN == school, caller.role == .operator || caller.role == .principal else {
            throw VerificationError.authorization
        }
        guard caller.isEmailVerified else { throw VerificationError.unverifiedOperator }
    }

    /// Refuses an address another account than `account` already logs in with, or whose mailbox
    /// (``EmailAddress/mailbox``) another account's address delivers to; refuses any while the
    /// store's earlier accounts have no reservations (``requireMailboxesReserved()``).
    func requireFreeEmail(_ email: EmailAddress, for account: AccountID?) async throws {
        try await requireMailboxesReserved()
        if try await holdersOfAddress(email).contains(where: { $0 != account?.description }) {
            throw VerificationError.emailInUse
        }
    }

    /// The ids of the accounts that hold `email`: as a login identifier (its canonical spelling), and
    /// as a mailbox (``EmailAddress/mailbox``) one of them reserved; empty when it is free.
    func holdersOfAddress(_ email: EmailAddress) async throws -> [String] {
        var holders: [String] = []
        if let owner = try await holderOfLoginIdentifier(email.canonical) { holders.append(owner) }
        if let owner = try await holderOfMailbox(email) { holders.append(owner.description) }
        return holders
    }

    /// Refuses a username any account logs in with already, as a username or as an e-mail address.
    func requireFreeUsername(_ username: Username) async throws {
        if try await holderOfLoginIdentifier(username.value.lowercased()) != nil {
            throw VerificationError.usernameInUse
        }
    }

    /// The id of the account that logs in with `identifier` (a lower-cased username or a canonical
    /// address), as a username or as an address: its reservation
    /// (``reserveLoginIdentifiers(_:for:in:)``), or, for accounts stored before reservations
    /// existed, the unique indexes.
    func holderOfLoginIdentifier(_ identifier: String) async throws -> String? {
        if let reservation = try await store.load(LoginIdentifierReservation.storedKey(identifier)) {
            return reservation.value.account.description
        }
        for index in [Account.emailIndex, Account.usernameIndex] {
            if let id = try await store.id(whereUnique: index, equals: identifier) { return id }
        }
        return nil
    }

    /// A new account for `registration`, once its password, address and username are acceptable.
    /// The password is hashed into `credential` the first time only, so a caller retrying after a
    /// conflict does not pay PBKDF2 again.
    func validatedNewAccount(
        _ registration: AccountRegistration, role: Role, school: NPSN, at time: Date,
        credential: inout PasswordCredential?
    ) async throws -> Account {
        let username = registration.username
        try registration.validateInput(passwordPolicy: configuration.passwordPolicy)
        // The username first: a refusal for a taken username must not tell whether the address is free.
        try await requireFreeUsername(username)
        try await requireFreeEmail(registration.email, for: nil)
        let hashed: PasswordCredential
        if let credential {
            hashed = credential
        } else {
            hashed = await configuration.passwordHasher.hashTogether(registration.password)
        }
        credential = hashed
        return Account(
            id: .random(), role: role, schoolNPSN: school, displayName: registration.displayName,
            nuptk: registration.nuptk, nik: registration.nik, nip: registration.nip, username: username,
            email: registration.email, emailStatus: .unverified,
            password: hashed, createdAt: time, updatedAt: time,
            version: 1)
    }
}

/// The record that reserves one login identifier for one account.
struct LoginIdentifierReservation: Codable {
    var account: AccountID
}
