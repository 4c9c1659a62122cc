import DapodikVerification
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import WebPortalCore

/// A browser for the route tests: keeps cookies, reads each page's CSRF token, posts forms.
final class TestBrowser {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var csrfToken: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// A page or a redirect, as the browser received it.
    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
    }

    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil)
    }

    /// Posts a form with the CSRF token of the last page seen (unless `csrf` says otherwise), as
    /// `contentType` (a browser's `application/x-www-form-urlencoded` unless given; `nil` sends none).
    func post(
        _ uri: String, _ fields: [String: String], csrf: String?? = .none,
        contentType: String? = "application/x-www-form-urlencoded"
    ) async throws -> Page {
        var all = fields
        switch csrf {
        case .none: if let csrfToken { all["csrf"] = csrfToken }
        case .some(.none): break
        case .some(.some(let token)): all["csrf"] = token
        }
        let body = all.map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }.joined(separator: "&")
        return try await send(uri, method: .post, bytes: Array(body.utf8), contentType: contentType)
    }

    /// Posts `body` as it is, a form's bytes already encoded, with `&csrf=` and the last page's token
    /// after it: for bytes no browser sends.
    func post(_ uri: String, encodedBody body: [UInt8]) async throws -> Page {
        try await send(uri, method: .post, bytes: body + Array("&csrf=\(csrfToken ?? "")".utf8))
    }

    /// Sends a request with `method` and no body.
    func send(_ method: HTTPRequest.Method, _ uri: String) async throws -> Page {
        try await send(uri, method: method, body: nil)
    }

    /// Follows a redirect (303) once.
    func follow(_ page: Page) async throws -> Page {
        guard let location = page.location else { return page }
        return try await get(location)
    }

    private func send(_ uri: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
        try await send(uri, method: method, bytes: body.map { Array($0.utf8) })
    }

    private func send(
        _ uri: String, method: HTTPRequest.Method, bytes body: [UInt8]?,
        contentType: String? = "application/x-www-form-urlencoded"
    ) async throws -> Page {
        var headers: HTTPFields = [:]
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if body != nil, let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        for setCookie in response.headers[values: .setCookie] {
            let pair = setCookie.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            if pair.count == 2 { cookies[String(pair[0])] = String(pair[1]) }
        }
        let text = String(buffer: response.body)
        if let match = text.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/) { csrfToken = String(match.1) }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// VERIFIKASI SEKARANG, then LANJUT: the logged-in account asks for a code.
    func continueToCode() async throws {
        _ = try await get("/verifikasi")
        _ = try await post("/verifikasi/lanjut", [:])
    }

    /// Logs in through the login page.
    func logIn(_ identifier: String, _ password: String) async throws -> Page {
        _ = try await get("/masuk")
        return try await follow(try await post("/masuk", ["identitas": identifier, "sandi": password]))
    }
}
