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
        do {
            let response = try await next(request, context)
            context.logger.info(
                "Request", metadata: metadata.merging(["response.status": "\(response.status.code)"]) { $1 })
            return response
        } catch let error as any HTTPResponseError {
            context.logger.info(
                "Request", metadata: metadata.merging(["response.status": "\(error.status.code)"]) { $1 })
            throw error
        } catch {
            context.logger.warning("Request failed", metadata: metadata.merging(["error": "\(type(of: error))"]) { $1 })
            throw error
        }
    }
}
