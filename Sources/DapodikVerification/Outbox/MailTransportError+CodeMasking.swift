// Codes are secrets (stored only as keyed digests): what a transport said about a message must not
// carry its code into the outbox record or a dispatch summary.
extension MailTransportError {
    /// The error with every occurrence of `code` in its detail and server reply replaced by as many
    /// bullets, as a program that echoes its input on failure (a sendmail wrapper's error output)
    /// would quote it.
    /// - Parameter code: The digits of the verification code the message carried.
    /// - Returns: The error, its code masked.
    func masking(_ code: String) -> MailTransportError {
        guard !code.isEmpty else { return self }
        let bullets = String(repeating: "•", count: code.count)
        var masked = self
        masked.detail = detail.replacing(code, with: bullets)
        masked.serverReply = serverReply?.replacing(code, with: bullets)
        return masked
    }
}
