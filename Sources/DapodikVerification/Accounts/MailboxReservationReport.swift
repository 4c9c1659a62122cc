public import DapodikAccounts

/// What ``VerificationService/reserveMailboxes(progress:)`` found and did.
public struct MailboxReservationReport: Sendable, Hashable {
    /// The accounts read.
    public var accountsRead = 0
    /// The reservations this run made: one per account given its mailbox, also when a verified
    /// account later in the run takes that mailbox over (the account left without it is then in
    /// ``shared``, and the feed has a ``VerificationEvent/Kind/mailboxReassigned`` event).
    public var reserved = 0
    /// The accounts whose mailbox was reserved for them already (registered or given their address
    /// since reservations exist, or reserved by an earlier run).
    public var alreadyReserved = 0
    /// The accounts whose address delivers to a mailbox another account holds: left as they are,
    /// for whoever runs the service to resolve (see ``SharedMailbox``).
    public var shared: [SharedMailbox] = []

    /// An empty report.
    public init() {}
}

/// An account whose address reaches the same mailbox as another account's address, both stored
/// before the service allowed one account per mailbox.
///
/// The account keeps its address, and a verified one stays verified; an unverified one is refused
/// a code (``VerificationError/Code/emailInUse``) until its address changes. One of the two
/// accounts was given its address by mistake, or one person holds both: the school's operator (or
/// the person) sets the right address.
public struct SharedMailbox: Sendable, Hashable {
    /// The account that could not reserve the mailbox.
    public let account: AccountID
    /// Its school.
    public let school: NPSN
    /// Its address.
    public let address: EmailAddress
    /// The account that holds the mailbox.
    public let holder: AccountID

    /// Creates a report line.
    /// - Parameters:
    ///   - account: The account that could not reserve the mailbox.
    ///   - school: Its school.
    ///   - address: Its address.
    ///   - holder: The account that holds the mailbox.
    public init(account: AccountID, school: NPSN, address: EmailAddress, holder: AccountID) {
        self.account = account
        self.school = school
        self.address = address
        self.holder = holder
    }
}
