import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Gives the 400 the server writes for a request it cannot parse (a control byte in the URL, more
/// than 1,000 header fields) the portal's security headers (``SecurityHeadersMiddleware``),
/// `Connection: close`, and a short plain-text body.
///
/// Such a request never reaches the router, so no middleware shapes its answer: Hummingbird's HTTP/1
/// loop (`HTTPChannelHandler.handleHTTP`) catches NIO's `HTTPParserError` and writes a bare head,
/// `Connection: close` and `Content-Length: 0`, then closes the connection. This handler sits in the
/// channel between the HTTP/1 codec and that loop (an additional channel handler of
/// ``Portal/server(idleTimeout:strictTransportSecurity:)``): it sees the parser's error on its way
/// in, and rewrites that head on its way out. The visitor's language is not known (the `lang`
/// cookie is in the head that could not be read), so the text is in Indonesian, the portal's
/// default, and then in English, as every other page is on request.
final class MalformedRequestAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The answer's body.
    static let text =
        "Permintaan tidak dapat dibaca karena rusak atau berisi karakter yang tidak sah; tidak ada yang diubah. "
        + "Buka portal lagi dari alamatnya.\n"
        + "The request cannot be read: it is malformed or holds characters that are not allowed; nothing was "
        + "changed. Open the portal again from its address.\n"

    /// Whether the answer carries `Strict-Transport-Security`.
    private let strictTransportSecurity: Bool
    /// Whether the parser refused what came in, so the next bare 400 is its answer.
    private var parserFailed = false

    /// Creates the handler for one connection.
    /// - Parameter strictTransportSecurity: Whether the answer carries `Strict-Transport-Security`.
    init(strictTransportSecurity: Bool) {
        self.strictTransportSecurity = strictTransportSecurity
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError { parserFailed = true }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Only the bare head Hummingbird writes after a parser error; a 400 page of the router has a body.
        guard parserFailed, case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
            head.headerFields[.contentLength] == "0"
        else {
            context.write(data, promise: promise)
            return
        }
        parserFailed = false
        let body = ByteBuffer(string: Self.text)
        var fields: HTTPFields = [
            .connection: "close", .contentType: "text/plain; charset=utf-8",
            .contentLength: String(body.readableBytes),
        ]
        SecurityHeadersMiddleware.addHeaders(to: &fields, strictTransportSecurity: strictTransportSecurity)
        head.headerFields = fields
        context.write(wrapOutboundOut(.head(head)), promise: promise)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
    }
}

@available(*, unavailable)
extension MalformedRequestAnswerHandler: Sendable {}
