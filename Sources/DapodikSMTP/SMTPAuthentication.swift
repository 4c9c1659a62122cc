#if SMTP
    import DapodikMail

    #if canImport(FoundationEssentials)
        import FoundationEssentials
    #else
        import Foundation
    #endif

    /// Logs in with `AUTH` (RFC 4954): PLAIN (RFC 4616) where offered, else LOGIN, and XOAUTH2 for
    /// a token. The secret goes only into the command written to the TLS connection: never into
    /// an error, whose text holds the server's reply alone.
    enum SMTPAuthentication {
        static func authenticate(
            _ credentials: SMTPCredentials, over channel: SMTPChannel, offered extensions: SMTPExtensions,
            within limit: Duration, failures: SMTPFailures
        ) async throws(MailTransportError) {
            let offered = extensions.authenticationMechanisms
            let steps: [String]
            let mechanism: String
            switch credentials.secret {
            case .password(let password) where offered.contains("PLAIN"):
                mechanism = "PLAIN"
                steps = ["AUTH PLAIN " + base64("\u{0}\(credentials.username)\u{0}\(password)")]
            case .password(let password) where offered.contains("LOGIN"):
                mechanism = "LOGIN"
                steps = ["AUTH LOGIN", base64(credentials.username), base64(password)]
            case .oauth2Token(let token) where offered.contains("XOAUTH2"):
                mechanism = "XOAUTH2"
                steps = ["AUTH XOAUTH2 " + base64("user=\(credentials.username)\u{1}auth=Bearer \(token)\u{1}\u{1}")]
            case .password, .oauth2Token:
                let list = offered.isEmpty ? "none" : offered.sorted().joined(separator: " ")
                throw MailTransportError(
                    .authenticationFailed, disposition: .misconfigured, transport: failures.transport,
                    detail: "the server offers no usable AUTH mechanism for these credentials (offered: \(list))")
            }
            let stage = "AUTH " + mechanism
            var reply: SMTPReply?
            for (index, line) in steps.enumerated() {
                reply = try await failures.step(stage) { () async throws(SMTPChannel.Failure) in
                    try await channel.command(line, within: limit)
                }
                guard let current = reply, current.code == 334, index < steps.count - 1 else { break }
            }
            // XOAUTH2 answers a refused token with 334 and a JSON error; an empty line ends it.
            if mechanism == "XOAUTH2", reply?.code == 334 {
                reply = try await failures.step(stage) { () async throws(SMTPChannel.Failure) in
                    try await channel.command("", within: limit)
                }
            }
            guard let reply, reply.code != 235 else { return }
            if reply.code / 100 == 4 {
                throw failures.refusal(reply, at: stage, permanently: .misconfigured)
            }
            throw MailTransportError(
                .authenticationFailed, disposition: .misconfigured, transport: failures.transport,
                smtpReplyCode: reply.code, detail: "\(stage) refused: \(reply)")
        }

        private static func base64(_ text: String) -> String {
            Data(text.utf8).base64EncodedString()
        }
    }
#endif
