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
    /// - Throws: ``CLIError``: 65 for a bad URL, a user without a password, a secret file other users
    ///   may read, or a CA file without a certificate; 66 or 74 for a named file that is missing or
    ///   unreadable; 64 in a build without the `SMTP` trait. All before any code is issued.
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
                throw CLIError.invalidValue(indonesian: error.message.indonesian, english: error.message.english)
            }
            // What can be checked here is checked before any code is issued: a code whose mail is
            // refused for the login or the certificates would be one of the day's codes spent.
            if URLComponents(string: url)?.user?.isEmpty == false, secret?.isEmpty != false {
                throw CLIError.invalidValue(
                    indonesian: "--smtp menyebut pengguna, tetapi kata sandinya tidak ada atau kosong: isi "
                        + "$\(passwordVariable) atau berkas $\(passwordFileVariable). Tidak ada yang dilakukan.",
                    english: "--smtp names a user, but its password is missing or empty: set $\(passwordVariable) "
                        + "or the file $\(passwordFileVariable). Nothing was done.")
            }
            if let path = environment[trustRootsVariable] {
                let pem = try SecretFile.readCertificates(path, named: "$" + trustRootsVariable)
                configuration.trustRoots = .pem(Array(pem.utf8))
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
