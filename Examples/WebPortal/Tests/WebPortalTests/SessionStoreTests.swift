import DapodikVerification
import Foundation
import Testing

@testable import WebPortalCore

@Suite("The portal's session table")
struct SessionStoreTests {
    /// A real login session (the library makes them only by logging in).
    static func login() async throws -> Session {
        let fixture = try await PortalFixture.make()
        return try await fixture.service.login(identifier: "budi", password: PortalFixture.ptkPassword)
    }

    @Test("a session used every minute still ends at the absolute timeout")
    func absoluteTimeout() async throws {
        let login = try await Self.login()
        let store = SessionStore(idleTimeout: 30 * 60, absoluteTimeout: 3600)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let session = store.start(login: login, now: start)
        for minute in 1...59 {
            #expect(store.session(session.id, now: start + Double(minute * 60)) != nil, "minute \(minute)")
        }
        #expect(store.session(session.id, now: start + 3601) == nil)
    }

    @Test("a flood of visitors without a cookie stays bounded, and logged-in sessions survive it")
    func floodIsBounded() async throws {
        let login = try await Self.login()
        let store = SessionStore(maximumSessions: 30_000)
        let now = Date()
        let member = store.start(login: login, now: now)
        for _ in 0..<100_000 { _ = store.start(login: nil, now: now) }
        #expect(store.count <= 30_000)
        #expect(store.session(member.id, now: now) != nil)
    }
}
