#if SMTP
    public import DapodikMail

    extension MailTransportError.Code {
        /// The connection to the SMTP server could not be made or was lost before the message was
        /// complete (transient: nothing was delivered).
        public static let connectionFailed = Self("transport.smtp.connectionFailed")
        /// The TLS handshake failed: an untrusted certificate, a certificate for another name, no
        /// common protocol version (misconfigured).
        public static let tlsFailed = Self("transport.smtp.tlsFailed")
        /// The server did not offer `STARTTLS`, so nothing was sent (misconfigured: RFC 8314 §3.3
        /// forbids continuing in plaintext).
        public static let startTLSNotOffered = Self("transport.smtp.startTLSNotOffered")
        /// The server refused the login, or offers no mechanism the client can use
        /// (misconfigured).
        public static let authenticationFailed = Self("transport.smtp.authenticationFailed")
        /// The server broke the SMTP protocol (transient: another attempt may find it well).
        public static let protocolViolation = Self("transport.smtp.protocolViolation")
    }
#endif
