import DapodikVerification
import Foundation
import HTTPTypes
import Hummingbird

// Logging in and out, the start page, and the language switch.
extension Portal {
    func addLoginRoutes(to router: Router<BasicRequestContext>) {
        router.get("/") { request, _ in
            let visit = await visit(request)
            return redirect(visit, to: visit.login == nil ? "/masuk" : "/akun")
        }
        router.get("/masuk") { request, _ in
            let visit = await visit(request)
            if visit.login != nil { return redirect(visit, to: "/akun") }
            return loginPage(visit, identifier: "", error: nil)
        }
        router.post("/masuk") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let (visit, form) = (posted.visit, posted.form)
            let identifier = form.trimmed("identitas")
            do throws(VerificationError) {
                let login = try await service.login(identifier: identifier, password: form["sandi"])
                let destination = login.role != .ptk && login.isEmailVerified ? "/sekolah/akun" : "/akun"
                return startSession(login, replacing: visit, location: destination)
            } catch {
                // A blank password field is a form to fill in, not a failed login.
                let status: HTTPResponse.Status =
                    error.code == .loginThrottled || error.code == .accountLocked
                    ? .tooManyRequests
                    : error.code == .invalidInput
                        ? .unprocessableContent : visitorStatus(error, otherwise: .unauthorized)
                logStoreTrouble(error)
                var message = visit.text(visitorMessage(error))
                if let retryAt = error.retryAt {
                    message +=
                        " "
                        + visit.text("Coba lagi pukul ", "Try again at ")
                        // Before a login the school, and so its zone, is not known (nor may be told).
                        + [SchoolTimeZone.wib, .wita, .wit].map {
                            $0.formattedTime(notBefore: retryAt, language: visit.language)
                        }
                        .joined(separator: " / ") + "."
                }
                return loginPage(visit, identifier: identifier, error: message, status: status)
            }
        }
        router.post("/keluar") { request, context in
            let submission = try await post(request, context: context)
            guard let posted = submission.posted else { return csrfRefusal(submission.visit) }
            let visit = posted.visit
            sessions.end(visit.session.id)
            return startSession(nil, replacing: visit, location: "/masuk")
        }
        router.get("/bahasa/{code}") { request, context in
            let visit = await visit(request)
            let code = context.parameters.get("code") == "en" ? "en" : "id"
            let back = request.uri.queryParameters.get("ke").flatMap(Self.localPath) ?? "/"
            var response = redirect(visit, to: back)
            response.setCookie(
                Cookie(
                    name: cookieName(Self.languageCookie), value: code, maxAge: 365 * 24 * 3600, path: "/",
                    secure: configuration.secureCookies, httpOnly: true, sameSite: .lax))
            return response
        }
    }

    /// `path` when it is a path of this site, else `nil`: never an open redirect. Browsers drop tabs
    /// and line breaks from a `Location` and read `\\` as `/`, so `/<TAB>/other.example` would become
    /// `//other.example`: only printable ASCII without spaces or backslashes is accepted, starting
    /// with one `/`.
    static func localPath(_ path: String) -> String? {
        let scalars = Array(path.unicodeScalars)
        guard scalars.first == "/", scalars.count < 2 || scalars[1] != "/" else { return nil }
        guard scalars.allSatisfy({ (0x21...0x7E).contains($0.value) && $0 != "\\" }) else { return nil }
        return path
    }

    /// The login page: the same for the operator (school portal) and the PTK (staff portal), as
    /// both log in with a username or e-mail address and a password.
    func loginPage(
        _ visit: Visit, identifier: String, error: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let errorHTML: HTML = error.map { "<p class=\"error\" role=\"alert\">\($0)</p>" } ?? ""
        let hint: HTML =
            configuration.demoHint.map { "<p class=\"notice\">\(visit.text($0))</p>" } ?? ""
        return page(
            visit, title: visit.text("Masuk", "Log in"), status: status,
            body: """
                \(hint)
                \(errorHTML)
                <form method="post" action="/masuk">
                \(csrfField(visit))
                <label for="identitas">\(visit.text("Email atau nama pengguna", "E-mail or username"))</label>
                <input type="text" id="identitas" name="identitas" value="\(identifier)" required \
                autocomplete="username" autocapitalize="none" spellcheck="false">
                <label for="sandi">\(visit.text("Kata sandi", "Password"))</label>
                <input type="password" id="sandi" name="sandi" required autocomplete="current-password">
                <button type="submit">\(visit.text("MASUK", "LOG IN"))</button>
                </form>
                <p class="hint">\(visit.text(
                    "Operator sekolah dan PTK masuk di sini dengan email (atau nama pengguna) dan kata sandi "
                        + "yang dibuat operator.",
                    "School operators and staff log in here with the e-mail (or username) and password the "
                        + "operator set."))</p>
                """)
    }
}
