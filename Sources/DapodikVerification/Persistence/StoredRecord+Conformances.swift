// Every type the service stores, with its collection, key and index entries: the whole mapping in
// one file. The strings below are in every existing data directory; they never change.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension School: SelfKeyedRecord {
    static let collection = "school"
    static func storedKey(_ npsn: NPSN) -> StoredKey<School> { StoredKey(npsn.description) }
    var storedKey: StoredKey<School> { Self.storedKey(npsn) }
}

extension Account: SelfKeyedRecord {
    static let collection = "account"
    static func storedKey(_ id: AccountID) -> StoredKey<Account> { StoredKey(id.description) }
    var storedKey: StoredKey<Account> { Self.storedKey(id) }

    /// Unique: an account's canonical e-mail address (one account per mailbox).
    static let emailIndex = StoredIndex<Account>(name: "account.email", isUnique: true)
    /// Unique: an account's lower-cased username.
    static let usernameIndex = StoredIndex<Account>(name: "account.username", isUnique: true)
    /// Non-unique: the NPSN of an account's school.
    static let schoolIndex = StoredIndex<Account>(name: "account.schoolNPSN", isUnique: false)

    var indexEntries: [IndexEntry] {
        var entries = [
            Self.usernameIndex.entry(loginUsername),
            Self.schoolIndex.entry(schoolNPSN.description),
        ]
        if let email { entries.append(Self.emailIndex.entry(email.canonical)) }
        return entries
    }

    /// Decodes an account; its ``Account/version`` is the store's, whatever the document says.
    static func decodedRecord(_ data: Data, version: UInt64) throws -> Account {
        var account = try RecordCoding.decode(Account.self, from: data, fast: read)
        account.version = version
        return account
    }

    /// The username as the unique index and the login identifiers compare it: lower-cased.
    var loginUsername: String { username.value.lowercased() }
}

extension VerificationChallenge: SelfKeyedRecord {
    static let collection = "challenge"
    static func storedKey(_ id: ChallengeID) -> StoredKey<VerificationChallenge> { StoredKey(id.description) }
    var storedKey: StoredKey<VerificationChallenge> { Self.storedKey(id) }

    /// Unique: the account of the one open challenge it may have.
    static let openIndex = StoredIndex<VerificationChallenge>(name: "challenge.open", isUnique: true)
    /// Non-unique: the account of every challenge, open or closed.
    static let accountIndex = StoredIndex<VerificationChallenge>(name: "challenge.account", isUnique: false)

    var indexEntries: [IndexEntry] {
        let account = account.description
        return state.isOpen
            ? [Self.accountIndex.entry(account), Self.openIndex.entry(account)] : [Self.accountIndex.entry(account)]
    }
}

extension OutboxMessage: SelfKeyedRecord {
    static let collection = "outbox"
    static func storedKey(_ id: UUID) -> StoredKey<OutboxMessage> { StoredKey(id.text(uppercase: true)) }
    var storedKey: StoredKey<OutboxMessage> { Self.storedKey(id) }

    /// Non-unique, ordered: `<due time, 15 digits of milliseconds>|<id>` for messages that still
    /// need work; absent once a message is handed over, failed, expired or cancelled.
    static let dueIndex = StoredIndex<OutboxMessage>(name: "outbox.due", isUnique: false)
    /// Non-unique: the challenge a code message belongs to.
    static let challengeIndex = StoredIndex<OutboxMessage>(name: "outbox.challenge", isUnique: false)

    /// Non-unique: when a message was done with (``finishedAt``), or last kept by a retention round
    /// (then also in ``keptIndex``), in the fixed-width form of ``dueBound(_:)``; absent while it
    /// still needs work, and on messages written before it until `indexRecordsForRemoval` gives them
    /// theirs. The dispatcher looks at what it lists past the retention
    /// (VerificationService+OutboxRetention.swift).
    static let finishedIndex = StoredIndex<OutboxMessage>(name: "outbox.finishedAt", isUnique: false)
    /// Non-unique: the account of a message past the retention that is kept because its account's
    /// delivery status reads it (a message of the account's latest challenge); looked up to remove it
    /// once a later challenge replaces that one.
    static let keptIndex = StoredIndex<OutboxMessage>(name: "outbox.keptFor", isUnique: false)

    var indexEntries: [IndexEntry] {
        var entries: [IndexEntry] = []
        if let dueAt { entries.append(Self.dueIndex.entry(Self.dueValue(dueAt, id: id.text(uppercase: true)))) }
        if let code = codeContent { entries.append(Self.challengeIndex.entry(code.challenge.description)) }
        if let finishedAt { entries.append(Self.finishedIndex.entry(Self.dueBound(finishedAt))) }
        return entries
    }

    /// The fixed-width, lexicographically ordered form of a due time: ``dueBound(_:)``, `|`, `id`,
    /// written straight into the string's storage (one allocation per message write).
    static func dueValue(_ date: Date, id: String) -> String {
        let milliseconds = dueMilliseconds(date)
        let width = dueWidth(milliseconds)
        var id = id
        return id.withUTF8 { id in
            String(unsafeUninitializedCapacity: width + 1 + id.count) { buffer in
                writeDigits(milliseconds, width: width, to: buffer)
                buffer[width] = UInt8(ascii: "|")
                _ = UnsafeMutableBufferPointer(rebasing: buffer[(width + 1)...]).initialize(fromContentsOf: id)
                return width + 1 + id.count
            }
        }
    }

