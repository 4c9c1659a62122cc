import DapodikVerification
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing
import WebPortalCore

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
