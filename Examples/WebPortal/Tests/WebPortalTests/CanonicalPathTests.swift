import DapodikVerification
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

/// Every address of the portal has one spelling. The router reads `/masuk/` and `/sekolah//akun` as
/// `/masuk` and `/sekolah/akun`; served so, a form sent there would do what the canonical address does
/// while the portal took it for another page (the language switch's way back, an unlock form's page).
/// Such a request is sent to the canonical address instead, with 308 Permanent Redirect, which keeps
/// the method and the body (RFC 9110 §15.4.9): a browser sends the same form again, there.
@Suite("An address with a trailing or doubled slash is redirected, never served", .closesFixtureStores)
struct CanonicalPathTests {
    @Test("POST /masuk/ is answered 308 to /masuk and logs no one in; the same form sent there logs in")
    func postWithTrailingSlash() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            let form = ["identitas": "siti", "sandi": PortalFixture.password]
            let redirected = try await browser.post("/masuk/", form)
            #expect(redirected.status == .permanentRedirect)
            #expect(redirected.location == "/masuk")
            #expect(redirected.headers[.contentSecurityPolicy] != nil, "the redirect has the security headers")
            #expect(redirected.headers[values: .setCookie].isEmpty)
            #expect(try await browser.get("/akun").location == "/masuk", "the redirected form logged in")
            let again = try await browser.post(try #require(redirected.location), form)
            #expect(again.status == .seeOther)
            #expect(again.location == "/sekolah/akun")
        }
    }

    @Test("every method, and any empty segment, gets the canonical address, its query kept")
    func everyMethodAndSpelling() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.get, "/masuk/", "/masuk"),
                (.head, "/masuk/", "/masuk"),
                (.get, "/masuk//", "/masuk"),
                (.get, "/sekolah//akun", "/sekolah/akun"),
                (.get, "//masuk", "/masuk"),
                (.get, "/bahasa/en/?ke=/akun", "/bahasa/en?ke=/akun"),
                (.post, "/verifikasi/simpan/", "/verifikasi/simpan"),
                (.post, "/keluar/", "/keluar"),
                (.get, "/static/portal.css/", "/static/portal.css"),
                // The canonical address answers the wrong method with its own 405.
                (.delete, "/masuk/", "/masuk"),
            ]
            for (method, uri, canonical) in cases {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == .permanentRedirect, "\(method) \(uri): \(response.status)")
                #expect(response.headers[.location] == canonical, "\(method) \(uri)")
            }
        }
    }

    @Test("a spelling of an address the portal does not have is 404, never a redirect off the site")
    func notHereIsNotFound() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            for uri in ["/tidak-ada/", "//evil.example/", "//evil.example/masuk", "/\\evil.example/", "/masuk/x/"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .notFound, "\(uri): \(response.status)")
                #expect(response.headers[.location] == nil, "\(uri)")
            }
            #expect(try await client.execute(uri: "/", method: .get).status == .seeOther)
        }
    }
}
