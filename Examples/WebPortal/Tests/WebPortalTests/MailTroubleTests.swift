import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

#if SMTP
    import DapodikSMTP
#endif

/// A code whose mail the portal's transport cannot send until its configuration is fixed (the SMTP
/// server's certificate refused, say): the code page tells the person waiting, in their language,
/// that the code could not be sent and what happens next; the transport's detail stays in the log.
@Suite("The code page says when the mail transport cannot send", .closesFixtureStores)
struct MailTroubleTests {
    /// What a TLS library says of a refused certificate: for the log, never the page.
    static let detail =
        "TLS failed at connect (untrusted certificate, wrong host name or TLS < 1.2?): CERTIFICATE_VERIFY_FAILED"

    /// A transport's failure, and the reason the page gives for it (Indonesian, English), or none.
    typealias Failure = (error: MailTransportError, reason: (indonesian: String, english: String)?)

    /// The transport's failures the test meets.
    static var failures: [Failure] {
        var failures: [Failure] = [
            (
                MailTransportError(.configuration, disposition: .misconfigured, transport: "smtp", detail: detail),
                (
                    "pengiriman email portal belum diatur dengan benar",
                    "the portal's e-mail sending is not set up correctly"
                )
            ),
            // A failure that passes: the panel's retry says so, with no alert.
            (MailTransportError(.timedOut, disposition: .transient, transport: "smtp", detail: detail), nil),
        ]
        #if SMTP
            failures.append(
                (
                    MailTransportError(.tlsFailed, disposition: .misconfigured, transport: "smtp", detail: detail),
                    (
                        "sambungan aman (TLS) ke server email portal gagal, misalnya karena sertifikat server itu "
                            + "tidak dipercaya",
                        "the secure (TLS) connection to the portal's mail server failed, for instance because its "
                            + "certificate is not trusted"
                    )
                ))
        #endif
        return failures
    }

    @Test("a code asked for while the transport fails: an alert on the code page when it waits for an administrator")
    func codePageSaysWhy() async throws {
        for (error, reason) in Self.failures {
            let fixture = try await PortalFixture.make()
            try await fixture.createSchoolWithUnverifiedOperator()
            fixture.mail.breakDown(with: error)
            try await fixture.application.test(.router) { client in
                let browser = TestBrowser(client)
                _ = try await browser.logIn("ayu", PortalFixture.password)
                try await browser.continueToCode()
                let indonesian = try await browser.get("/verifikasi/kode")
                let json = try await browser.get("/verifikasi/status.json")
                let english = try await browser.follow(try await browser.get("/bahasa/en?ke=/verifikasi/kode"))
                #expect(indonesian.body.contains("Pengiriman dicoba lagi"), "\(error.code)")
                #expect(english.body.contains("Delivery is being retried"), "\(error.code)")
                for page in [indonesian.body, english.body, json.body] {
                    #expect(!page.contains("CERTIFICATE_VERIFY_FAILED"), "\(page)")
                    #expect(!page.contains(error.code.rawValue), "\(page)")
                }
                guard let reason else {
                    #expect(
                        indonesian.body.contains(
                            "<dd data-field=\"trouble\" class=\"error\" role=\"alert\" hidden></dd>"),
                        "\(indonesian.body)")
                    #expect(!json.body.contains("\"trouble\""), "\(json.body)")
                    return
                }
                let said =
                    "Kode belum dapat dikirim: \(reason.indonesian). Pengelola portal perlu memperbaikinya; setelah "
                    + "itu kode dikirim otomatis selama masih berlaku. Jika halaman ini kemudian menyatakan kode "
                    + "kedaluwarsa, minta kode baru."
                let alert = "<dd data-field=\"trouble\" class=\"error\" role=\"alert\">"
                #expect(
                    indonesian.body.contains("<dt>Perhatian</dt>\(alert)\(HTML.escape(said))</dd>"),
                    "\(indonesian.body)")
                let saidInEnglish =
                    "The code could not be sent: \(reason.english). The portal's administrators need to fix this; "
                    + "the code is then sent automatically while it is still valid. If this page later says the code "
                    + "expired, ask for a new one."
                #expect(
                    english.body.contains("<dt>Attention</dt>\(alert)\(HTML.escape(saidInEnglish))</dd>"),
                    "\(english.body)")
                #expect(json.body.contains("\"trouble\":\"Kode belum dapat dikirim: "), "\(json.body)")
            }
        }
    }

    @Test("the watch keeps a misconfiguration until a send ends otherwise")
    func watchForgetsOnOtherOutcomes() {
        let watch = MailTransportWatch()
        let misconfigured = MailTransportError(.configuration, disposition: .misconfigured, transport: "t", detail: "")
        #expect(watch.trouble == nil)
        watch.record(misconfigured)
        #expect(watch.trouble != nil)
        watch.record(nil)
        #expect(watch.trouble == nil)
        watch.record(misconfigured)
        watch.record(MailTransportError(.timedOut, disposition: .transient, transport: "t", detail: ""))
        #expect(watch.trouble == nil)
    }
}
