/// What an operator enters to create an account: the operator's own at school creation, or a PTK's.
public struct AccountRegistration: Sendable, Hashable {
    /// The person's name as it appears in Dapodik.
    public var displayName: String
    /// The login name. Also unique across accounts, compared without letter case.
    public var username: String
    /// The person's own active e-mail address: one whose inbox they can open.
    public var email: EmailAddress
    /// The password the person will log in with: the one from the previous Dapodik, or a new one.
    /// Checked against ``Configuration/passwordPolicy`` either way; never stored in the clear.
    public var password: String
    /// The staff number, if the person has one.
    public var nuptk: NUPTK?
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
    ///   - confirmingUnusualDomain: Keep an address that looks mistyped.
    public init(
        displayName: String, username: String, email: EmailAddress, password: String, nuptk: NUPTK? = nil,
        confirmingUnusualDomain: Bool = false
    ) {
        self.displayName = displayName
        self.username = username
        self.email = email
        self.password = password
        self.nuptk = nuptk
        self.confirmingUnusualDomain = confirmingUnusualDomain
    }
}
