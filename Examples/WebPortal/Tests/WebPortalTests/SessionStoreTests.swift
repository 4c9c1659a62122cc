import DapodikVerification
import Foundation
import Testing

@testable import WebPortalCore

@Suite("The portal's session table", .timeLimit(.minutes(10)), .closesFixtureStores)
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

    @Test("one account keeps at most its bound of sessions: a further login ends its least recently used")
    func perAccountBound() async throws {
        let login = try await Self.login()
        let store = SessionStore(maximumSessionsPerAccount: 3)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let visitor = store.start(login: nil, now: start)
        let sessions = (0..<3).map { store.start(login: login, now: start + Double($0)) }
        #expect(store.session(sessions[0].id, now: start + 3) != nil)
        let fourth = store.start(login: login, now: start + 4)
        #expect(store.count == 4)
        #expect(store.session(sessions[1].id, now: start + 5) == nil)
        for kept in [sessions[0], sessions[2], fourth, visitor] {
            #expect(store.session(kept.id, now: start + 5) != nil)
        }
        // One password logged in again and again holds three sessions, and scans nothing.
        for _ in 0..<50_000 { _ = store.start(login: login, now: start + 6) }
        #expect(store.count == 4)
        #expect(store.sweeps == 0)
    }

    @Test("past the maximum, logged-in sessions go least recently used first, and sweeps stay rare")
    func loggedInSessionsBounded() async throws {
        let login = try await Self.login()
        let store = SessionStore(maximumSessions: 20_000, maximumSessionsPerAccount: 1_000_000)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let first = store.start(login: login, now: start)
        let kept = store.start(login: login, now: start)
        var last = kept
        for index in 0..<100_000 {
            last = store.start(login: login, now: start + 1 + Double(index) / 1_000)
            if index % 1_000 == 0 { _ = store.session(kept.id, now: start + 1 + Double(index) / 1_000) }
        }
        #expect(store.count <= 20_000)
        // Each sweep leaves room for a quarter of the maximum: 10,000, then every 5,000 starts.
        #expect(store.sweeps <= 100_000 / 5_000 + 2, "\(store.sweeps) sweeps")
        #expect(store.session(first.id, now: start + 101) == nil)
        #expect(store.session(kept.id, now: start + 101) != nil)
        #expect(store.session(last.id, now: start + 101) != nil)
    }

    @Test("a maximum below the first sweep's size holds")
    func smallMaximum() {
        let store = SessionStore(maximumSessions: 5)
        for _ in 0..<100 { _ = store.start(login: nil) }
        #expect(store.count <= 5)
    }
}
