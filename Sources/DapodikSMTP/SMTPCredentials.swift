#if SMTP
    /// A login for the SMTP server (RFC 4954). Its description never shows the secret.
    public struct SMTPCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
        CustomReflectable
    {
        enum Secret: Hashable {
            case password(String)
            case oauth2Token(String)
        }

        /// The user name.
        public let username: String
        let secret: Secret

        /// A user name and password, sent with `AUTH PLAIN` where the server offers it, else
        /// `AUTH LOGIN`.
        /// - Parameters:
        ///   - username: The user name.
        ///   - password: The password.
        /// - Returns: The credentials.
        public static func password(username: String, password: String) -> SMTPCredentials {
            SMTPCredentials(username: username, secret: .password(password))
        }

        /// A user name and an OAuth 2.0 access token (obtained by the caller), sent with
        /// `AUTH XOAUTH2` as Google and Microsoft define it.
        /// - Parameters:
        ///   - username: The user name (usually the mailbox address).
        ///   - accessToken: The bearer token.
        /// - Returns: The credentials.
        public static func oauth2(username: String, accessToken: String) -> SMTPCredentials {
            SMTPCredentials(username: username, secret: .oauth2Token(accessToken))
        }

        /// The user name and the kind of secret, never the secret itself.
        public var description: String {
            switch secret {
            case .password: "\(username) (password)"
            case .oauth2Token: "\(username) (OAuth 2.0 token)"
            }
        }

        /// The same as ``description``: the secret is never shown.
        public var debugDescription: String { description }

        /// Shows the user name only, so `dump` and debuggers do not print the secret either.
        public var customMirror: Mirror { Mirror(self, children: ["username": username]) }
    }
#endif
