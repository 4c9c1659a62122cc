import DapodikVerification
import Foundation

extension StatusPresentation {
    /// The JSON form of a ``ReturnedDelivery``: what the receiving side reported after it accepted
    /// the code's e-mail. Times come both as ISO 8601 and as text on the school's clock.
    struct ReturnedJSON: Encodable {
        let outcome: String
        let statusCode: String
        let reason: String
        let advice: String
        let addressLikelyWrong: Bool
        let diagnostic: String?
        let reportedAt: Date
        let reportedAtText: String
        let willRetryUntil: Date?
        let willRetryUntilText: String?
    }

    static func json(_ returned: ReturnedDelivery, in zone: SchoolTimeZone, language: Language) -> ReturnedJSON {
        ReturnedJSON(
            outcome: returned.outcome.rawValue, statusCode: returned.statusCode.description,
            reason: returned.reason.text(in: language), advice: returned.advice.text(in: language),
            addressLikelyWrong: returned.addressLikelyWrong, diagnostic: returned.diagnostic,
            reportedAt: returned.reportedAt, reportedAtText: time(returned.reportedAt, in: zone, language),
            willRetryUntil: returned.willRetryUntil,
            willRetryUntilText: returned.willRetryUntil.map { time($0, in: zone, language) })
    }
}
