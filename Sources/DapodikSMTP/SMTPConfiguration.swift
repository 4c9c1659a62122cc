#if SMTP
    /// Where and how ``SMTPTransport`` submits mail: the server, how the connection is protected,
    /// the login, and the limits.
    public struct SMTPConfiguration: Sendable {
        /// How the connection to the server is protected.
        public enum Security: Sendable, Hashable {
            /// TLS from the first byte (port 465, "submissions"), which RFC 8314 §3.3 prefers.
            case implicitTLS
            /// Plaintext greeting, then `STARTTLS` (RFC 3207), usually on port 587. Required: a
            /// server that does not offer it is an error and nothing is sent, because an attacker
            /// in the middle can strip the offer (RFC 8314 §3.3 forbids falling back).
            case startTLS
            /// No encryption at all, allowed only when the server's address is a loopback one
            /// (127.0.0.0/8, ::1): for tests and a relay on the same machine. Anything else is
            /// refused before a command is sent.
            case plaintextOnLoopback
        }

        /// Which certificates may sign the server's certificate.
        public enum TrustRoots: Sendable, Hashable {
            /// The system's trust store.
            case system
            /// These PEM-encoded CA certificates only (a private CA, a test CA).
            case pem([UInt8])
        }

        /// The server's host name: where to connect, and the name its certificate must carry.
        public var host: String
        /// The server's port: 465 for implicit TLS, 587 for STARTTLS by default.
        public var port: Int
        /// How the connection is protected.
        public var security: Security
        /// The login, if the server requires one. Sent only over TLS (or on loopback).
        public var credentials: SMTPCredentials?
        /// Which certificates may sign the server's certificate.
        public var trustRoots: TrustRoots
        /// The name the client gives in `EHLO` (RFC 5321 §4.1.1.1: the client's domain name).
        public var clientName: String
        /// How long to wait for each step (RFC 5321 §4.5.3.2).
        public var timeouts: SMTPTimeouts
        /// How many messages one connection carries before it is closed and a new one opened;
        /// servers commonly cap a session (Postfix, for example, at 100 messages), and a bound
        /// keeps a long-lived connection from collecting state.
        public var maximumMessagesPerConnection: Int
        /// How long an unused connection is kept for the next message before it is closed
        /// (servers close idle sessions after about 5 minutes, RFC 5321 §4.5.3.2.7; stay below).
        public var idleTimeout: Duration
        /// How many unused connections are kept open at most.
        public var maximumIdleConnections: Int

        /// Creates a configuration.
        /// - Parameters:
        ///   - host: The server's host name (also checked against its certificate).
        ///   - port: The port; by default 465 for implicit TLS, 587 for STARTTLS, 25 for loopback
        ///     plaintext.
        ///   - security: How the connection is protected; implicit TLS by default.
        ///   - credentials: The login, if any.
        ///   - trustRoots: The accepted certificate authorities; the system's by default.
        ///   - clientName: The `EHLO` name; `localhost` by default.
        ///   - timeouts: The step time limits; RFC 5321's by default.
        ///   - maximumMessagesPerConnection: Messages per connection; 100 by default.
        ///   - idleTimeout: How long an unused connection stays open; 60 seconds by default.
        ///   - maximumIdleConnections: Unused connections kept; 4 by default.
        public init(
            host: String, port: Int? = nil, security: Security = .implicitTLS, credentials: SMTPCredentials? = nil,
            trustRoots: TrustRoots = .system, clientName: String = "localhost", timeouts: SMTPTimeouts = .init(),
            maximumMessagesPerConnection: Int = 100, idleTimeout: Duration = .seconds(60),
            maximumIdleConnections: Int = 4
        ) {
            self.host = host
            switch security {
            case .implicitTLS: self.port = port ?? 465
            case .startTLS: self.port = port ?? 587
            case .plaintextOnLoopback: self.port = port ?? 25
            }
            self.security = security
            self.credentials = credentials
            self.trustRoots = trustRoots
            self.clientName = clientName
            self.timeouts = timeouts
            self.maximumMessagesPerConnection = max(1, maximumMessagesPerConnection)
            self.idleTimeout = idleTimeout
            self.maximumIdleConnections = max(0, maximumIdleConnections)
        }
    }

    /// How long the client waits for each step of a session, RFC 5321 §4.5.3.2.
    ///
    /// The long ones are deliberate: after the final dot the server may be scanning the message,
    /// and a client that gives up early sends the mail twice (§4.5.3.2.6 asks for 10 minutes).
    public struct SMTPTimeouts: Sendable, Hashable {
        /// Establishing the TCP connection (not in the RFC; the operating system's own limit is
        /// minutes). 30 seconds by default.
        public var connect: Duration
        /// The greeting (220), §4.5.3.2.1: 5 minutes.
        public var greeting: Duration
        /// `MAIL FROM`, §4.5.3.2.2: 5 minutes. Also used for `EHLO`, `STARTTLS`, `AUTH`, `RSET`
        /// and the TLS handshake, which the RFC does not name.
        public var mail: Duration
        /// Each `RCPT TO`, §4.5.3.2.3: 5 minutes.
        public var recipient: Duration
        /// `DATA` until its 354, §4.5.3.2.4: 2 minutes.
        public var dataInitiation: Duration
        /// Each block of the message written to the server, §4.5.3.2.5: 3 minutes.
        public var dataBlock: Duration
        /// The reply to the final dot, §4.5.3.2.6: 10 minutes.
        public var dataTermination: Duration
        /// The whole submission of one message, from asking for a connection to the reply to its
        /// final dot (connecting, TLS and login included when a new connection is needed): 10
        /// minutes, §4.5.3.2.6's wait for that reply, which the steps before it take little of.
        /// The steps' own limits apply within it. When it passes, the connection is closed and the
        /// send fails: transient while the message was incomplete, an unknown outcome after. It
        /// bounds ``SMTPTransport/longestSend``, so a dispatcher's lease covers every submission.
        public var submission: Duration

        /// Creates time limits; every default is RFC 5321's.
        /// - Parameters:
        ///   - connect: TCP connection; 30 seconds.
        ///   - greeting: The 220 greeting; 5 minutes.
        ///   - mail: `MAIL` and the other commands; 5 minutes.
        ///   - recipient: Each `RCPT`; 5 minutes.
        ///   - dataInitiation: `DATA`; 2 minutes.
        ///   - dataBlock: Writing the message; 3 minutes.
        ///   - dataTermination: The reply to the final dot; 10 minutes.
        ///   - submission: The whole submission; 10 minutes.
        public init(
            connect: Duration = .seconds(30), greeting: Duration = .seconds(300), mail: Duration = .seconds(300),
            recipient: Duration = .seconds(300), dataInitiation: Duration = .seconds(120),
            dataBlock: Duration = .seconds(180), dataTermination: Duration = .seconds(600),
            submission: Duration = .seconds(600)
        ) {
            self.connect = connect
            self.greeting = greeting
            self.mail = mail
            self.recipient = recipient
            self.dataInitiation = dataInitiation
            self.dataBlock = dataBlock
            self.dataTermination = dataTermination
            self.submission = submission
        }
    }
#endif
