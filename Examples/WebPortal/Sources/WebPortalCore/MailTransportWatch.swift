public import DapodikVerification
import Synchronization

#if SMTP
    import DapodikSMTP
#endif

/// What the portal's mail transport last said of itself: whether it cannot send until someone fixes
/// its configuration (a certificate it refused, a login the server refused), so the code page can tell
/// the person waiting for a code why the code has not come and what happens next.
///
/// The library's delivery status says a delivery is retried; only the transport's own error says it
/// waits for an administrator, and why. The page shows that reason in the person's words, never the
/// error's detail (which names hosts and the TLS library's reasons: those go to the log).
public final class MailTransportWatch: Sendable {
    /// The last send's failure when it was a misconfiguration; `nil` after any other outcome.
    private let misconfiguration = Mutex<MailTransportError?>(nil)

    /// Creates a watch that has seen nothing yet.
    public init() {}

    /// `transport`, reporting each send's outcome to this watch.
    /// - Parameter transport: The transport the service sends through.
    /// - Returns: A transport that sends through `transport`.
    public func watching(_ transport: any MailTransport) -> any MailTransport {
        WatchedTransport(base: transport, watch: self)
    }

    /// Notes a send's outcome: a misconfiguration is kept until a later send ends otherwise.
    func record(_ failure: MailTransportError?) {
        misconfiguration.withLock { $0 = failure?.disposition == .misconfigured ? failure : nil }
    }

    /// Why no code can be sent now and what happens next, for the person waiting; `nil` while the
    /// transport's last send did not fail for its configuration.
    var trouble: LocalizedText? {
        guard let failure = misconfiguration.withLock({ $0 }) else { return nil }
        let why = Self.reason(failure.code)
        return LocalizedText(
            indonesian: "Kode belum dapat dikirim: \(why.indonesian). Pengelola portal perlu memperbaikinya; "
                + "setelah itu kode dikirim otomatis selama masih berlaku. Jika halaman ini kemudian menyatakan kode "
                + "kedaluwarsa, minta kode baru.",
            english: "The code could not be sent: \(why.english). The portal's administrators need to fix this; "
                + "the code is then sent automatically while it is still valid. If this page later says the code "
                + "expired, ask for a new one.")
    }

    /// The failure's kind in the person's words.
    static func reason(_ code: MailTransportError.Code) -> LocalizedText {
        #if SMTP
            switch code {
            case .tlsFailed:
                return LocalizedText(
                    indonesian: "sambungan aman (TLS) ke server email portal gagal, misalnya karena sertifikat "
                        + "server itu tidak dipercaya",
                    english: "the secure (TLS) connection to the portal's mail server failed, for instance because "
                        + "its certificate is not trusted")
            case .startTLSNotOffered:
                return LocalizedText(
                    indonesian: "server email portal tidak menawarkan sambungan aman (STARTTLS)",
                    english: "the portal's mail server offers no secure connection (STARTTLS)")
            case .authenticationFailed:
                return LocalizedText(
                    indonesian: "server email portal menolak login portal",
                    english: "the portal's mail server refused the portal's login")
            default: break
            }
        #endif
        return LocalizedText(
            indonesian: "pengiriman email portal belum diatur dengan benar",
            english: "the portal's e-mail sending is not set up correctly")
    }
}

/// A transport that tells a ``MailTransportWatch`` how each send ended.
struct WatchedTransport: MailTransport {
    let base: any MailTransport
    let watch: MailTransportWatch

    var name: String { base.name }
    var longestSend: Duration? { base.longestSend }

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        do throws(MailTransportError) {
            let receipt = try await base.send(message, envelope: envelope)
            watch.record(nil)
            return receipt
        } catch {
            watch.record(error)
            throw error
        }
    }
}
