import DapodikVerification
import Foundation
import Testing

@testable import WebPortalCore

@Suite("The status panel's values")
struct StatusPanelTests {
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
