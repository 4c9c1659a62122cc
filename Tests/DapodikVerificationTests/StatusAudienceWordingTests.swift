import DapodikMail
import Foundation
import Testing

@testable import DapodikVerification

/// Every piece of advice a status can carry, in both wordings: the school's staff are told what the
/// account's holder can do, never sent to the school operator, and never told to do what only the
/// holder can (ask for a code, empty or reactivate the mailbox).
@Suite(.timeLimit(.minutes(10)))
struct StatusAudienceWordingTests {
    /// One status code of each advice class (`ReturnedDelivery.explanation`): unknown user, unknown
    /// domain, full mailbox, disabled mailbox, spam filter, content refused, anything else.
    static let codes = ["5.1.1", "5.1.2", "5.2.2", "5.2.1", "5.7.1", "5.6.0", "5.3.0", "4.4.7"]

    /// The imperatives only the account's holder can follow.
    static let holderOnly = [
        "Minta kode baru", "minta kode baru", "Kosongkan", "kosongkan", "Aktifkan", "Ask for a new code",
        "ask for a new code", "Make room", "make room", "Reactivate",
    ]

    static func assertStaffWording(_ text: LocalizedText, _ context: String) {
        #expect(!text.indonesian.contains("operator sekolah"), "\(context): \(text.indonesian)")
        #expect(!text.english.contains("school operator"), "\(context): \(text.english)")
        #expect(!text.indonesian.contains("Anda"), "\(context): \(text.indonesian)")
        #expect(text.indonesian.lowercased().contains("pemilik akun"), "\(context): \(text.indonesian)")
        #expect(text.english.contains("account's holder"), "\(context): \(text.english)")
        for imperative in holderOnly {
            // "… the account's holder can … ask for a new code" is a statement about the holder, not an order.
            let ordered =
                text.indonesian.hasPrefix(imperative) || text.english.hasPrefix(imperative)
                || text.indonesian.contains("; " + imperative) || text.english.contains("; " + imperative)
                || text.indonesian.contains(": " + imperative) || text.english.contains(": " + imperative)
            #expect(!ordered, "\(context) orders the staff to \"\(imperative)\": \(text)")
        }
    }

    @Test("a bounce's advice, for each status class: the holder's wording unchanged, the staff's about the holder")
    func bounceAdvice() throws {
        for text in Self.codes {
            let code = try #require(DeliveryStatusCode(text))
            for outcome in [ReturnedDelivery.Outcome.failed, .delayed] {
                let holder = ReturnedDelivery.explanation(of: code, outcome: outcome, for: .accountHolder)
                let staff = ReturnedDelivery.explanation(of: code, outcome: outcome, for: .schoolStaff)
                // Only the advice depends on the reader.
                #expect(holder.reason == staff.reason)
                #expect(holder.addressLikelyWrong == staff.addressLikelyWrong)
                #expect(holder.advice != staff.advice, "\(text)")
                Self.assertStaffWording(staff.advice, "\(text) \(outcome)")
                #expect(!holder.advice.indonesian.lowercased().contains("pemilik akun"), "\(text)")
            }
        }
    }

    @Test("a refused delivery's advice, by policy or not, for each reader")
    func refusalAdvice() throws {
        let service = try Harness.make(.memory).service
        let address = try EmailAddress("budi.santoso@gmail.com")
        let time = Date(timeIntervalSince1970: 1_782_874_800)
        let refusals = [
            OutboxMessage.Attempt(
                at: time, disposition: .permanent, replyCode: 550, detail: "sendmail: 5.1.1 user unknown",
                serverReply: "550 5.1.1 user unknown budi.santoso@gmail.com"),
            OutboxMessage.Attempt(
                at: time, disposition: .permanent, replyCode: 554, detail: "sendmail: 5.7.1 rejected",
                serverReply: "554 5.7.1 message rejected as spam"),
        ]
        for attempt in refusals {
            let (holderReason, holderAdvice) = service.failureReason(attempt, address: address, for: .accountHolder)
            let (staffReason, staffAdvice) = service.failureReason(attempt, address: address, for: .schoolStaff)
            #expect(holderReason == staffReason)
            #expect(holderAdvice.indonesian.contains("inta kode baru"), "\(holderAdvice)")
            // The address is shown masked in both.
            #expect(!staffAdvice.indonesian.contains(address.value) && !staffReason.indonesian.contains(address.value))
            Self.assertStaffWording(staffAdvice, attempt.serverReply ?? "")
        }
    }

    @Test("a local sendmail's refusal never sends the operator, reading their own status, to the school operator")
    func sendmailRefusalForTheOperatorItself() throws {
        let service = try Harness.make(.memory).service
        let address = try EmailAddress("operator@sdn1.sch.id")
        let refusal = OutboxMessage.Attempt(
            at: Date(timeIntervalSince1970: 1_782_874_800), disposition: .permanent, exitStatus: 67,
            detail: "sendmail exited with status 67 (EX_NOUSER)")
        let (_, own) = service.failureReason(refusal, address: address, for: .schoolOperatorItself)
        #expect(!own.english.contains("school operator"), "\(own.english)")
        #expect(!own.indonesian.contains("operator sekolah"), "\(own.indonesian)")
        #expect(own.english.hasPrefix("Check that o•••@sdn1.sch.id is right"), "\(own.english)")
        let (_, holder) = service.failureReason(refusal, address: address, for: .accountHolder)
        #expect(holder.english.hasSuffix("If it is right, contact the school operator."), "\(holder.english)")
    }

    @Test("an attempt recorded before replies were kept apart shows no detail, and its words still tell spam apart")
    func olderAttemptShowsNoDetail() throws {
        let service = try Harness.make(.memory).service
        let address = try EmailAddress("budi.santoso@gmail.com")
        let time = Date(timeIntervalSince1970: 1_782_874_800)
        let older = OutboxMessage.Attempt(
            at: time, disposition: .permanent, replyCode: 554,
            detail: "/usr/sbin/sendmail exited with status 69; server said: 554 5.7.1 rejected as spam")
        let (reason, advice) = service.failureReason(older, address: address, for: .accountHolder)
        #expect(reason.english == "the receiving mail server refused the message as spam or by its policy (554).")
        #expect(!advice.english.contains("Check that"))
    }
}
