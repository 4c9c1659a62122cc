import DapodikVerification
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import WebPortalCore

@Suite("CSRF: every form is refused without the session's token", .closesFixtureStores)
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

    @Test("a form sent after the password changed elsewhere is refused saying why, in one new session")
    func formAfterSessionEndedSaysWhy() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let ptk = TestBrowser(client)
            _ = try await ptk.logIn("budi", PortalFixture.ptkPassword)
            _ = try await ptk.get("/verifikasi/kode")
            // As the command line or another server over the same store would.
            try await fixture.service.changePassword(
                from: PortalFixture.ptkPassword, to: "Sandi-Baru-Guru-2026", by: fixture.ptkA.id)
            let sessionsBefore = fixture.portal.sessions.count
            // SIMPAN on the page still open: the first request since the change is a form.
            let refused = try await ptk.post("/verifikasi/simpan", ["kode": "123456"])
            #expect(refused.status == .forbidden)
            #expect(refused.body.contains("Formulir kedaluwarsa"))
            #expect(refused.body.contains("Sesi Anda telah berakhir: kata sandi akun ini diganti"), "\(refused.body)")
            #expect(refused.headers[values: .setCookie].filter { $0.hasPrefix("portal_session=") }.count == 1)
            // The ended session was replaced by one visitor's session, not by two.
            #expect(fixture.portal.sessions.count == sessionsBefore)
            // That session is the browser's now: its next form is accepted.
            let login = try await ptk.get("/masuk")
            #expect(login.status == .ok)
            let again = try await ptk.post("/masuk", ["identitas": "budi", "sandi": "Sandi-Baru-Guru-2026"])
            #expect(again.status == .seeOther, "\(again.status)")
            // A form without a cookie makes one session, the one its refusal sets.
            let stranger = try await client.execute(
                uri: "/verifikasi/lanjut", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "csrf=x"))
            #expect(stranger.status == .forbidden)
            #expect(fixture.portal.sessions.count == sessionsBefore + 1)
        }
        #expect(try await fixture.service.events(limit: 1_000).filter { $0.kind == .codeRejected }.isEmpty)
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
            let cookie = try #require(
                response.headers[values: .setCookie].first { $0.hasPrefix("__Host-portal_session=") })
            #expect(cookie.contains("Secure"))
        }
    }
}
