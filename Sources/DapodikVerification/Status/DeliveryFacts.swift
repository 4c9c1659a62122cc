#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Everything the delivery status of one account is computed from, read from the store first
/// (``VerificationService/deliveryFacts(of:at:)``), so that the status is a pure function of it
/// (``VerificationService/deliveryStatus(of:at:)``).
struct DeliveryFacts {
    /// The account.
    var account: Account
    /// Its school's time zone (WIB when the school is missing).
    var timeZone: SchoolTimeZone
    /// Its open challenge, else its latest one, if any.
    var challenge: VerificationChallenge?
    /// The message of ``challenge``'s newest code, if any.
    var message: OutboxMessage? = nil
    /// The latest return of an earlier code's message of ``challenge`` (the same address), with
    /// that code's ordinal: told while the newest code's message has no report of its own, since a
    /// mailbox that returned one code is likely to return the next.
    var earlierReturn: (ordinal: Int, record: OutboxMessage.ReturnRecord)? = nil
    /// The account's wrong codes across challenges; read only for an unverified address.
    var wrongCodeHistory: AccountCodeLimits.History? = nil
    /// The code mails sent to the account's address within the policy's window; read for an
    /// unverified address.
    var recentSendsToAddress: [Date] = []
    /// When the account's codes were issued within the policy's window, across all its challenges:
    /// what a new challenge would carry. Read only when the next code would open one (no open
    /// challenge for the account's address).
    var accountCodeTimes: [Date] = []
    /// Who reads the status: what to do next is said to them.
    var audience: StatusAudience = .accountHolder
}
