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
