import DapodikVerification

#if SMTP
    import DapodikSMTP
#endif

/// The transport named by `--smtp`, or a typed refusal when the portal was built without its
/// `SMTP` trait (the default, which keeps swift-nio-ssl out of the build).
func smtpTransport(url: String, secret: String?) throws -> any MailTransport {
    #if SMTP
        SMTPTransport(configuration: try SMTPConfiguration(url: url, secret: secret))
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
