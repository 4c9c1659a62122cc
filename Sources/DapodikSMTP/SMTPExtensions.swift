#if SMTP
    /// What a server said it supports in its reply to `EHLO` (RFC 5321 §4.1.1.1): one keyword per
    /// line after the first, with parameters.
    struct SMTPExtensions: Sendable, Hashable {
        private var parameters: [String: [String]] = [:]

        /// Reads the keywords from an `EHLO` reply; the first line is the server's greeting.
        init(ehloReply reply: SMTPReply) {
            for line in reply.lines.dropFirst() {
                let words = line.split(separator: " ").map(String.init)
                guard let keyword = words.first else { continue }
                parameters[keyword.uppercased()] = words.dropFirst().map { $0.uppercased() }
            }
        }

        /// Knows nothing: before `EHLO`, and after `STARTTLS` (RFC 3207 §4.2: forget what was
        /// learned before TLS).
        init() {}

        /// Whether the server offered this extension keyword.
        func offers(_ keyword: String) -> Bool { parameters[keyword.uppercased()] != nil }

        /// The `AUTH` mechanisms offered (RFC 4954 §3).
        var authenticationMechanisms: Set<String> { Set(parameters["AUTH"] ?? []) }

        /// The size limit of the `SIZE` extension (RFC 1870), if the server declared one (0 means
        /// no fixed limit).
        var maximumMessageSize: Int? {
            guard let value = parameters["SIZE"]?.first, let size = Int(value), size > 0 else { return nil }
            return size
        }
    }
#endif
