public import HummingbirdCore
public import NIOCore

extension Portal {
    /// How long a connection may go without sending a part of a request (a complete request head,
    /// a piece of a body) or being answered, before the portal closes it: 30 seconds.
    ///
    /// Without it a connection that sends half a request head and then waits (slowloris) is kept
    /// for ever, and enough of them use up the process's file descriptors. A head that arrives a
    /// byte at a time counts as nothing until it is complete, so dripping does not keep a
    /// connection open either. A reverse proxy in front should bound its own waits as well.
    public static let idleTimeout: TimeAmount = .seconds(30)

    /// The HTTP/1.1 server the portal runs on, closing connections idle for `idleTimeout`, whose
    /// answer to a request it cannot parse carries the portal's security headers
    /// (``MalformedRequestAnswerHandler``).
    /// - Parameters:
    ///   - idleTimeout: The longest idle time; ``idleTimeout`` unless given (tests shorten it).
    ///   - strictTransportSecurity: Whether that answer carries `Strict-Transport-Security`: set it
    ///     as ``PortalConfiguration/secureCookies`` is set, as every other answer does.
    /// - Returns: The builder for `Application(router:server:configuration:)`.
    public static func server(
        idleTimeout: TimeAmount = Portal.idleTimeout, strictTransportSecurity: Bool = false
    ) -> HTTPServerBuilder {
        .http1(
            configuration: .init(
                additionalChannelHandlers: [
                    MalformedRequestAnswerHandler(strictTransportSecurity: strictTransportSecurity)
                ],
                idleTimeout: idleTimeout))
    }
}
