import HTTPTypes
import Hummingbird
import Logging
import NIOHTTP1

/// Answers every request the routes did not answer with a page in the visitor's language, where
/// Hummingbird would send an empty body: an address that is not here (404), a method the address
/// does not take (405, with `Allow`, from ``RouteTable``), a form larger than
/// ``Portal/maximumFormBytes`` (413), a POST whose body is not declared as a form (415), any other
/// refusal the framework makes, and an unexpected failure (500, its type logged, nothing of it shown).
///
/// It sits inside ``SecurityHeadersMiddleware``, so these pages carry the same headers as every
/// other. A request whose body breaks HTTP's framing (a chunk size that is not hexadecimal, a
/// chunk larger than any body) is the client's fault: a 400 page, logged as a notice, not an error
/// that would page an administrator. A malformed request *head* never reaches the router: the
/// server answers it with a 400 before any middleware runs (no browser sends it), which
/// ``MalformedRequestAnswerHandler`` gives the same headers and a short text.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The portal whose layout the page uses.
    let portal: Portal
    /// The methods each address answers, to tell a wrong method (405) from an address not here (404).
    let routes: RouteTable

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            if error.status == .notFound {
                let allowed = routes.methods(allowedAt: request.uri.path)
                if !allowed.isEmpty, !allowed.contains(request.method) {
                    var response = await page(for: .methodNotAllowed, request)
                    response.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                    return response
                }
            }
            return await page(for: error.status, request)
        } catch let error as HTTPParserError {
            context.logger.notice(
                "Malformed request refused",
                metadata: ["request.path": .string(request.uri.path), "error": "\(error)"])
            return await page(for: .badRequest, request)
        } catch {
            context.logger.error(
                "Request failed",
                metadata: ["request.path": .string(request.uri.path), "error": "\(type(of: error))"])
            return await page(for: .internalServerError, request)
        }
    }

    /// The page for a refusal with `status`.
    private func page(for status: HTTPResponse.Status, _ request: Request) async -> Response {
        let visit = await portal.visit(request)
        let (title, message) = Self.explanation(of: status, visit)
        return portal.refusalPage(
            visit, title: title, status: status, message: message,
            onward: ("/", visit.text("Ke halaman awal", "To the start page")))
    }

    /// The page's title and message for `status`, in the visit's language.
    private static func explanation(of status: HTTPResponse.Status, _ visit: Visit) -> (String, String) {
        switch status {
        case .notFound:
            return (
                visit.text("Halaman tidak ditemukan", "Page not found"),
                visit.text(
                    "Alamat ini tidak ada di portal. Periksa alamatnya, atau mulai dari halaman awal.",
                    "There is no such address in the portal. Check the address, or start from the start page.")
            )
        case .badRequest:
            return (
                visit.text("Permintaan tidak dapat dibaca", "Request cannot be read"),
                visit.text(
                    "Permintaan ini rusak atau berisi karakter yang tidak sah, sehingga tidak dibaca dan tidak ada "
                        + "yang diubah. Buka halamannya lagi dari tautan di portal dan coba sekali lagi.",
                    "This request is malformed or holds characters that are not allowed, so it was not read and "
                        + "nothing was changed. Open the page again from a link in the portal and retry.")
            )
        case .methodNotAllowed:
            return (
                visit.text("Cara permintaan tidak diterima", "Method not allowed"),
                visit.text(
                    "Alamat ini ada, tetapi tidak menerima permintaan seperti ini (metode HTTP-nya). Buka halamannya "
                        + "dari tautan di portal dan coba lagi.",
                    "This address exists, but does not take a request of this kind (its HTTP method). Open the "
                        + "page from a link in the portal and retry.")
            )
        case .contentTooLarge:
            let limit = Portal.maximumFormBytes / 1024
            return (
                visit.text("Formulir terlalu besar", "Form too large"),
                visit.text(
                    "Isi formulir ini lebih dari \(limit) KB, sehingga tidak dibaca dan tidak ada yang diubah. "
                        + "Periksa isian Anda (mungkin ada teks panjang yang tertempel) dan coba lagi.",
                    "This form holds more than \(limit) KB, so it was not read and nothing was changed. "
                        + "Check what you typed (a long text may have been pasted) and retry.")
            )
        case .unsupportedMediaType:
            return (
                visit.text("Formulir tidak dikenali", "Form not recognised"),
                visit.text(
                    "Isi permintaan ini tidak dikirim sebagai formulir portal, sehingga tidak dibaca dan tidak ada "
                        + "yang diubah. Buka halamannya dari tautan di portal dan kirim formulirnya dari sana.",
                    "This request's content was not sent as a portal form, so it was not read and nothing was "
                        + "changed. Open the page from a link in the portal and send the form from there.")
            )
        case _ where status.kind == .serverError:
            return (
                visit.text("Terjadi kesalahan", "Something went wrong"),
                visit.text(
                    "Permintaan ini tidak dapat diselesaikan. Coba lagi sebentar lagi; bila terus terjadi, "
                        + "beri tahu pengelola portal.",
                    "This request could not be completed. Retry in a moment; if it keeps happening, tell the "
                        + "portal's administrator.")
            )
        default:
            return (
                visit.text("Permintaan tidak dapat diproses", "Request not accepted"),
                visit.text(
                    "Portal tidak dapat memproses permintaan ini (kode \(status.code)). "
                        + "Buka halamannya dari tautan di portal dan coba lagi.",
                    "The portal cannot handle this request (code \(status.code)). "
                        + "Open the page from a link in the portal and retry.")
            )
        }
    }
}
