import Hummingbird
import Logging

/// Logs each request's method, path and answer, never its query or headers.
///
/// Hummingbird's own request log prints the whole URI; no secret travels in a query here today,
/// but a link someone pastes or a future page might carry one, and a log is read by more people
/// than a form. So the query is left out, and the status is logged with the path it answered.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let metadata: Logger.Metadata = [
            "request.method": .string(request.method.rawValue), "request.path": .string(request.uri.path),
        ]
        // Inside it, ErrorPageMiddleware turns every refusal and failure into a response.
        let response = try await next(request, context)
        context.logger.info(
            "Request", metadata: metadata.merging(["response.status": "\(response.status.code)"]) { $1 })
        return response
    }
}
