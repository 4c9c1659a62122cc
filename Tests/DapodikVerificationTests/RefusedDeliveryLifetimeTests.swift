import DapodikVerification
import Foundation
import Testing

/// A code whose e-mail was refused for good was never out there to expire: past the longest a code
/// lives, the status still says it was refused, why and what to do, and the school report still
/// counts it undeliverable, rather than "expired before its e-mail was known to reach the mail server".
@Suite("a refused delivery outlives its code's lifetime", .timeLimit(.minutes(10)))
struct RefusedDeliveryLifetimeTests {
    @Test("a day after a refusal, the holder and the operator still read the refusal and its advice")
    func refusalStays() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(
            with: [
                MailTransportError(
                    .rejected, disposition: .permanent, transport: "test", smtpReplyCode: 550,
                    detail: "server said: 550 5.1.1", serverReply: "550 5.1.1 No such user")
            ])
        let refused = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        guard case .failed = refused.state else {
            Issue.record("not failed: \(refused.state)")
            return
        }
        harness.clock.advance(by: 25 * 3600)

        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.state == refused.state)
        #expect(status.explanation.english.contains("could not be delivered"), "\(status.explanation.english)")
        #expect(status.explanation.english.contains("[550 5.1.1 No such user]"), "\(status.explanation.english)")
        #expect(!status.explanation.english.contains("expired"), "\(status.explanation.english)")
        #expect(!status.explanation.indonesian.contains("kedaluwarsa"), "\(status.explanation.indonesian)")
        #expect(status.mayRequestNewCode)

        let report = try await harness.service.schoolReport(by: manager.id)
        #expect(report.undeliverableCount == 1)
    }
}
