import DapodikVerification
import Foundation

#if SMTP
    import DapodikSMTP
#endif

/// The transport named by `--smtp`, or a typed refusal when the portal was built without its
/// `SMTP` trait (the default, which keeps swift-nio-ssl out of the build).
/// - Parameters:
///   - url: `--smtp`'s value.
///   - secret: The password (`DAPODIK_SMTP_PASSWORD`).
///   - trustRootsPath: A file of PEM certificates to trust instead of the system's
///     (`DAPODIK_SMTP_CA_FILE`, as the CLI reads it): a server whose certificate a private CA issued.
/// - Throws: The library's `SMTPConfigurationError` for a bad URL; ``SMTPTrustRootsUnreadable`` for a
///   CA file that cannot be read or holds no PEM certificate; ``SMTPNotBuilt`` without the trait.
func smtpTransport(url: String, secret: String?, trustRootsPath: String?) throws -> any MailTransport {
    #if SMTP
        var configuration = try SMTPConfiguration(url: url, secret: secret)
        if let trustRootsPath {
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
