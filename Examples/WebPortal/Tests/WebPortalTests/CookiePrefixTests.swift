import DapodikVerification
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

/// Over TLS the portal's cookies are `__Host-` cookies (RFC 6265bis §4.1.3.2): `Secure`, `Path=/` and no
/// `Domain`, so a sibling subdomain (which may set a cookie for the parent domain) cannot plant one
/// that the portal reads. Over plain HTTP on localhost a browser refuses such a name, so it stays plain.
@Suite("The cookies' names: __Host- over TLS, plain otherwise", .closesFixtureStores)
struct CookiePrefixTests {
    /// The `Set-Cookie` values of `response` whose cookie is named `name`.
    static func setCookies(named name: String, in response: TestResponse) -> [String] {
        response.headers[values: .setCookie].filter { $0.hasPrefix(name + "=") }
    }

    @Test("with secure cookies the session and language cookies are __Host- cookies: Secure, Path=/, no Domain")
    func hostPrefixOverTLS() async throws {
        let fixture = try await PortalFixture.make(secureCookies: true)
        try await fixture.application.test(.router) { client in
            let first = try await client.execute(uri: "/masuk", method: .get)
            let session = try #require(Self.setCookies(named: "__Host-portal_session", in: first).first)
            let language = try #require(
                Self.setCookies(named: "__Host-lang", in: try await client.execute(uri: "/bahasa/en", method: .get))
                    .first)
            for cookie in [session, language] {
                #expect(cookie.contains("Secure"), "\(cookie)")
                #expect(cookie.contains("Path=/"), "\(cookie)")
                #expect(!cookie.lowercased().contains("domain="), "\(cookie)")
            }
            #expect(Self.setCookies(named: "portal_session", in: first).isEmpty)
            // The browser sends them back under these names: logged in, in English.
            let browser = TestBrowser(client)
            _ = try await browser.get("/bahasa/en")
            let account = try await browser.logIn("siti", PortalFixture.password)
            #expect(account.status == .ok)
            #expect(account.body.contains("Log out"), "\(account.body)")
            #expect(browser.cookies["__Host-portal_session"] != nil)
            #expect(browser.cookies["portal_session"] == nil)
        }
    }

    @Test("with secure cookies a plain-named session or language cookie, as a sibling subdomain plants it, is not read")
    func plainCookiesIgnoredOverTLS() async throws {
        let fixture = try await PortalFixture.make(secureCookies: true)
        try await fixture.application.test(.router) { client in
            // The planter's own logged-in session, planted into a victim's browser under the plain name.
            let planter = TestBrowser(client)
            _ = try await planter.logIn("siti", PortalFixture.password)
            let planted = try #require(planter.cookies["__Host-portal_session"])
            let victim = try await client.execute(
                uri: "/akun", method: .get, headers: [.cookie: "portal_session=\(planted); lang=en"])
            #expect(victim.status == .seeOther)
            #expect(victim.headers[.location] == "/masuk", "the planted session was taken")
            #expect(Self.setCookies(named: "__Host-portal_session", in: victim).count == 1)
            let login = try await client.execute(uri: "/masuk", method: .get, headers: [.cookie: "lang=en"])
            #expect(String(buffer: login.body).contains("Email atau nama pengguna"), "the planted language was read")
        }
    }

    @Test("without secure cookies (plain HTTP) the cookies keep their plain names, and are read")
    func plainNamesWithoutTLS() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let first = try await client.execute(uri: "/masuk", method: .get)
            #expect(Self.setCookies(named: "portal_session", in: first).count == 1)
            #expect(!first.headers[values: .setCookie].contains { $0.hasPrefix("__Host-") })
            let language = try await client.execute(uri: "/bahasa/en", method: .get)
            #expect(Self.setCookies(named: "lang", in: language).count == 1)
            let browser = TestBrowser(client)
            _ = try await browser.get("/bahasa/en")
            let account = try await browser.logIn("siti", PortalFixture.password)
            #expect(account.body.contains("Log out"), "\(account.body)")
            #expect(browser.cookies["portal_session"] != nil)
        }
    }
}
