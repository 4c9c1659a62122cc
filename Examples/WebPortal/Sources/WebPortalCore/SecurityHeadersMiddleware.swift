import HTTPTypes
import Hummingbird

/// Adds the headers every response needs.
///
/// - `Content-Security-Policy`: scripts, styles, images and fetches only from the portal itself,
///   no inline script or style, no framing, forms post only here (CSP Level 3). Every page's
///   script is a file (`/static/status.js`), so the policy needs no `unsafe-inline`.
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`.
/// - `Cache-Control: no-store` on everything but the static files: pages show personal data.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if !request.uri.path.hasPrefix("/static/") { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
