package import DapodikAccounts

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif

/// One e-mail verification in progress: a person proving they can read the mailbox of one address.
///
/// A challenge is bound to one account, one purpose and one address for its whole life; correcting
/// the address means cancelling it (``CancellationReason/addressChanged``) and starting another.
/// It keeps every code issued for it (up to ``VerificationPolicy/maximumCodesPerChallenge``) as a
/// keyed digest with its times, and counts wrong attempts across all of them: a new code never
/// resets the count (NIST SP 800-63B; design principle 5).
///
/// A challenge is a value. The policy's functions return a new challenge to store (with the
/// expected version, so that exactly one of two concurrent submissions wins); they never mutate.
package struct VerificationChallenge: Sendable, Hashable, Codable, Identifiable {
    /// The challenge's identifier; it is also bound into every code digest.
    public let id: ChallengeID
    /// The account whose address is verified.
    public let account: AccountID
    /// What is verified.
    public let purpose: VerificationPurpose
    /// The address every code of this challenge is mailed to.
    public let address: EmailAddress
    /// When the challenge was started.
    public let createdAt: Date
    /// When the account's codes of its earlier challenges were issued, those of the
    /// ``VerificationPolicy/accountWindow`` before this challenge was created, oldest first: a new
    /// challenge (after an address correction, say) inherits the account's cooldown and its daily
    /// budget of codes (``VerificationPolicy/maximumCodesPerAccountPerDay``) rather than starting
    /// them afresh.
    public let accountCodesIssuedBefore: [Date]
    /// The codes issued so far, numbered 1, 2, … in order.
    public internal(set) var codes: [IssuedCode]
    /// Wrong codes submitted so far, across all codes of the challenge.
    public internal(set) var failedAttempts: Int
    /// Where the challenge stands.
    public internal(set) var state: ChallengeState

    /// Starts a challenge with no code issued yet; issue the first with
    /// ``VerificationPolicy/issuing(_:on:at:recentSendsToAddress:keyRing:)``.
    /// - Parameters:
    ///   - id: The identifier; a new random one by default.
    ///   - account: The account whose address is verified.
    ///   - purpose: What is verified.
    ///   - address: The address the codes are mailed to.
    ///   - createdAt: Now.
    ///   - accountCodesIssuedBefore: When the account's codes of its earlier challenges were issued
    ///     (``VerificationPolicy/accountCodeTimes(in:at:)``); none by default.
    public init(
        id: ChallengeID = .random(), account: AccountID, purpose: VerificationPurpose, address: EmailAddress,
        createdAt: Date, accountCodesIssuedBefore: [Date] = []
    ) {
        self.id = id
        self.account = account
        self.purpose = purpose
        self.address = address
        self.createdAt = createdAt
        self.accountCodesIssuedBefore = accountCodesIssuedBefore.sorted()
        self.codes = []
        self.failedAttempts = 0
        self.state = .open
    }

    /// The most recently issued code, if any.
    public var latestCode: IssuedCode? { codes.last }

    /// The code with number `ordinal`, if it was issued.
    /// - Parameter ordinal: The code's number, from 1.
    /// - Returns: The stored code, or `nil`.
    public func code(numbered ordinal: Int) -> IssuedCode? {
        guard ordinal >= 1, ordinal <= codes.count else { return nil }
        return codes[ordinal - 1]
    }

    /// The largest failed-attempt count a stored challenge may carry; a larger one is damaged data
    /// (no policy allows more than a handful, and counting on from it must not overflow).
    public static let maximumStoredFailedAttempts = 1_000_000

    /// The most earlier codes a stored challenge may carry in ``accountCodesIssuedBefore``; more is
    /// damaged data (a policy's daily budget is a handful).
    public static let maximumStoredEarlierCodes = 10_000

    private enum CodingKeys: String, CodingKey {
        case id, account, purpose, address, createdAt, accountCodesIssuedBefore, codes, failedAttempts, state
    }

    /// Encodes the challenge; ``accountCodesIssuedBefore`` only when it holds a time, so a challenge
    /// without earlier codes is stored as before the field existed.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(account, forKey: .account)
        try container.encode(purpose, forKey: .purpose)
        try container.encode(address, forKey: .address)
        try container.encode(createdAt, forKey: .createdAt)
        if !accountCodesIssuedBefore.isEmpty {
            try container.encode(accountCodesIssuedBefore, forKey: .accountCodesIssuedBefore)
        }
        try container.encode(codes, forKey: .codes)
        try container.encode(failedAttempts, forKey: .failedAttempts)
        try container.encode(state, forKey: .state)
    }

    /// Decodes a stored challenge and checks its invariants.
    /// - Throws: A decoding error for missing or mistyped fields, and ``CodeError`` with code
    ///   ``CodeError/Code/invalidStoredData`` when codes are not numbered 1, 2, … in order, the
    ///   failed-attempt count is negative or above ``maximumStoredFailedAttempts``, a verified
    ///   state names a code that was never issued (any number, however extreme, is refused without
    ///   a trap), or the earlier codes' times are out of order or more than
    ///   ``maximumStoredEarlierCodes``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            stored: try container.decode(ChallengeID.self, forKey: .id),
            account: try container.decode(AccountID.self, forKey: .account),
            purpose: try container.decode(VerificationPurpose.self, forKey: .purpose),
            address: try container.decode(EmailAddress.self, forKey: .address),
            createdAt: try container.decode(Date.self, forKey: .createdAt),
            accountCodesIssuedBefore: try container.decodeIfPresent([Date].self, forKey: .accountCodesIssuedBefore)
                ?? [],
            codes: try container.decode([IssuedCode].self, forKey: .codes),
            failedAttempts: try container.decode(Int.self, forKey: .failedAttempts),
            state: try container.decode(ChallengeState.self, forKey: .state))
    }

    /// A stored challenge from its decoded fields, with the checks of ``init(from:)`` (a hand-written
    /// decoder of stored documents builds it here).
    /// - Throws: ``CodeError`` with code ``CodeError/Code/invalidStoredData``, as ``init(from:)``.
    package init(
        stored id: ChallengeID, account: AccountID, purpose: VerificationPurpose, address: EmailAddress,
        createdAt: Date, accountCodesIssuedBefore: [Date] = [], codes: [IssuedCode], failedAttempts: Int,
        state: ChallengeState
    ) throws(CodeError) {
        self.id = id
        self.account = account
        self.purpose = purpose
        self.address = address
        self.createdAt = createdAt
        self.accountCodesIssuedBefore = accountCodesIssuedBefore
        self.codes = codes
        self.failedAttempts = failedAttempts
        self.state = state
        var valid =
            (0...Self.maximumStoredFailedAttempts).contains(failedAttempts)
            && codes.map(\.ordinal) == Array(codes.indices.map { $0 + 1 })
            && accountCodesIssuedBefore.count <= Self.maximumStoredEarlierCodes
            && zip(accountCodesIssuedBefore, accountCodesIssuedBefore.dropFirst()).allSatisfy { $0 <= $1 }
        if case .verified(let ordinal, _) = state, code(numbered: ordinal) == nil { valid = false }
        guard valid else {
            throw CodeError(
                .invalidStoredData, indonesian: "Data permintaan verifikasi yang tersimpan rusak.",
                english: "A stored verification challenge is damaged.")
        }
    }
}
