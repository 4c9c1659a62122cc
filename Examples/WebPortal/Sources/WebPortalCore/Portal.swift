import DapodikVerification
import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// The web portal: the seed's screens for the school's operator and for its PTK, over a
/// ``VerificationService``.
///
/// It keeps no data of its own but the sessions: every account, code and e-mail is the library's.
/// Each handler passes the logged-in account as `caller`, so the library decides who may see and
/// change what (an operator sees only their own school).
public struct Portal: Sendable {
    /// The session cookie's name, before the prefix of secure cookies (``cookieName(_:)``).
    static let sessionCookie = "portal_session"
    /// The language cookie's name, before the prefix of secure cookies (``cookieName(_:)``).
    static let languageCookie = "lang"
    /// The largest form body read; the forms here are a few hundred bytes.
    static let maximumFormBytes = 16 * 1024

    let configuration: PortalConfiguration
    let sessions: SessionStore

    var service: VerificationService { configuration.service }

    /// Creates a portal.
    /// - Parameters:
    ///   - configuration: The service and the portal's settings.
    ///   - sessions: Where sessions live; a new, empty store unless given.
    public init(configuration: PortalConfiguration, sessions: SessionStore = SessionStore()) {
        self.configuration = configuration
        self.sessions = sessions
    }

    /// The router with every page, the status endpoint and the static files, behind the security
    /// headers.
    /// - Returns: The router, for `Application(router:)`.
    public func router() -> Router<BasicRequestContext> {
        // HEAD answers as GET does, without the body (RFC 9110 §9.3.2): monitors and link checkers use it.
        let router = Router(options: .autoGenerateHeadEndpoints)
        // Method, path and status only: codes and passwords travel in POST bodies, never in a URL or
        // a header, and the query is not logged either.
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: SecurityHeadersMiddleware(strictTransportSecurity: configuration.secureCookies))
        // The same routes on a router of their own, read for the table that tells a wrong method (405)
        // from an address that is not here (404), and a spelling of an address from the address.
        let routes = Router(options: .autoGenerateHeadEndpoints)
        addRoutes(to: routes)
        let table = RouteTable(routes)
        router.add(middleware: CanonicalPathMiddleware(routes: table))
        router.add(middleware: ErrorPageMiddleware(portal: self, routes: table))
        addRoutes(to: router)
        return router
    }

    /// Every page, the status endpoint and the static files.
    private func addRoutes(to router: Router<BasicRequestContext>) {
        StaticAssets.addRoutes(to: router)
        addLoginRoutes(to: router)
        addVerificationRoutes(to: router)
        addStaffRoutes(to: router)
        if configuration.demoMaildir != nil { addDemoRoutes(to: router) }
    }

    // MARK: Sessions, forms and responses

    /// The visit of a request: its session (started if it has none) and language.
    ///
    /// A logged-in session is checked with the library on every request
    /// (``VerificationService/resume(_:)``), so a password changed anywhere (by the operator here,
    /// from the command line, by another server over the same store) ends it at the next click, and
    /// what changed since (a verified address) shows at once. An ended session is replaced by a
    /// visitor's that says why.
    func visit(_ request: Request) async -> Visit {
        let language: Language =
            request.cookies[cookieName(Self.languageCookie)]?.value == "en" ? .english : .indonesian
        // The page the language switch comes back to: a page that answers GET.
        let path = Self.page(answering: request.method, at: request.uri.path)
        if let id = request.cookies[cookieName(Self.sessionCookie)]?.value, var session = sessions.session(id) {
            guard let login = session.login else {
                return Visit(session: session, isNewSession: false, language: language, path: path)
            }
            do throws(VerificationError) {
                let current = try await service.resume(login)
                if current != login {
                    sessions.updateLogin(current, for: id)
                    session.login = current
                }
                return Visit(session: session, isNewSession: false, language: language, path: path)
            } catch let error where error.code == .sessionEnded {
                let visitor = sessions.start(login: nil, replacing: id)
                sessions.setFlash(error.message, for: visitor.id)
                return Visit(session: visitor, isNewSession: true, language: language, path: path)
            } catch {
                // The store failed: the page's own call will say so; the session is not ended for it.
                return Visit(session: session, isNewSession: false, language: language, path: path)
            }
        }
        return Visit(session: sessions.start(login: nil), isNewSession: true, language: language, path: path)
    }

    /// The page of the site that shows what a request to `path` with `method` was about, to come
    /// back to by a link (the language switch): `path` itself for a `GET`, and for a form the page
    /// it was sent from. Several forms post to an address of their own that answers only `POST`
    /// (SIMPAN, LANJUT, correcting the address, unlocking, logging out): a link back there would
    /// get "method not allowed".
    /// - Parameters:
    ///   - method: The request's method.
    ///   - path: The request's path.
    /// - Returns: A path that answers `GET` for every address the forms post to.
    static func page(answering method: HTTPRequest.Method, at path: String) -> String {
        guard method == .post else { return path }
        switch path {
        case "/verifikasi/simpan", "/verifikasi/lanjut": return "/verifikasi/kode"
        case "/verifikasi/ubah-email": return "/verifikasi"
        case "/keluar": return "/masuk"
        case _ where path.hasSuffix("/buka-kunci"): return String(path.dropLast("/buka-kunci".count))
        // The login, "Tambah akun" and the pencil icon post to their own page's address.
        default: return path
        }
    }

    /// A POST whose CSRF token matched its session's: the visit and the form.
    struct Posted {
        let visit: Visit
        let form: Form
    }

    /// What reading a POST gave: its visit, and the form once the CSRF token matched.
    struct Submission {
        /// The visit of the request, whether its form was accepted or not: a refusal is shown in it.
        let visit: Visit
        /// The visit and the form, or `nil` when the token was missing or wrong: send
        /// ``csrfRefusal(_:)`` with ``visit`` then.
        let posted: Posted?
    }

    /// The visit of a POST and its form, once its CSRF token matched the session's (compared in
    /// constant time).
    ///
    /// The visit is made once, after the body was read, and a refusal is shown in that same visit:
    /// a session ended since its form was shown (its password changed elsewhere) is replaced by a
    /// visitor's session that says why (``visit(_:)``), and a second visit would find neither.
    /// - Returns: The visit, with the form unless the token is missing or wrong (a form from another
    ///   site, or from an ended session): send ``csrfRefusal(_:)`` then.
    /// - Throws: `HTTPError(.unsupportedMediaType)` for a body not declared as a form
    ///   (``Form/isDeclared(byContentType:)``: `text/plain`, `multipart/form-data`, no `Content-Type`),
    ///   before the body is read; `HTTPError(.badRequest)` for a body that is not a well-formed form
    ///   (``Form/init(body:)``), before anything is read from it. The error page middleware shows both.
    func post(_ request: Request, context: BasicRequestContext) async throws -> Submission {
        // Every form here is a plain `<form method="post">`; a body of another type is not read as one,
        // whatever it holds (RFC 9110 §15.5.16).
        guard Form.isDeclared(byContentType: request.headers[.contentType]) else {
            throw HTTPError(.unsupportedMediaType)
        }
        let body = try await request.body.collect(upTo: Self.maximumFormBytes)
        guard let form = Form(body: Array(buffer: body)) else { throw HTTPError(.badRequest) }
        let visit = await visit(request)
        guard !visit.isNewSession, constantTimeEquals(form["csrf"], visit.session.csrfToken) else {
            return Submission(visit: visit, posted: nil)
        }
        return Submission(visit: visit, posted: Posted(visit: visit, form: form))
    }

    /// The page sent when a form's CSRF token was missing or wrong, in the visit that refused it
    /// (with the reason an ended session gives, and the cookie of a new session).
    func csrfRefusal(_ visit: Visit) -> Response {
        refusalPage(
            visit, title: visit.text("Formulir kedaluwarsa", "Form expired"), status: .forbidden,
            message: visit.text(
                "Formulir ini tidak dapat diterima (sesi berakhir atau formulir dari situs lain). "
                    + "Buka halamannya lagi dan coba sekali lagi.",
                "This form cannot be accepted (the session ended, or the form came from another site). "
                    + "Open the page again and retry."),
            onward: ("/", visit.text("Ke halaman awal", "To the start page")))
    }

    /// A page that says why a request was not served, with one link onwards.
    /// - Parameters:
    ///   - visit: The visit.
    ///   - title: The page's title.
    ///   - status: The response's status.
    ///   - message: What happened and what to do, in the visit's language.
    ///   - onward: Where the link goes (a path of this site) and its text.
    func refusalPage(
        _ visit: Visit, title: String, status: HTTPResponse.Status, message: String,
        onward: (path: String, label: String)
    ) -> Response {
        page(
            visit, title: title, status: status,
            body: """
                <p class="error" role="alert">\(message)</p>
                <p><a href="\(onward.path)">\(onward.label)</a></p>
                """)
    }

    /// A hidden field with the session's CSRF token, for every form.
    func csrfField(_ visit: Visit) -> HTML {
        "<input type=\"hidden\" name=\"csrf\" value=\"\(visit.session.csrfToken)\">"
    }

    /// A full page in the layout, with the session cookie when the session is new.
    func page(_ visit: Visit, title: String, status: HTTPResponse.Status = .ok, body: HTML) -> Response {
        let html = Layout.render(visit: visit, portal: self, title: title, body: body)
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html.markup)))
        setSessionCookie(visit, on: &response)
        return response
    }

    /// A redirect after a POST (303 See Other, RFC 9110 §15.4.4), or to the login page.
    func redirect(_ visit: Visit, to location: String) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        setSessionCookie(visit, on: &response)
        return response
    }

    /// Sets the session cookie when the visit started a new session.
    func setSessionCookie(_ visit: Visit, on response: inout Response) {
        guard visit.isNewSession else { return }
        response.setCookie(sessionCookie(visit.session.id))
    }

    /// The session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's
    /// request carries it) and `Secure` when the portal is reached over TLS (RFC 6265bis §4.1.2),
    /// then named with `__Host-` (``cookieName(_:)``).
    func sessionCookie(_ id: String) -> Cookie {
        Cookie(
            name: cookieName(Self.sessionCookie), value: id, path: "/", secure: configuration.secureCookies,
            httpOnly: true, sameSite: .strict)
    }

    /// The name a cookie of the portal is set and read under: over TLS (secure cookies) `name` with the
    /// `__Host-` prefix, which a browser keeps only from a `Secure` cookie with `Path=/` and no `Domain`
    /// (RFC 6265bis §4.1.3.2), so only from the portal's own host: a sibling subdomain, which may set a
    /// cookie for the parent domain, cannot plant a session or a language the portal reads. Without
    /// secure cookies (plain HTTP on localhost) `name` itself, as a browser refuses a `__Host-` cookie
    /// that is not `Secure`.
    func cookieName(_ name: String) -> String {
        configuration.secureCookies ? "__Host-" + name : name
    }

    /// Starts a new session for a login (a new id, so one planted earlier is worthless) and points
    /// the browser at `location`.
    func startSession(_ login: Session?, replacing visit: Visit, location: String) -> Response {
        let session = sessions.start(login: login, replacing: visit.session.id)
        var response = Response(status: .seeOther, headers: [.location: location])
        response.setCookie(sessionCookie(session.id))
        return response
    }

    /// A page that says what went wrong with a library call, in the visit's language; the store's
    /// trouble is logged for the deployer (``logStoreTrouble(_:)``).
    func failurePage(_ visit: Visit, _ error: VerificationError) -> Response {
        logStoreTrouble(error)
        let status: HTTPResponse.Status
        switch error.code {
        case .authorization: status = .forbidden
        case .notFound: status = .notFound
        default: status = visitorStatus(error, otherwise: .unprocessableContent)
        }
        return refusalPage(
            visit, title: visit.text("Tidak dapat dilanjutkan", "Cannot continue"), status: status,
            message: visit.text(visitorMessage(error)),
            onward: ("/akun", visit.text("Kembali ke Akun", "Back to the account")))
    }
}
