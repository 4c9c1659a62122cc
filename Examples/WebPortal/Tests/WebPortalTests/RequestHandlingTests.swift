import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import WebPortalCore

/// Keeps every log line, message and metadata, for the test to read.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        Logger(label: "portal-test") { _ in CapturingHandler(log: self) }
    }

    private struct CapturingHandler: LogHandler {
        let log: CapturedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key })")
        }
    }
}

@Suite("Requests the forms do not expect, and the request log")
struct RequestHandlingTests {
    @Test("a form over 16 KB gets a page in the visitor's language, and changes nothing")
    func oversizedForm() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            _ = try await manager.get("/sekolah/akun/\(fixture.ptkA.id.description)")
            let huge = String(repeating: "a", count: 20 * 1024) + "@guru.example"
            let refused = try await manager.post(
                "/sekolah/akun/\(fixture.ptkA.id.description)", ["email": huge, "sandi": "Sandi-Baru-Guru-2026"])
            #expect(refused.status == .contentTooLarge)
            #expect(refused.body.contains("Formulir terlalu besar"), "\(refused.body)")
            #expect(refused.body.contains("tidak ada yang diubah"))
            #expect(refused.headers[.contentSecurityPolicy] != nil, "the page has the security headers")
            #expect(refused.headers[.cacheControl] == "no-store")
            _ = try await manager.get("/bahasa/en?ke=/sekolah/akun")
            let english = try await manager.post("/masuk", ["identitas": huge, "sandi": "x"])
            #expect(english.status == .contentTooLarge)
            #expect(english.body.contains("Form too large"), "\(english.body)")
            // Neither the address nor the password changed, and the operator is still logged in.
            #expect(try await manager.get("/sekolah/akun").status == .ok)
        }
        let staff = try await fixture.service.listStaff(by: fixture.operatorA)
        #expect(staff.first?.email?.value == "budi@guru.example")
        #expect(
            try await fixture.service.login(identifier: "budi", password: PortalFixture.ptkPassword).account
                == fixture.ptkA.id)
    }

    @Test("an address that is not here, or a method no page takes, gets a page with the security headers")
    func frameworkRefusalsGetPages() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let missing = try await browser.get("/tidak-ada")
            #expect(missing.status == .notFound)
            #expect(missing.body.contains("Halaman tidak ditemukan"), "\(missing.body)")
            #expect(missing.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy)
            #expect(missing.headers[.cacheControl] == "no-store")
            #expect(missing.headers[.strictTransportSecurity] == nil, "no HSTS without TLS")
            let method = try await browser.send(.put, "/masuk")
            #expect(method.status.kind == .clientError, "\(method.status)")
            #expect(method.body.contains("<main id=\"isi\">"), "\(method.body)")
            #expect(method.headers[.contentSecurityPolicy] != nil)
            _ = try await browser.get("/bahasa/en?ke=/")
            let english = try await browser.get("/tidak/ada/juga")
            #expect(english.status == .notFound)
            #expect(english.body.contains("Page not found"), "\(english.body)")
        }
    }

    @Test("an unexpected failure gets a 500 page with the headers; its type is logged, never its text")
    func unexpectedFailureGetsAPage() async throws {
        struct Unexpected: Error, CustomStringConvertible {
            var description: String { "password Rahasia-Bocor-9 in the failure's text" }
        }
        let fixture = try await PortalFixture.make()
        let log = CapturedLog()
        // The portal's own middleware, in its order, in front of a route that fails as no page does.
        let router = Router()
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(strictTransportSecurity: false))
        router.add(middleware: ErrorPageMiddleware(portal: fixture.portal))
        router.get("/gagal") { _, _ -> Response in throw Unexpected() }
        try await Application(router: router, logger: log.logger).test(.router) { client in
            let failed = try await TestBrowser(client).get("/gagal")
            #expect(failed.status == .internalServerError)
            #expect(failed.body.contains("Terjadi kesalahan"), "\(failed.body)")
            #expect(!failed.body.contains("Rahasia-Bocor-9"))
            #expect(failed.headers[.contentSecurityPolicy] == SecurityHeadersMiddleware.contentSecurityPolicy)
            #expect(failed.headers[.cacheControl] == "no-store")
        }
        #expect(log.all.contains { $0.contains("Request failed") && $0.contains("Unexpected") }, "\(log.all)")
        #expect(log.all.contains { $0.contains("/gagal") && $0.contains("500") }, "\(log.all)")
        #expect(!log.all.contains { $0.contains("Rahasia-Bocor-9") }, "\(log.all)")
    }

    @Test("over TLS (secure cookies) every answer carries Strict-Transport-Security, refusals too")
    func strictTransportSecurity() async throws {
        let fixture = try await PortalFixture.make(secureCookies: true)
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            for uri in ["/masuk", "/tidak-ada", "/static/portal.css"] {
                let page = try await browser.get(uri)
                #expect(page.headers[.strictTransportSecurity] == "max-age=31536000", "\(uri)")
            }
        }
    }

    @Test("the request log has method, path and status, never the query")
    func requestLogLeavesOutTheQuery() async throws {
        let fixture = try await PortalFixture.make()
        let log = CapturedLog()
        let application = Application(router: fixture.portal.router(), logger: log.logger)
        try await application.test(.router) { client in
            let browser = TestBrowser(client)
            let page = try await browser.get("/bahasa/en?ke=/akun&token=rahasia-dalam-tautan")
            #expect(page.status == .seeOther)
            _ = try await browser.get("/tidak-ada?kode=123456")
        }
        let requests = log.all.filter { $0.contains("Request") }
        #expect(requests.contains { $0.contains("/bahasa/en") && $0.contains("303") }, "\(requests)")
        #expect(requests.contains { $0.contains("/tidak-ada") && $0.contains("404") }, "\(requests)")
        for line in log.all {
            #expect(!line.contains("rahasia-dalam-tautan"), "\(line)")
            #expect(!line.contains("123456"), "\(line)")
        }
    }
}
