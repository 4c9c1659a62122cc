#if SMTP
    import DapodikLanguage

    /// Reading a configuration from a submission URL, the form a command line or an environment
    /// variable gives.
    extension SMTPConfiguration {
        /// Reads `smtps://user@host:465` (implicit TLS, port 465 by default) or
        /// `smtp://user@host:587` (required STARTTLS, port 587 by default). The user name may be
        /// percent-encoded (`operator%40sekolah.sch.id`); the secret never comes from the URL.
        /// - Parameters:
        ///   - url: The submission URL.
        ///   - secret: The password (or, with `oauth2`, the access token) for the user in the URL;
        ///     ignored when the URL names no user.
        ///   - oauth2: Whether `secret` is an OAuth 2.0 token (`AUTH XOAUTH2`) rather than a password.
        /// - Throws: ``SMTPConfigurationError`` for another scheme, a password in the URL, a
        ///   missing host, a bad port, or a scheme that does not fit a well-known port (`smtp://` to
        ///   465, `smtps://` to 587 or 25). A URL without a user is *not* an error: no login is made.
        public init(url: String, secret: String?, oauth2: Bool = false) throws(SMTPConfigurationError) {
            let security: Security
            let rest: Substring
            if url.lowercased().hasPrefix("smtps://") {
                security = .implicitTLS
                rest = url.dropFirst("smtps://".count)
            } else if url.lowercased().hasPrefix("smtp://") {
                security = .startTLS
                rest = url.dropFirst("smtp://".count)
            } else {
                throw SMTPConfigurationError(
                    .unsupportedScheme,
                    indonesian: "Alamat SMTP harus diawali smtps:// (TLS, port 465) atau smtp:// (STARTTLS, port 587).",
                    english:
                        "The SMTP address must start with smtps:// (TLS, port 465) or smtp:// (STARTTLS, port 587).")
            }
            let authority = rest.hasSuffix("/") ? rest.dropLast() : rest
            var hostPort = authority
            var username: String?
            if let at = authority.lastIndex(of: "@") {
                let user = authority[..<at]
                guard !user.contains(":") else {
                    throw SMTPConfigurationError(
                        .passwordInURL,
                        indonesian:
                            "Jangan menaruh kata sandi di alamat SMTP; berikan lewat variabel lingkungan atau berkas.",
                        english:
                            "Do not put the password in the SMTP address; give it in an environment variable or a file."
                    )
                }
                username = user.removingPercentEncodingIfValid
                hostPort = authority[authority.index(after: at)...]
            }
            let malformed = SMTPConfigurationError(
                .malformed,
                indonesian: "Alamat SMTP tidak valid: perlu smtps://pengguna@host:port (atau smtp://), tanpa jalur "
                    + "atau ?parameter.",
                english: "The SMTP address is not valid: it needs smtps://user@host:port (or smtp://), with no path "
                    + "or ?parameters.")
            var host = hostPort
            var port: Int?
            if let colon = hostPort.lastIndex(of: ":"), !hostPort[colon...].contains("]") {
                guard let number = Int(hostPort[hostPort.index(after: colon)...]), (1...65_535).contains(number) else {
                    throw malformed
                }
                port = number
                host = hostPort[..<colon]
            }
            if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
            guard !host.isEmpty, !host.contains(where: { "/?#@ ".contains($0) }), username?.isEmpty != true else {
                throw malformed
            }
            if security == .startTLS, port == 465 {
                throw SMTPConfigurationError(
                    .securityMismatch,
                    indonesian: "Port 465 memakai TLS sejak awal (RFC 8314): tulis smtps://\(host):465, bukan smtp://.",
                    english: "Port 465 uses TLS from the start (RFC 8314): write smtps://\(host):465, not smtp://.")
            }
            if security == .implicitTLS, let port, port == 587 || port == 25 {
                throw SMTPConfigurationError(
                    .securityMismatch,
                    indonesian: "Port \(port) memakai STARTTLS: tulis smtp://\(host):\(port), bukan smtps://.",
                    english: "Port \(port) uses STARTTLS: write smtp://\(host):\(port), not smtps://.")
            }
            var credentials: SMTPCredentials?
            if let username, let secret {
                credentials =
                    oauth2
                    ? .oauth2(username: username, accessToken: secret)
                    : .password(username: username, password: secret)
            }
            self.init(host: String(host), port: port, security: security, credentials: credentials)
        }
    }
#endif
