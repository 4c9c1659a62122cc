import HTTPTypes
import Hummingbird

/// Answers a form larger than ``Portal/maximumFormBytes`` with a page in the visitor's language,
/// where Hummingbird would send an empty 413.
///
/// The forms here are a few hundred bytes: a larger body is a paste gone wrong or an attack, and
/// nothing of it is read or kept.
struct OversizedFormMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    /// The portal whose layout the page uses.
    let portal: Portal

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            let visit = await portal.visit(request)
            let limit = Portal.maximumFormBytes / 1024
            return portal.refusalPage(
                visit, title: visit.text("Formulir terlalu besar", "Form too large"), status: .contentTooLarge,
                message: visit.text(
                    "Isi formulir ini lebih dari \(limit) KB, sehingga tidak dibaca dan tidak ada yang diubah. "
                        + "Periksa isian Anda (mungkin ada teks panjang yang tertempel) dan coba lagi.",
                    "This form holds more than \(limit) KB, so it was not read and nothing was changed. "
                        + "Check what you typed (a long text may have been pasted) and retry."),
                onward: ("/", visit.text("Ke halaman awal", "To the start page")))
        }
    }
}
