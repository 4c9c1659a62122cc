#if SMTP
    public import DapodikLanguage

    /// A submission URL (`smtps://user@host:465`) that cannot be used, and why.
    public struct SMTPConfigurationError: LocalizedFailure, Hashable {
        /// What kind of problem this is. Compare with the static members.
        public struct Code: Hashable, Sendable, CustomStringConvertible {
            /// The stable, machine-readable name of the code.
            public let rawValue: String
            init(_ rawValue: String) { self.rawValue = rawValue }
            /// The code's stable name.
            public var description: String { rawValue }

            /// The scheme is neither `smtps` (implicit TLS) nor `smtp` (STARTTLS).
            public static let unsupportedScheme = Code("smtp.url.unsupportedScheme")
            /// The URL has no host, a bad port, or a part that does not belong in it.
            public static let malformed = Code("smtp.url.malformed")
            /// The URL carries a password: it would end up in shell histories and process lists.
            public static let passwordInURL = Code("smtp.url.passwordInURL")
            /// The scheme and a well-known port disagree: `smtp://` (STARTTLS) to port 465, where TLS
            /// starts at once, or `smtps://` (TLS at once) to port 587 or 25, where it starts with
            /// `STARTTLS` (RFC 8314 §3.3). The first would wait out the greeting's timeout and be
            /// retried as "busy" for ever.
            public static let securityMismatch = Code("smtp.url.securityMismatch")
        }

        /// What kind of problem this is.
        public let code: Code
        /// What went wrong, in Indonesian and English.
        public let message: LocalizedText

        init(_ code: Code, indonesian: String, english: String) {
            self.code = code
            self.message = LocalizedText(indonesian: indonesian, english: english)
        }
    }
#endif
