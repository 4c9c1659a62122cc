#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The sends to one address in the last 24 hours, across challenges and accounts (design: 10 mails
/// per address per day), counted per mailbox (``EmailAddress/mailbox``): the spellings of one inbox
/// share one count.
///
/// Once none of its sends is within the window, the record limits nothing: it counts exactly as no
/// record does, so it may be removed (``VerificationService/idleRecordRemovals(in:sparing:at:)``).
struct AddressQuota: Codable {
    var sends: [Date]

    /// The sends of `sends` within the policy's window (24 hours) before `time`.
    static func recent(_ sends: [Date], at time: Date) -> [Date] {
        let window = VerificationPolicy.addressWindow.timeInterval
        return sends.filter { time.timeIntervalSince($0) < window }
    }

    /// When the latest send leaves the window, and with it every send: from then on ``recent(_:at:)``,
    /// the limit's count, is empty. The epoch for a record without sends.
    var idleFrom: Date {
        (sends.max() ?? Date(timeIntervalSince1970: 0)).adding(VerificationPolicy.addressWindow)
    }
}
