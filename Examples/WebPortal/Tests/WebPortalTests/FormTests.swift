import DapodikVerification
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

@Suite("A POST is read as a form only when its Content-Type says it is one", .closesFixtureStores)
struct FormTests {
    @Test(
        "a body sent as text/plain, multipart/form-data or with no type gets 415 and changes nothing, token and fields valid",
        .timeLimit(.minutes(10)))
    func otherContentTypesRefused() async throws {
        let fixture = try await PortalFixture.make()
        let newPTK = ["nama": "Ani", "pengguna": "ani", "email": "ani@guru.example", "sandi": "Guru-Baru-2026x"]
        let edit = "/sekolah/akun/\(fixture.ptkA.id.description)"
        try await fixture.application.test(.router) { client in
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            _ = try await manager.get("/sekolah/akun/baru")
            for contentType: String? in ["text/plain", "multipart/form-data; boundary=x", nil, "application/json"] {
                let refused = try await manager.post("/sekolah/akun/baru", newPTK, contentType: contentType)
                #expect(refused.status == .unsupportedMediaType, "\(contentType ?? "none")")
                #expect(refused.body.contains("Formulir tidak dikenali"), "\(refused.body)")
                #expect(refused.body.contains("tidak ada yang diubah"), "\(refused.body)")
                #expect(refused.headers[.contentSecurityPolicy] != nil, "the page has the security headers")
                let changed = try await manager.post(
                    edit, ["email": "dicuri@guru.example", "sandi": ""], contentType: contentType)
                #expect(changed.status == .unsupportedMediaType, "\(contentType ?? "none")")
            }
            _ = try await manager.get("/bahasa/en?ke=/sekolah/akun")
            let english = try await manager.post("/sekolah/akun/baru", newPTK, contentType: "text/plain")
            #expect(english.status == .unsupportedMediaType)
            #expect(english.body.contains("Form not recognised"), "\(english.body)")
            #expect(english.body.contains("nothing was changed"), "\(english.body)")
            // The operator is still logged in: not even the logout form is read as text/plain.
            #expect(try await manager.post("/keluar", [:], contentType: "text/plain").status == .unsupportedMediaType)
            #expect(try await manager.get("/sekolah/akun").status == .ok)
        }
        // Nothing changed: no new PTK, the PTK's address as it was.
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.map(\.username.description) == ["budi"])
        #expect(staff.first?.email?.value == "budi@guru.example")
    }

    @Test("the form type in any case and with parameters (charset) is read as a form")
    func formTypeWithParameters() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            _ = try await manager.get("/sekolah/akun/baru")
            let added = try await manager.post(
                "/sekolah/akun/baru",
                ["nama": "Ani", "pengguna": "ani", "email": "ani@guru.example", "sandi": "Guru-Baru-2026x"],
                contentType: "Application/X-WWW-Form-URLEncoded ; charset=UTF-8")
            #expect(added.status == .seeOther, "\(added.body)")
        }
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.map(\.username.description).sorted() == ["ani", "budi"])
        for header in ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded;charset=utf-8"] {
            #expect(Form.isDeclared(byContentType: header), "\(header)")
        }
        for header: String? in [nil, "", "text/plain", "application/x-www-form-urlencodedx", "multipart/form-data"] {
            #expect(!Form.isDeclared(byContentType: header), "\(header ?? "none")")
        }
    }
}
