import DapodikVerification
import Foundation

#if SMTP
    import DapodikSMTP
#endif

/// The transport named by `--smtp`, or a typed refusal when the portal was built without its
/// `SMTP` trait (the default, which keeps swift-nio-ssl out of the build).
///
/// The secret never comes from the command line: it is read from `DAPODIK_SMTP_PASSWORD`, or from the
/// file named by `DAPODIK_SMTP_PASSWORD_FILE` (mode 0600, a trailing newline dropped), as the example
/// CLI reads it; `DAPODIK_SMTP_CA_FILE` names PEM certificates to trust instead of the system's (a
/// server whose certificate a private CA issued).
/// - Parameters:
///   - url: `--smtp`'s value.
///   - environment: The process's environment.
/// - Throws: The library's `SMTPConfigurationError` for a bad URL; ``SecretFileError`` for a password
///   file that is missing, unreadable or open to other users; ``SMTPPasswordMissing`` for a URL naming
///   a user without a password (an empty file included); ``SMTPTrustRootsUnreadable`` for a CA file
///   that cannot be read or holds no PEM certificate; ``SMTPNotBuilt`` without the trait.
func smtpTransport(url: String, environment: [String: String]) throws -> any MailTransport {
    #if SMTP
        var secret = environment[SMTPPasswordMissing.passwordVariable]
        if secret == nil, let path = environment[SMTPPasswordMissing.passwordFileVariable] {
            secret = try SecretFile.read(path, named: SMTPPasswordMissing.passwordFileVariable)
                .trimmingCharacters(in: .newlines)
        }
        var configuration = try SMTPConfiguration(url: url, secret: secret)
        // Refused here, before the portal starts, rather than by the server at the first code.
        if URLComponents(string: url)?.user?.isEmpty == false, secret?.isEmpty != false { throw SMTPPasswordMissing() }
        if let trustRootsPath = environment["DAPODIK_SMTP_CA_FILE"] {
            guard let data = FileManager.default.contents(atPath: trustRootsPath),
                let text = String(data: data, encoding: .utf8), text.contains("-----BEGIN CERTIFICATE-----")
            else { throw SMTPTrustRootsUnreadable(path: trustRootsPath) }
            configuration.trustRoots = .pem(Array(data))
        }
        return SMTPTransport(configuration: configuration)
    #else
        throw SMTPNotBuilt()
    #endif
}

/// `--smtp` names a user, but neither `DAPODIK_SMTP_PASSWORD` nor the file `DAPODIK_SMTP_PASSWORD_FILE`
/// gives a password (unset, or empty).
struct SMTPPasswordMissing: LocalizedFailure {
    /// The variable holding the password.
    static let passwordVariable = "DAPODIK_SMTP_PASSWORD"
    /// The variable naming a file that holds the password.
    static let passwordFileVariable = "DAPODIK_SMTP_PASSWORD_FILE"

    var message: LocalizedText {
        LocalizedText(
            indonesian: "--smtp menyebut pengguna, tetapi kata sandinya tidak ada atau kosong: isi "
                + "$\(Self.passwordVariable) atau berkas $\(Self.passwordFileVariable).",
            english: "--smtp names a user, but its password is missing or empty: set $\(Self.passwordVariable) "
                + "or the file $\(Self.passwordFileVariable).")
    }
}

/// `--smtp` was given to a portal built without the `SMTP` trait.
struct SMTPNotBuilt: LocalizedFailure {
    var message: LocalizedText {
        LocalizedText(
            indonesian: "Portal ini dibangun tanpa SMTP; bangun ulang dengan `swift build --traits SMTP`.",
            english: "This portal was built without SMTP; build it again with `swift build --traits SMTP`.")
    }
}

/// `DAPODIK_SMTP_CA_FILE` names a file that cannot be read, or that holds no PEM certificate.
struct SMTPTrustRootsUnreadable: LocalizedFailure {
    /// The file's path.
    let path: String

    var message: LocalizedText {
        LocalizedText(
            indonesian: "$DAPODIK_SMTP_CA_FILE (\(path)) tidak dapat dibaca atau tidak berisi sertifikat PEM.",
            english: "$DAPODIK_SMTP_CA_FILE (\(path)) cannot be read or holds no PEM certificate.")
    }
}
