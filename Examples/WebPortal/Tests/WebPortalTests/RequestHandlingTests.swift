import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOHTTP1
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

@Suite("Requests the forms do not expect, and the request log", .closesFixtureStores)
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

    @Test("a store another process holds: 503 and 'try again' for the visitor, never the store's path or words")
    func storeHeldElsewhere() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("portal-held-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = FileRecordStore.Options()
        options.lockWait = LockWaitPolicy(limit: .milliseconds(300))
        let store = try FileRecordStore(directory: directory, options: options)
        let fixture = try await PortalFixture.make(store: store)
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.get("/masuk")
            // As a backup or compaction from the command line would: this process holds LOCK.
            let descriptor = open(directory.appendingPathComponent("LOCK").path, O_RDWR | O_CLOEXEC)
            try #require(descriptor >= 0)
            try #require(flock(descriptor, LOCK_EX) == 0)
            defer { close(descriptor) }
            let page = try await browser.post("/masuk", ["identitas": "budi", "sandi": PortalFixture.ptkPassword])
            #expect(page.status == .serviceUnavailable)
            #expect(page.body.contains("Server sedang sibuk"), "\(page.body)")
            #expect(!page.body.contains(directory.path) && !page.body.contains("LOCK"), "\(page.body)")
        }
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
        router.add(middleware: ErrorPageMiddleware(portal: fixture.portal, routes: RouteTable(router)))
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

    @Test("a form that is not UTF-8, or has a broken %-escape, is refused whole (400) and adds no one")
    func malformedFormRefused() async throws {
        let fixture = try await PortalFixture.make()
        let before = try await fixture.service.listStaff(by: fixture.operatorA).count
        try await fixture.application.test(.router) { client in
            let manager = TestBrowser(client)
            _ = try await manager.logIn("siti", PortalFixture.password)
            let rest = Array("&pengguna=dodi&email=dodi%40gmail.com&sandi=Dodi-Rahasia-2026".utf8)
            for name in [
                Array("nama=Dodi%FF%FE".utf8), Array("nama=Eko".utf8) + [0xFF, 0xFE], Array("nama=Fajar%ZZ%".utf8),
            ] {
                _ = try await manager.get("/sekolah/akun/baru")
                let refused = try await manager.post("/sekolah/akun/baru", encodedBody: name + rest)
                #expect(refused.status == .badRequest, "\(String(decoding: name, as: UTF8.self))")
                #expect(refused.body.contains("karakter yang tidak sah"), "\(refused.body)")
                #expect(refused.headers[.cacheControl] == "no-store")
            }
            // The same form, well formed, is taken: the refusals above were for the bytes alone.
            _ = try await manager.get("/sekolah/akun/baru")
            let taken = try await manager.post(
                "/sekolah/akun/baru", encodedBody: Array("nama=Dodi%20Santoso".utf8) + rest)
            #expect(taken.status == .seeOther, "\(taken.body)")
        }
        #expect(try await fixture.service.listStaff(by: fixture.operatorA).count == before + 1)
    }

    @Test("a body whose chunked framing is broken gets a 400 page, logged as a notice, not an error")
    func brokenChunkingIsTheClientsFault() async throws {
        let fixture = try await PortalFixture.make()
        let log = CapturedLog()
        // The portal's own middleware, in its order, in front of a route whose body reading fails as
        // NIO's parser fails it for a chunk size that is not hexadecimal or larger than any body. (Over a
        // live connection the same request got this page in most runs; see the note on issue 15.)
        let router = Router()
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(strictTransportSecurity: false))
        router.add(middleware: ErrorPageMiddleware(portal: fixture.portal, routes: RouteTable(router)))
        router.post("/masuk") { _, _ -> Response in throw HTTPParserError.invalidChunkSize }
        try await Application(router: router, logger: log.logger).test(.router) { client in
            let browser = TestBrowser(client)
            let refused = try await browser.post("/masuk", ["identitas": "budi"])
            #expect(refused.status == .badRequest)
            #expect(refused.body.contains("Permintaan tidak dapat dibaca"), "\(refused.body)")
            #expect(refused.headers[.cacheControl] == "no-store")
        }
        #expect(!log.all.contains { $0.hasPrefix("error") }, "\(log.all)")
        #expect(log.all.contains { $0.hasPrefix("notice Malformed request refused") }, "\(log.all)")
    }

    @Test("HEAD answers as GET does, headers and status, without a body")
    func headAnswersAsGet() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            for path in ["/masuk", "/static/portal.css", "/static/status.js"] {
                let get = try await browser.get(path)
                let head = try await browser.send(.head, path)
                #expect(head.status == .ok, "\(path)")
                #expect(get.status == .ok, "\(path)")
                #expect(head.body.isEmpty, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
                #expect(head.headers[.contentSecurityPolicy] != nil, "\(path)")
            }
        }
    }

    @Test("a method an address does not take is 405 with Allow, in a page; an address not here stays 404")
    func wrongMethodIs405() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            let cases: [(HTTPRequest.Method, String, String)] = [
                (.put, "/masuk", "GET, HEAD, POST"), (.delete, "/verifikasi/kode", "GET, HEAD"),
                (.post, "/static/portal.css", "GET, HEAD"), (.get, "/verifikasi/lanjut", "POST"),
                (.patch, "/sekolah/akun/\(UUID())", "GET, HEAD, POST"), (.post, "/", "GET, HEAD"),
            ]
            for (method, path, allow) in cases {
                let page = try await browser.send(method, path)
                #expect(page.status == .methodNotAllowed, "\(method) \(path): \(page.status)")
                #expect(page.headers[.allow] == allow, "\(method) \(path)")
                #expect(page.body.contains("tidak menerima permintaan seperti ini"), "\(method) \(path)")
            }
            for path in ["/tidak-ada", "/verifikasi/kode/lagi", "/sekolah/akun/1/2"] {
                let page = try await browser.send(.put, path)
                #expect(page.status == .notFound, "\(path): \(page.status)")
                #expect(page.headers[.allow] == nil, "\(path)")
            }
        }
    }

    @Test("a refusal under /static/ for a logged-in visitor is not cacheable; the real files are")
    func staticRefusalsAreNotCached() async throws {
        let fixture = try await PortalFixture.make()
        try await fixture.application.test(.router) { client in
            let browser = TestBrowser(client)
            _ = try await browser.logIn("siti", PortalFixture.password)
            for path in ["/static/nope", "/static/portal.css/x"] {
                let missing = try await browser.get(path)
                #expect(missing.status == .notFound)
                #expect(missing.headers[.cacheControl] == "no-store", "\(path)")
            }
            let sheet = try await browser.get("/static/portal.css")
            #expect(sheet.status == .ok)
            #expect(sheet.headers[.cacheControl] == "max-age=3600")
        }
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
