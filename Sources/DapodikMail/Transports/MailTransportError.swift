public import DapodikLanguage

/// A transport could not hand a message over, and what to do about it.
///
/// ``disposition`` drives the outbox: retry later, give up, or alert. ``smtpReplyCode`` and
/// ``exitStatus`` say what the other side said; ``serverReply`` is the refusing server's own words,
/// the part the person waiting for the code may read; ``detail`` says everything in words for an
/// administrator (program paths and configuration files included) and never contains a credential.
public struct MailTransportError: LocalizedFailure, Hashable, Codable {
    /// What to do about a failure. A closed set: every failure is one of these three.
    public enum Disposition: String, Sendable, Hashable, Codable, CaseIterable {
        /// Try again later: the server is busy, a connection failed, a timeout (SMTP 4xx,
        /// `EX_TEMPFAIL`).
        case transient
        /// Do not try again: the message or a recipient was refused (SMTP 5xx, `EX_NOUSER`, …).
        case permanent
        /// The transport itself is set up wrongly (a missing program, a bad configuration, no
        /// permission); an administrator must act. Retrying may help once they have.
        case misconfigured
    }

    /// What kind of failure this is. Compare with the static members.
    public struct Code: Hashable, Sendable, Codable, CustomStringConvertible {
        /// The stable, machine-readable name of the code.
        public let rawValue: String

        /// Creates a code from its stable name.
        /// - Parameter rawValue: The code's name, e.g. `"transport.rejected"`.
        package init(_ rawValue: String) { self.rawValue = rawValue }

        /// The code's stable name.
        public var description: String { rawValue }

        /// Decodes the code from its name.
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }

        /// Encodes the code as its name.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }

        /// The other side refused the message or a recipient for now (SMTP 4xx, `EX_TEMPFAIL`).
        public static let deferred = Code("transport.deferred")
        /// The other side refused the message or a recipient for good (SMTP 5xx, sendmail's
        /// `EX_DATAERR` and `EX_NOUSER`).
        public static let rejected = Code("transport.rejected")
        /// The sendmail program failed without saying that the message or a recipient was refused:
        /// an exit status such as `EX_NOHOST`, `EX_UNAVAILABLE`, `EX_PROTOCOL` or 1 and no SMTP reply.
        /// msmtp, for one, exits so when it cannot find, reach or trust its relay; the route, not the
        /// address, is in doubt. Always `.misconfigured`: retried slowly, and an administrator told.
        public static let programFailed = Code("transport.programFailed")
        /// The transport took longer than its time limit.
        public static let timedOut = Code("transport.timedOut")
        /// The transport's program is missing or cannot be run (exit 126 or 127, or not found).
        public static let programUnavailable = Code("transport.programUnavailable")
        /// The transport's configuration is wrong (`EX_USAGE`, `EX_CONFIG`).
        public static let configuration = Code("transport.configuration")
        /// Reading or writing a file or pipe failed (disk full, no permission, …).
        public static let inputOutput = Code("transport.inputOutput")
        /// The envelope has no recipient.
        public static let noRecipients = Code("transport.noRecipients")
        /// The failure was scripted by a test double (``InMemoryMailTransport``).
        public static let scripted = Code("transport.scripted")
        /// Every transport of a ``FailoverMailTransport`` failed.
        public static let allTransportsFailed = Code("transport.allTransportsFailed")
        /// The whole message was sent but the connection was lost (or timed out) before the
        /// server's reply to it: the server may or may not have taken it (RFC 5321 §4.5.3.2.6).
        /// Always `.transient`; the outbox waits longer than usual before sending it again, with
        /// the same Message-ID, so a receiver that got it can drop the duplicate.
        public static let outcomeUnknown = Code("transport.outcomeUnknown")
    }

    /// What kind of failure this is.
    public var code: Code
    /// Whether to retry, give up, or alert.
    public var disposition: Disposition
    /// The ``MailTransport/name`` of the transport that failed.
    public var transport: String
    /// The SMTP reply code (RFC 5321 §4.2), such as 451 or 550, when one is known.
    public var smtpReplyCode: Int?
    /// The exit status of a program (sendmail, msmtp), when one ran.
    public var exitStatus: Int32?
    /// What happened, for an administrator: a program's last line of error output, an SMTP reply,
    /// a system error. Scrubbed of anything that looks like a credential. It may name local
    /// programs and configuration files, so it is not shown to the person waiting for the code.
    public var detail: String
    /// The reply of the mail server that refused or deferred the message (RFC 5321 §4.2), as the
    /// server wrote it, such as `550 5.1.1 <budi@example.com>: Recipient address rejected`, when the
    /// transport got one; `nil` for a failure no server replied to (a connection, a timeout, a
    /// program). It says why the message or its address was refused, holds nothing of this
    /// machine's, and so is what a delivery status shows. Scrubbed like ``detail``, one line, at
    /// most ``serverReplyLimit`` characters.
    public var serverReply: String?

    /// The most characters of ``serverReply`` kept: a reply longer than this (RFC 5321 §4.5.3.1.5
    /// allows 512 octets a line, many lines a reply) is cut, its start kept.
    public static let serverReplyLimit = 500

    /// Creates a transport error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - disposition: Whether to retry, give up, or alert.
    ///   - transport: The failing transport's name.
    ///   - smtpReplyCode: The SMTP reply code, if known.
    ///   - exitStatus: The program's exit status, if one ran.
    ///   - detail: What happened; it is scrubbed of credentials here.
    ///   - serverReply: The server's own reply, if one came; scrubbed and cut to
    ///     ``serverReplyLimit`` characters here.
    public init(
        _ code: Code, disposition: Disposition, transport: String, smtpReplyCode: Int? = nil,
        exitStatus: Int32? = nil, detail: String, serverReply: String? = nil
    ) {
        self.code = code
        self.disposition = disposition
        self.transport = transport
        self.smtpReplyCode = smtpReplyCode
        self.exitStatus = exitStatus
        self.detail = CredentialScrubber.scrub(detail)
        self.serverReply = serverReply.map { String(CredentialScrubber.scrub($0).prefix(Self.serverReplyLimit)) }
    }

    /// What went wrong, for the person waiting for the code, with the detail for whoever helps them.
    public var message: LocalizedText {
        let (indonesian, english): (String, String)
        switch disposition {
        case .transient:
            indonesian = "Email belum dapat dikirim karena gangguan sementara; pengiriman akan dicoba lagi."
            english = "The e-mail could not be sent yet because of a temporary problem; it will be retried."
        case .permanent:
            indonesian = "Email ditolak oleh server penerima dan tidak akan dikirim ulang. Periksa alamat emailnya."
            english = "The e-mail was refused by the receiving server and will not be retried. Check the address."
        case .misconfigured:
            indonesian = "Pengiriman email belum diatur dengan benar; hubungi administrator."
            english = "Sending e-mail is not set up correctly; contact the administrator."
        }
        let suffix = " (\(transport): \(detail))"
        return LocalizedText(indonesian: indonesian + suffix, english: english + suffix)
    }
}
