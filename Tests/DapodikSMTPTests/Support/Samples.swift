#if SMTP
    import DapodikAccounts
    import DapodikMail
    import DapodikSMTP
    import Foundation
    import Testing

    /// Messages and configurations shared by the tests.
    enum Samples {
        static let sender = try! EmailAddress("noreply@dapodik.test")
        static let recipient = try! EmailAddress("guru.siti@sekolah.test")
        static let now = Date(timeIntervalSince1970: 1_790_000_000)

        /// A verification message whose body has lines starting with "." (dot-stuffing) and the
        /// code on a line of its own.
        static func message(code: String = "482913", number: Int = 1) -> RenderedMessage {
            let id = "outbox-\(number)@dapodik.test"
            let text =
                "From: Dapodik <noreply@dapodik.test>\r\nTo: guru.siti@sekolah.test\r\n"
                + "Subject: Kode verifikasi Dapodik\r\nMessage-ID: <\(id)>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nKode verifikasi Anda:\r\n\(code)\r\n"
                + ".\r\n..dua titik\r\n. satu titik lalu spasi\r\nSalam.\r\n"
            return RenderedMessage(bytes: Array(text.utf8), messageID: try! MessageID(id))
        }

        static func envelope(_ recipients: [EmailAddress] = [recipient]) -> Envelope {
            Envelope(sender: sender, recipients: recipients)
        }

        /// Sends and returns the error, failing the test if the send succeeds.
        static func sendFailing(
            _ transport: SMTPTransport, _ message: RenderedMessage = message(), envelope: Envelope = envelope(),
            sourceLocation: SourceLocation = #_sourceLocation
        ) async -> MailTransportError? {
            await #expect(throws: MailTransportError.self, sourceLocation: sourceLocation) {
                try await transport.send(message, envelope: envelope)
            }
        }
    }
#endif
