import DapodikMail
import DapodikVerification
import Foundation

#if SMTP
    import DapodikLocking
    import DapodikSMTP
#endif

/// `--smtp smtps://user@host:465` (or `smtp://user@host:587`): submit mail straight to an SMTP
/// server, built only with the package trait `SMTP`. The secret never comes from the command line
/// (other users see it in the process list): it is read from `DAPODIK_SMTP_PASSWORD`, or from the
/// file named by `DAPODIK_SMTP_PASSWORD_FILE`; `DAPODIK_SMTP_OAUTH2=1` makes it an OAuth 2.0 token
/// and `DAPODIK_SMTP_CA_FILE` names PEM certificates to trust instead of the system's.
enum SMTPOption {
    static let passwordVariable = "DAPODIK_SMTP_PASSWORD"
    static let passwordFileVariable = "DAPODIK_SMTP_PASSWORD_FILE"
    static let oauth2Variable = "DAPODIK_SMTP_OAUTH2"
    static let trustRootsVariable = "DAPODIK_SMTP_CA_FILE"

    /// The global option itself (listed in ``GlobalOptions/all``).
    static let url = Option<String>(
        "smtp", "url",
        "Kirim email langsung ke server SMTP: smtps://pengguna@host:465 atau smtp://pengguna@host:587 "
            + "(kata sandi dari $DAPODIK_SMTP_PASSWORD atau berkas $DAPODIK_SMTP_PASSWORD_FILE).",
        "Submit mail straight to an SMTP server: smtps://user@host:465 or smtp://user@host:587 "
            + "(password from $DAPODIK_SMTP_PASSWORD or the file $DAPODIK_SMTP_PASSWORD_FILE).")

    /// The SMTP transport `--smtp` asks for, or `nil` without the option.
    /// - Throws: ``CLIError`` (usage) for a bad URL, an unreadable secret or CA file, or a build
    ///   without the `SMTP` trait.
    static func transport(
        url: String?, environment: [String: String], now: @escaping @Sendable () -> Date
    ) throws(CLIError) -> (any MailTransport)? {
        guard let url else { return nil }
        #if SMTP
            var secret = environment[passwordVariable]
            if secret == nil, let path = environment[passwordFileVariable] {
                secret = try SecretFile.read(path, named: passwordFileVariable).trimmingCharacters(in: .newlines)
            }
            var configuration: SMTPConfiguration
            do {
                configuration = try SMTPConfiguration(
                    url: url, secret: secret, oauth2: environment[oauth2Variable] == "1")
            } catch {
                throw CLIError.usage(
                    .invalidValue, indonesian: error.message.indonesian, english: error.message.english)
            }
            if let path = environment[trustRootsVariable] {
                configuration.trustRoots = .pem(Array(try SecretFile.read(path, named: trustRootsVariable).utf8))
            }
            let transport = SMTPTransport(configuration: configuration, now: now)
            opened.withLock { $0.append(transport) }
            return transport
        #else
            throw CLIError.usage(
                .invalidValue,
                indonesian: "Program ini dibangun tanpa SMTP; bangun dengan `swift build --traits SMTP` untuk --smtp.",
                english: "This program was built without SMTP; build it with `swift build --traits SMTP` for --smtp.")
        #endif
    }

    /// Says `QUIT` on every connection the transports of this run keep open (RFC 5321 §4.1.1.10:
    /// the client ends the session), before the program exits.
    static func closeConnections() async {
        #if SMTP
            for transport in opened.withLock({ $0 }) { await transport.shutdown() }
        #endif
    }

    #if SMTP
        /// The SMTP transports made in this run, so that they can be shut down at its end.
        private static let opened = LockedValue<[SMTPTransport]>([])
    #endif
}
