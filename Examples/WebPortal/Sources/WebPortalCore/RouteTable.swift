import HTTPTypes
import Hummingbird

/// The portal's addresses and the methods each answers, so that a request with a method an address
/// does not take is answered 405 with `Allow` (RFC 9110 §15.5.6), not "no such address".
///
/// Hummingbird's router answers both with 404; this table, read from a router holding the same
/// routes (``Router/routes``), tells them apart.
struct RouteTable: Sendable {
    private let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    /// The routes `router` holds.
    init(_ router: Router<BasicRequestContext>) {
        routes = router.routes.map { ($0.path, $0.method) }
    }

    /// The methods `path` answers, `HEAD` wherever `GET` is (the router makes it), in a stable
    /// order; empty when no route has this path.
    /// - Parameter path: The request's path, without its query.
    func methods(allowedAt path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set(routes.filter { Self.path($0.path, matches: segments) }.map(\.method))
        if methods.contains(.get) { methods.insert(.head) }
        return methods.sorted { $0.rawValue < $1.rawValue }
    }

    private static func path(_ route: RouterPath, matches segments: [Substring]) -> Bool {
        route.components.count == segments.count
            && zip(route.components, segments).allSatisfy { element, segment in element ~= segment }
    }
}
