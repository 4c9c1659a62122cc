import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WebPortalCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A connection that stops half-way through a request (slowloris) is closed by the portal's
/// server, so such connections cannot pile up until the process has no descriptors left.
@Suite("The portal's server closes idle connections", .closesFixtureStores)
struct IdleConnectionTests {
    /// How long, in seconds, an exchange waits for the server to close the connection before it gives
    /// up and reports the connection open: a guard against a hang, never a measure of speed.
    ///
    /// The exchange blocks a thread of its own, which no test time limit can stop, so it needs a
    /// bound of its own; a server that never closes the connection (the failure the tests look for)
    /// would otherwise hold the test run for ever. The server closes these connections at once (its
    /// 400s, a request with `Connection: close`) or after its idle time, but during the whole run
    /// every test queues for the two cores, and its event loop may not run for many seconds: the
    /// 10 s bound this had once ended a `MalformedRequestAnswerHandlerTests` run with "the connection
    /// stayed open". Five minutes, half the suites' 10-minute limit, so a test that meets an open
    /// connection (and stops there: `#require`) fails on its own words before that limit.
    static let closeWait: Double = 300

    /// Connects to 127.0.0.1:`port`, sends `bytes`, and waits up to ``closeWait`` for the server to
    /// close the connection.
    /// - Returns: How long the server took to close it (`nil` when it was still open after
    ///   ``closeWait``), and what it sent meanwhile.
    static func exchange(port: Int, sending bytes: String) throws -> (
        closedAfter: Double?, received: String
    ) {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        let sent = bytes.withCString { send(descriptor, $0, strlen($0), 0) }
        try #require(sent == bytes.utf8.count)
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        while Date().timeIntervalSince(start) < closeWait {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return (Date().timeIntervalSince(start), String(decoding: received, as: UTF8.self)) }
            received += buffer[..<count]
        }
        return (nil, String(decoding: received, as: UTF8.self))
    }

    /// ``exchange(port:sending:)`` on a thread of its own: it blocks for up to ``closeWait``, and on
    /// the cooperative pool (two threads on two cores) it could hold the thread the server needs to
    /// answer, while another test holds the other.
    static func exchangeOffThePool(port: Int, sending bytes: String) async throws -> (
        closedAfter: Double?, received: String
    ) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try exchange(port: port, sending: bytes) })
            }
        }
    }

    @Test(
        "half a request head, or a body that stops coming, is closed after the idle time; a whole request is answered",
        .timeLimit(.minutes(10)))
    func idleConnectionsClosed() async throws {
        let fixture = try await PortalFixture.make()
        let application = Application(router: fixture.portal.router(), server: Portal.server(idleTimeout: .seconds(1)))
        try await application.test(.live) { client in
            let port = try #require(client.port)
            let halfHead = try await Self.exchangeOffThePool(
                port: port, sending: "GET /masuk HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let halfHeadClosed = try #require(halfHead.closedAfter, "a connection with half a request head stayed open")
            // Not closed at once: the idle time (1 s) passed first. A lower bound, which load cannot break.
            #expect(halfHeadClosed >= 0.5)
            #expect(halfHead.received.isEmpty)
            let stalledBody = try await Self.exchangeOffThePool(
                port: port,
                sending: "POST /masuk HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000\r\n"
                    + "Content-Type: application/x-www-form-urlencoded\r\n\r\nidentitas=a")
            try #require(stalledBody.closedAfter != nil, "a connection whose body stopped coming stayed open")
            // A whole request is answered, and the connection kept alive after it closes when idle too.
            let whole = try await Self.exchangeOffThePool(
                port: port, sending: "GET /masuk HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(whole.received.hasPrefix("HTTP/1.1 200 OK"), "\(whole.received.prefix(100))")
            #expect(whole.closedAfter != nil)
        }
    }
}
