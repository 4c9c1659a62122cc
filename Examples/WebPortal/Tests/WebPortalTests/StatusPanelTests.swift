import DapodikVerification
import Foundation
import Testing

@testable import WebPortalCore

@Suite("The status panel's values")
struct StatusPanelTests {
    /// A status in `state`, the rest as after one code.
    static func status(_ state: DeliveryStatus.State) -> DeliveryStatus {
        DeliveryStatus(
            state: state, maskedAddress: "b•••@gmail.com", codeOrdinal: 1, codeExpiresAt: nil,
            codeExpiresAtText: nil, mayRequestNewCode: false, newCodeAllowedAt: nil, codesLeft: 4, attemptsLeft: 0,
            timeZone: .wib, explanation: LocalizedText(indonesian: "…", english: "…"))
    }

    /// A visit in `language`.
    static func visit(_ language: Language = .indonesian) -> Visit {
        Visit(session: SessionStore().start(login: nil), isNewSession: true, language: language, path: "/")
    }

    @Test("after too many wrong codes the panel has no 'handed to the mail server' row with only a dash")
    func noDashOnlyHandoverRow() throws {
        for language in [Language.indonesian, .english] {
            let visit = Self.visit(language)
            let label = visit.text("Diserahkan ke server email", "Handed to the mail server")
            let exhausted = StatusPresentation(Self.status(.attemptsExhausted), visit: visit)
            #expect(exhausted.fields["handedOverAt"] == nil, "\(exhausted.fields)")
            let panel = exhausted.panel(visit).markup
            #expect(panel.contains("<dt hidden>\(label)</dt><dd data-field=\"handedOverAt\" hidden></dd>"), "\(panel)")
            #expect(!panel.contains("<dt>\(label)</dt>"), "\(panel)")
            // Nor the rows of the other states (a retry, a failure) in this one.
            #expect(exhausted.fields["retry"] == nil && exhausted.fields["failure"] == nil, "\(exhausted.fields)")
            let json = String(decoding: try JSONEncoder().encode(exhausted), as: UTF8.self)
            #expect(!json.contains("handedOverAt"), "\(json)")
        }
    }

    @Test("a code handed to the mail server shows the row, with the time")
    func handoverRowWithTime() {
        let at = Date(timeIntervalSince1970: 1_796_619_190)  // 04:53:10 UTC: 11.53 WIB
        let visit = Self.visit()
        let handedOver = StatusPresentation(
            Self.status(.handedOver(at: at, maskedAddress: "b•••@gmail.com")), visit: visit)
        let time = handedOver.fields["handedOverAt"] ?? ""
        #expect(time.contains("11.53"), "\(time)")
        #expect(
            handedOver.panel(visit).markup.contains(
                "<dt>Diserahkan ke server email</dt><dd data-field=\"handedOverAt\">\(time)</dd>"))
    }

    @Test("a retry is said at the whole minute the explanation names, once with its date, its reason one sentence")
    func retryField() throws {
        let next = Date(timeIntervalSince1970: 1_796_619_190)  // 04:53:10 UTC: 11.53.10 WIB
        let status = DeliveryStatus(
            state: .retrying(
                reason: LocalizedText(
                    indonesian: "server email sedang sibuk; administrator perlu memperbaikinya.",
                    english: "the mail server is busy; an administrator needs to fix it."),
                nextAttemptAt: next, attempts: 1),
            maskedAddress: "b•••@gmail.com", codeOrdinal: 1, codeExpiresAt: nil, codeExpiresAtText: nil,
            mayRequestNewCode: false, newCodeAllowedAt: nil, codesLeft: 4, attemptsLeft: 5, timeZone: .wib,
            explanation: LocalizedText(indonesian: "…", english: "…"))
        let visit = Visit(
            session: SessionStore().start(login: nil), isNewSession: true, language: .indonesian, path: "/")
        let retry = try #require(StatusPresentation(status, visit: visit).fields["retry"])
        #expect(
            retry.hasSuffix(
                "pukul 11.54 WIB (server email sedang sibuk; administrator perlu memperbaikinya; percobaan ke-1)"),
            "\(retry)")
        #expect(!retry.hasPrefix("pukul"), "\(retry)")
    }
}
