/// What an operator enters to create an account: the operator's own at school creation, or a PTK's.
public struct AccountRegistration: Sendable, Hashable {
    /// The person's name as it appears in Dapodik.
    public var displayName: DisplayName
    /// The login name. Also unique across accounts, compared without letter case.
    public var username: Username
    /// The person's own active e-mail address: one whose inbox they can open.
    public var email: EmailAddress
    /// The password the person will log in with: the one from the previous Dapodik, or a new one.
    /// Checked against ``VerificationService/Configuration/passwordPolicy`` either way; never stored in the clear.
    public var password: String
    /// The staff number, if the person has one.
    public var nuptk: NUPTK?
    /// The national identity number, if entered.
    public var nik: NIK?
    /// The civil-servant number, if the person has one.
    public var nip: NIP?
    /// Keep an address whose domain looks like a typo of a common one (`gmial.com`): the caller
    /// asked the person and they confirmed it.
    public var confirmingUnusualDomain: Bool

    /// Creates a registration.
    /// - Parameters:
    ///   - displayName: The person's name.
    ///   - username: The login name.
    ///   - email: The person's own active e-mail address.
    ///   - password: The initial password.
    ///   - nuptk: The staff number, if any.
    ///   - nik: The national identity number, if entered.
    ///   - nip: The civil-servant number, if any.
    ///   - confirmingUnusualDomain: Keep an address that looks mistyped.
    public init(
        displayName: DisplayName, username: Username, email: EmailAddress, password: String, nuptk: NUPTK? = nil,
        nik: NIK? = nil, nip: NIP? = nil, confirmingUnusualDomain: Bool = false
    ) {
        self.displayName = displayName
        self.username = username
        self.email = email
        self.password = password
        self.nuptk = nuptk
        self.nik = nik
        self.nip = nip
        self.confirmingUnusualDomain = confirmingUnusualDomain
    }
}

extension AccountRegistration {
    /// Checks what needs no store: the password against `passwordPolicy`, and an address that looks
    /// mistyped (`gmial.com`) unless ``confirmingUnusualDomain``. The service checks both again when it
    /// registers the account; a program that sets something up first (a new data directory) calls this
    /// before, so that a refused registration leaves nothing behind.
    /// - Parameter passwordPolicy: The policy the service is configured with.
    /// - Throws: ``VerificationError``: ``VerificationError/Code/invalidInput`` for a password the policy
    ///   refuses, ``VerificationError/Code/possibleTypo`` with the suggested address.
    public func validateInput(passwordPolicy: PasswordPolicy = PasswordPolicy()) throws(VerificationError) {
        do {
            try passwordPolicy.validate(password, username: username, email: email)
        } catch {
            throw .invalid(error)
        }
        try email.refuseLikelyTypo(confirmingUnusualDomain: confirmingUnusualDomain)
    }
}

extension EmailAddress {
    /// Refuses an address whose domain looks like a typo of a common one (`gmial.com`), unless the
    /// person confirmed it as typed. Needs no store: it tells nothing about which addresses are taken.
    /// - Throws: ``VerificationError/possibleTypo(_:suggestion:)`` with the suggested correction.
    func refuseLikelyTypo(confirmingUnusualDomain: Bool) throws(VerificationError) {
        if !confirmingUnusualDomain, let suggestedCorrection {
            throw .possibleTypo(self, suggestion: suggestedCorrection)
        }
    }
}

/// A registration holds a password in the clear until the service hashes it, so it is never printed:
/// `description`, `debugDescription` and `dump` show bullets for the password, as
/// ``PasswordCredential`` does, and only the last four digits of the national identity number
/// (personal data under UU PDP 27/2022), so logging a registration (a form, a row of an import) leaks
/// neither.
extension AccountRegistration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The registration with its password masked.
    public var description: String {
        var fields = ["displayName: \(displayName)", "username: \(username)", "email: \(email)", "password: ••••"]
        if let nuptk { fields.append("nuptk: \(nuptk)") }
        if let nik { fields.append("nik: \(Self.masked(nik))") }
        if let nip { fields.append("nip: \(nip)") }
        if confirmingUnusualDomain { fields.append("confirmingUnusualDomain: true") }
        return "AccountRegistration(" + fields.joined(separator: ", ") + ")"
    }

    /// The same masked form as ``description``.
    public var debugDescription: String { description }

    /// The fields for `dump` and debuggers, the password masked.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "displayName": displayName, "username": username, "email": email, "password": "••••",
                "nuptk": nuptk as Any, "nik": nik.map(Self.masked) as Any, "nip": nip as Any,
                "confirmingUnusualDomain": confirmingUnusualDomain,
            ], displayStyle: .struct)
    }

    /// The national identity number as printed: bullets, then its last four digits.
    private static func masked(_ nik: NIK) -> String { "••••" + String(nik.value.suffix(4)) }
}
