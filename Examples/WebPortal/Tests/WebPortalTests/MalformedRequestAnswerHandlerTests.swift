import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import WebPortalCore

/// A request the server cannot parse never reaches the router; its 400 still carries the portal's
/// security headers, `Connection: close` and a short text.
@Suite("The server's own 400 for a request it cannot parse", .closesFixtureStores)
struct MalformedRequestAnswerHandlerTests {
    /// The answer's header fields by lower-cased name, and its body.
    static func parse(_ answer: String) -> (statusLine: String, fields: [String: String], body: String) {
        let parts = answer.components(separatedBy: "\r\n\r\n")
        let lines = parts[0].components(separatedBy: "\r\n")
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            let pair = line.split(separator: ":", maxSplits: 1)
            if pair.count == 2 {
                fields[pair[0].lowercased()] = pair[1].trimmingCharacters(in: .whitespaces)
            }
        }
        return (lines[0], fields, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    @Test(
        "a control byte in the URL, or 2,000 header fields: 400 with the security headers, Connection: close, a text",
        .timeLimit(.minutes(10)))
    func parserRefusalCarriesHeaders() async throws {
        let fixture = try await PortalFixture.make()
        let manyFields = (0..<2_000).map { "X-Isian-\($0): a\r\n" }.joined()
        for secure in [false, true] {
            let application = Application(
                router: fixture.portal.router(), server: Portal.server(strictTransportSecurity: secure))
            try await application.test(.live) { client in
                let port = try #require(client.port)
                for request in [
                    "GET /ma\u{1}suk HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                    "GET /masuk HTTP/1.1\r\nHost: 127.0.0.1\r\n" + manyFields + "\r\n",
                ] {
                    // Waits for the close as long as IdleConnectionTests.closeWait: a hang guard, not a
                    // time the answer must beat (a 10 s bound failed once under a full run's load).
                    let exchange = try await IdleConnectionTests.exchangeOffThePool(port: port, sending: request)
                    try #require(exchange.closedAfter != nil, "the connection stayed open")
                    let answer = Self.parse(exchange.received)
                    #expect(answer.statusLine == "HTTP/1.1 400 Bad Request", "\(exchange.received.prefix(200))")
                    #expect(answer.fields["content-security-policy"] == SecurityHeadersMiddleware.contentSecurityPolicy)
                    #expect(answer.fields["x-content-type-options"] == "nosniff")
                    #expect(answer.fields["referrer-policy"] == "no-referrer")
                    #expect(answer.fields["cache-control"] == "no-store")
                    #expect(answer.fields["connection"] == "close")
                    #expect(answer.fields["strict-transport-security"] == (secure ? "max-age=31536000" : nil))
                    #expect(answer.fields["content-type"] == "text/plain; charset=utf-8")
                    #expect(answer.body == MalformedRequestAnswerHandler.text, "\(answer.body)")
                    // Indonesian first, then English: the visitor's `lang` cookie is in the head not read.
                    #expect(answer.body.hasPrefix("Permintaan tidak dapat dibaca"), "\(answer.body)")
                    #expect(answer.body.contains("\nThe request cannot be read"), "\(answer.body)")
                    #expect(answer.fields["content-length"] == String(answer.body.utf8.count))
                }
                // A request that parses is answered by the router, its 400s and all, as before.
                let whole = try await IdleConnectionTests.exchangeOffThePool(
                    port: port, sending: "GET /masuk HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                #expect(whole.received.hasPrefix("HTTP/1.1 200 OK"), "\(whole.received.prefix(100))")
                #expect(Self.parse(whole.received).fields["content-type"] == "text/html; charset=utf-8")
            }
        }
    }
}
