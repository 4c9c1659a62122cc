import DapodikVerification
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WebPortalCore

@Suite("CSRF: every form is refused without the session's token")
struct CSRFTests {
    /// Every POST route, with fields that would change something if the token were not checked.
    static func postRoutes(_ fixture: PortalFixture) -> [(String, [String: String])] {
        [
            ("/masuk", ["identitas": "siti", "sandi": PortalFixture.password]),
            ("/keluar", [:]),
            ("/verifikasi/ubah-email", ["email": "lain@sekolah.example", "sandi": PortalFixture.password]),
            ("/verifikasi/lanjut", [:]),
            ("/verifikasi/simpan", ["kode": "123456"]),
            (
                "/sekolah/akun/baru",
                [
                    "nama": "Penyusup", "pengguna": "penyusup", "email": "penyusup@guru.example",
                    "sandi": "Guru-Baru-2026x",
                ]
            ),
            ("/sekolah/akun/\(fixture.ptkA.id.description)", ["email": "dicuri@guru.example", "sandi": ""]),
        ]
    }

    @Test("a POST without a token, with a wrong one, or with another session's is refused and changes nothing")
    func postsWithoutValidTokenAreRefused() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let operatorBrowser = TestBrowser(client)
            _ = try await operatorBrowser.logIn("siti", PortalFixture.password)
            let stranger = TestBrowser(client)
            _ = try await stranger.get("/masuk")
            let strangersToken = try #require(stranger.csrfToken)
            for (route, fields) in Self.postRoutes(fixture) {
                for token: String? in [nil, String(repeating: "0", count: 64), strangersToken, ""] {
                    let page = try await operatorBrowser.post(route, fields, csrf: .some(token))
                    #expect(page.status == .forbidden, "\(route) with token \(token ?? "none")")
                    #expect(page.body.contains("Formulir kedaluwarsa"), "\(route)")
                }
            }
            // Nothing changed: no new PTK, the PTK's address, the operator still logged in.
            let staff = try await fixture.service.listStaff(by: fixture.operatorA)
            #expect(staff.map(\.username.description) == ["budi"])
            #expect(staff.first?.email?.value == "budi@guru.example")
            let list = try await operatorBrowser.get("/sekolah/akun")
            #expect(list.status == .ok)
            // And with the right token, the same form works (the test above is not vacuous).
            _ = try await operatorBrowser.get("/sekolah/akun/baru")
            let added = try await operatorBrowser.post(
                "/sekolah/akun/baru",
                ["nama": "Ani", "pengguna": "ani", "email": "ani@guru.example", "sandi": "Guru-Baru-2026x"])
            #expect(added.status == .seeOther)
        }
    }

    @Test("the session cookie is HttpOnly and SameSite=Strict; every page has the CSP without inline script")
    func cookieAndHeaders() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let response = try await client.execute(uri: "/masuk", method: .get)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("portal_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("script-src 'self'"))
            #expect(!policy.contains("unsafe-inline"))
            let body = String(buffer: response.body)
            #expect(!body.contains("<script>"))
            #expect(body.contains("<script src=\"/static/status.js\" defer></script>"))
        }
        let secure = Portal(
            configuration: PortalConfiguration(service: fixture.service, secureCookies: true))
        try await Application(router: secure.router()).test(.router) { client in
            let response = try await client.execute(uri: "/masuk", method: .get)
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("portal_session=") })
            #expect(cookie.contains("Secure"))
        }
    }
}
