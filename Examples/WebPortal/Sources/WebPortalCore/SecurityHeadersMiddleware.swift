import HTTPTypes
import Hummingbird

/// Adds the headers every response needs.
///
/// - `Content-Security-Policy`: scripts, styles, images and fetches only from the portal itself,
///   no inline script or style, no framing, forms post only here (CSP Level 3). Every page's
///   script is a file (`/static/status.js`), so the policy needs no `unsafe-inline`.
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`.
/// - `Cache-Control: no-store` on every response that does not set its own (only the static files
///   do): pages show personal data and the session's CSRF token, refusals under `/static/` too.
/// - `Strict-Transport-Security: max-age=31536000` (one year, RFC 6797) when the portal is reached
///   over TLS (``PortalConfiguration/secureCookies``), so a browser that has seen the portal once never
///   sends its session cookie, or a password, over plain HTTP to a look-alike. Without
///   `includeSubDomains`: the portal's host says nothing about its neighbours.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// Whether responses carry `Strict-Transport-Security`.
    let strictTransportSecurity: Bool

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        Self.addHeaders(to: &response.headers, strictTransportSecurity: strictTransportSecurity)
        return response
    }

    /// Sets the headers above on `headers`; also used for the answers the server writes before any
    /// middleware runs (``MalformedRequestAnswerHandler``).
    /// - Parameters:
    ///   - headers: A response's headers; a `Cache-Control` already there is kept.
    ///   - strictTransportSecurity: Whether to add `Strict-Transport-Security`.
    static func addHeaders(to headers: inout HTTPFields, strictTransportSecurity: Bool) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if strictTransportSecurity { headers[.strictTransportSecurity] = "max-age=31536000" }
    }
}
