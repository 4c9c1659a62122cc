import HTTPTypes
import Hummingbird

/// Sends a request for a spelling of one of the portal's addresses with an empty segment (a trailing
/// slash as in `/masuk/`, a doubled one as in `/sekolah//akun`) to the address itself, with
/// 308 Permanent Redirect: the method and the body are kept (RFC 9110 §15.4.9), so a browser sends
/// the same form again, to the canonical address.
///
/// Hummingbird's router reads such a path as its canonical address and would serve it: a form sent
/// to `/keluar/` would log out while the portal took its page for another (``Portal/page(answering:at:)``,
/// the language switch's way back), and one address would have many. A spelling of an address the
/// portal does not have is left to the router (404): the redirect never leaves the site.
struct CanonicalPathMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The portal's addresses, to redirect only to one of them.
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let canonical = Self.canonical(path)
        guard canonical != path, !routes.methods(allowedAt: canonical).isEmpty,
            Portal.localPath(canonical) != nil
        else { return try await next(request, context) }
        let location = request.uri.query.map { canonical + "?" + $0 } ?? canonical
        return Response(status: .permanentRedirect, headers: [.location: location])
    }

    /// `path` without empty segments: `/` followed by its non-empty segments joined by one `/`.
    static func canonical(_ path: String) -> String {
        "/" + path.split(separator: "/", omittingEmptySubsequences: true).joined(separator: "/")
    }
}