    /// The upper bound of due values at or before `date`.
    static func dueBound(_ date: Date) -> String {
        let milliseconds = dueMilliseconds(date)
        let width = dueWidth(milliseconds)
        return String(unsafeUninitializedCapacity: width) { buffer in
            writeDigits(milliseconds, width: width, to: buffer)
            return width
        }
    }

    /// Milliseconds since 1970, rounded down, 0 before 1970, and `Int64.max` from 2⁶³ on (a time ages
    /// away, such as a failed login plus a window of `Duration.seconds(Int64.max)`), so it never traps.
    private static func dueMilliseconds(_ date: Date) -> Int64 {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard milliseconds < 9_223_372_036_854_775_808.0 else { return .max }
        return max(0, Int64(milliseconds))
    }

    /// The digits a due time takes: 15, or more for a number that needs more.
    private static func dueWidth(_ milliseconds: Int64) -> Int {
        var digits = 1
        var rest = milliseconds / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        return max(15, digits)
    }

    /// `value` (not negative) in decimal, zero-padded on the left to `width` digits, at the start of `buffer`.
    private static func writeDigits(_ value: Int64, width: Int, to buffer: UnsafeMutableBufferPointer<UInt8>) {
        var rest = value
        for index in stride(from: width - 1, through: 0, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        }
    }
}

extension StoredEvent: SelfKeyedRecord {
    static let collection = "event"
    var storedKey: StoredKey<StoredEvent> { StoredKey(id.text(uppercase: true)) }
}

extension LoginIdentifierReservation: StoredRecord {
    /// One record per login identifier (a lower-cased username or a canonical address), keyed by
    /// it and naming its account: usernames and addresses share one namespace, which the store
    /// enforces by "must not exist" on these keys.
    static let collection = "loginIdentifier"
    static func storedKey(_ identifier: String) -> StoredKey<LoginIdentifierReservation> { StoredKey(identifier) }
}

extension MailboxReservation: StoredRecord {
    /// One record per mailbox (``EmailAddress/mailbox``), keyed by it and naming the account whose
    /// address delivers there: one account per mailbox, however its address is spelled, which the
    /// store enforces by "must not exist" on these keys.
    static let collection = "mailbox"
    static func storedKey(_ address: EmailAddress) -> StoredKey<MailboxReservation> { StoredKey(address.mailbox) }
}

extension MailboxReservationsComplete: StoredRecord {
    /// One record, written once every account's mailbox is reserved.
    static let collection = "upgrade"
    static let storedKey = StoredKey<MailboxReservationsComplete>("mailboxReservations")
}

extension RemovalIndexProgress: StoredRecord {
    /// One record, saying how far the run that gives earlier records their removal entries got.
    static let collection = "upgrade"
    static let storedKey = StoredKey<RemovalIndexProgress>("removalIndexes")
}

extension AddressQuota: StoredRecord {
    static let collection = "addressQuota"
    /// Keyed by the address's mailbox (``EmailAddress/mailbox``): every spelling that reaches one
    /// inbox (Gmail's dots, a `+` subaddress) counts against one daily limit. Quotas written before
    /// were keyed by the canonical address (``earlierKey(_:)``).
    static func storedKey(_ address: EmailAddress) -> StoredKey<AddressQuota> { StoredKey(address.mailbox) }

    /// The key of the quota `address` had before quotas were keyed by mailbox (its canonical
    /// address), or `nil` when that is its mailbox's key: its sends still count, and the next send
    /// to the address folds it into the mailbox's quota.
    static func earlierKey(_ address: EmailAddress) -> StoredKey<AddressQuota>? {
        address.canonical == address.mailbox ? nil : StoredKey(address.canonical)
    }

    /// Non-unique: when the record stops counting any send (``idleFrom``), in the fixed-width form of
    /// ``OutboxMessage/dueBound(_:)``. Absent on records written before it until
    /// `indexRecordsForRemoval` gives them theirs, or a code to their address rewrites them.
    static let idleIndex = StoredIndex<AddressQuota>(name: "addressQuota.idleFrom", isUnique: false)

    var indexEntries: [IndexEntry] { [Self.idleIndex.entry(OutboxMessage.dueBound(idleFrom))] }
}

extension AccountCodeLimits.History: StoredRecord {
    static let collection = "wrongCodes"
    static func storedKey(_ account: AccountID) -> StoredKey<AccountCodeLimits.History> {
        StoredKey(account.description)
    }
}

extension LoginThrottlePolicy.State: StoredRecord {
    /// Keyed by an identifier's keyed digest or `account-<id>` (VerificationService+ThrottleKeys.swift).
    static let collection = "throttle"
}

extension StaffCheckQuota: StoredRecord {
    static let collection = "staffCheckQuota"
    static func storedKey(_ account: AccountID) -> StoredKey<StaffCheckQuota> { StoredKey(account.description) }

    /// Non-unique: when the record stops counting any check or refusal (``idleFrom``), in the
    /// fixed-width form of ``OutboxMessage/dueBound(_:)``. Absent on records written before it until
    /// `indexRecordsForRemoval` gives them theirs, or their operator's next check rewrites them.
    static let idleIndex = StoredIndex<StaffCheckQuota>(name: "staffCheckQuota.idleFrom", isUnique: false)

    var indexEntries: [IndexEntry] { [Self.idleIndex.entry(OutboxMessage.dueBound(idleFrom))] }
}
