#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What issuing a code committed, held by the request that issued it, so that sending the e-mail and
/// answering with the delivery status need not read and decode again the records just written.
///
/// Every value is exactly what a read right after the commit would decode: the dates in it are
/// taken at the stored precision (``Foundation/Date/atStoredPrecision``) and the versions are the
/// ones the commit gave (a new record is version 1, a replaced one its old version + 1).
struct CodeIssue: Sendable {
    /// The outbox message queued for the code, as committed.
    var message: Loaded<OutboxMessage>
    /// Whether the message was committed already leased to this request (it sends right away, see
    /// ``DispatchOptions/sendImmediately``), so sending it needs no commit of its own for the lease.
    var leased: Bool
    /// The challenge the code belongs to, as committed.
    var challenge: Loaded<VerificationChallenge>
    /// The account the code was issued to, as read by the request (issuing does not change it).
    var account: Account
    /// The time zone of the account's school.
    var timeZone: SchoolTimeZone
    /// The account's wrong codes across challenges, as read by the request.
    var wrongCodeHistory: AccountCodeLimits.History?
    /// The address quota's sends, as committed (this code's send included).
    var sendsToAddress: [Date]
    /// The digits sealed in ``message``, as issued: sending right away takes them from here rather
    /// than opening the seal this very request made with the same key (never stored or logged).
    var codeDigits: String
}

extension Date {
    /// This instant as a stored record holds it: seconds since 1970 as one `Double`, which is what
    /// a record written and read again gives back. From 2001 on (where converting from seconds since
    /// 1970 and back is exact), writing it stores the very same bytes as writing the instant itself.
    var atStoredPrecision: Date { Date(timeIntervalSince1970: timeIntervalSince1970) }
}
