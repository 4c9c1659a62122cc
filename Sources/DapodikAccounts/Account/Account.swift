public import Foundation

/// A Dapodik account: an operator, a principal or a member of staff (PTK) of one school.
///
/// Every field is a validated value, so an `Account` that exists (made in code or decoded from
/// storage) holds only well-formed data. `version` belongs to the store: it is the version the
/// record had when read, checked by a conditional commit; the methods here never change it.
public struct Account: Sendable, Hashable, Codable, Identifiable {
    /// The account's stable identifier (Dapodik's `pengguna_id`).
    public var id: AccountID
    /// What the account does at its school.
    public var role: Role
    /// The NPSN of the account's school.
    public var schoolNPSN: NPSN
    /// The name people see, such as *Kartini Wulandari, S.Pd.*
    public var displayName: DisplayName
    /// The staff number, if the person has one.
    public var nuptk: NUPTK?
    /// The national identity number, if recorded.
    public var nik: NIK?
    /// The civil-servant number, for civil servants.
    public var nip: NIP?
    /// The name the account logs in with.
    public var username: Username
    /// The e-mail address, once one was entered.
    public var email: EmailAddress?
    /// Whether, and for which address, the e-mail was verified.
    public var emailStatus: EmailStatus
    /// The password credential (an encoded hash), once a password was set.
    public var password: PasswordCredential?
    /// When the account was created.
    public var createdAt: Date
    /// When the account last changed.
    public var updatedAt: Date
    /// The store's version of this record, `0` before it was first stored.
    package var version: UInt64

    /// Creates an account.
    /// - Parameters:
    ///   - id: The account's identifier.
    ///   - role: The account's role.
    ///   - schoolNPSN: The NPSN of the account's school.
    ///   - displayName: The name people see.
    ///   - nuptk: The staff number, if any.
    ///   - nik: The national identity number, if any.
    ///   - nip: The civil-servant number, if any.
    ///   - username: The login name.
    ///   - email: The e-mail address, if any.
    ///   - emailStatus: The e-mail's verification status; `.unverified` by default.
    ///   - password: The password credential, if any.
    ///   - createdAt: When the account was created.
    ///   - updatedAt: When it last changed; `createdAt` by default.
    ///   - version: The store's version; `0` (never stored) by default.
    public init(
        id: AccountID, role: Role, schoolNPSN: NPSN, displayName: DisplayName, nuptk: NUPTK? = nil,
        nik: NIK? = nil, nip: NIP? = nil, username: Username, email: EmailAddress? = nil,
        emailStatus: EmailStatus = .unverified, password: PasswordCredential? = nil, createdAt: Date,
        updatedAt: Date? = nil, version: UInt64 = 0
    ) {
        self.id = id
        self.role = role
        self.schoolNPSN = schoolNPSN
        self.displayName = displayName
        self.nuptk = nuptk
        self.nik = nik
        self.nip = nip
        self.username = username
        self.email = email
        self.emailStatus = emailStatus
        self.password = password
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.version = version
    }

    /// Whether the account's *current* address is verified. A verification recorded for an
    /// earlier address does not count.
    public var isEmailVerified: Bool {
        guard let email else { return false }
        return emailStatus.verifies(email)
    }

    /// Sets the e-mail address. A different mailbox (by ``EmailAddress/canonical``) makes the
    /// status unverified again; the same mailbox in another letter case keeps it.
    /// - Parameters:
    ///   - address: The new address, or `nil` to remove it.
    ///   - now: The time of the change, recorded in ``updatedAt``.
    public mutating func changeEmail(to address: EmailAddress?, at now: Date) {
        if let address, emailStatus.verifies(address) {
            if case .verified(let date, _) = emailStatus { emailStatus = .verified(at: date, address: address) }
        } else {
            emailStatus = .unverified
        }
        email = address
        updatedAt = now
    }

    /// Records that the owner of `address` proved they read it.
    /// - Parameters:
    ///   - address: The address the verification code was mailed to.
    ///   - now: When the code was accepted.
    /// - Throws: ``ValidationError`` with code ``ValidationError/Code/emailNotCurrent`` (field
    ///   `"email"`) when `address` is not the account's current address (it was changed while the
    ///   code travelled); nothing changes then. Verifying an already verified address again is
    ///   *not* an error: the time is updated.
    public mutating func markEmailVerified(_ address: EmailAddress, at now: Date) throws(ValidationError) {
        guard let email, email.canonical == address.canonical else {
            throw ValidationError(
                .emailNotCurrent, field: "email",
                indonesian: "Kode dikirim ke \(address.masked), bukan ke alamat email akun saat ini.",
                english: "The code was sent to \(address.masked), not to the account's current e-mail address.")
        }
        emailStatus = .verified(at: now, address: email)
        updatedAt = now
    }
}
