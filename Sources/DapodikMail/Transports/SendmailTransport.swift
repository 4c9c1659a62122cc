internal import DapodikAccounts
internal import DapodikLanguage

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// Hands messages to a local `sendmail`-compatible program: Postfix's or Exim's `sendmail`,
/// `msmtp`, `ssmtp`, ….
///
/// Runs `<executable> <leading arguments> -i -f <sender> -- <recipients…>` (the options every
/// sendmail-compatible program shares: `-i` so a line of one dot does not end the message, `-f` for
/// the envelope sender, `--` so no address is read as an option), writes the message to its
/// standard input and closes it. The program's exit status is read as `sysexits.h` defines it,
/// unless it printed an SMTP reply, which says more (see ``disposition(exitStatus:smtpReplyCode:)``).
///
/// For msmtp, pass its configuration in the leading arguments, such as `["-C", "/etc/dapodik/msmtprc"]`
/// (mode 0600: it may hold a password) or `["--host=smtp.example", "--port=587", "--tls=on"]`, and
/// add `--logfile=-` to get the server's final reply into the receipt.
public struct SendmailTransport: MailTransport {
    /// The name in receipts and errors.
    public let name: String
    /// The program to run.
    public let executablePath: String
    /// Arguments before the sendmail options, such as msmtp's `-C <config>`. Never shown in errors
    /// (they may name a password file or command).
    public let leadingArguments: [String]
    /// How long the program may run; after that it is killed and the attempt is a transient failure.
    public let timeout: Duration
    private let now: @Sendable () -> Date

    /// Creates a sendmail transport.
    /// - Parameters:
    ///   - executablePath: The program; `/usr/sbin/sendmail` unless given.
    ///   - leadingArguments: Arguments before the sendmail options.
    ///   - timeout: How long the program may run; 60 seconds unless given.
    ///   - name: The name in receipts and errors; `"sendmail"` unless given.
    ///   - now: The clock for receipts; the system clock unless given (tests inject a fixed one).
    public init(
        executablePath: String = "/usr/sbin/sendmail", leadingArguments: [String] = [],
        timeout: Duration = .seconds(60), name: String = "sendmail",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.executablePath = executablePath
        self.leadingArguments = leadingArguments
        self.timeout = timeout
        self.name = name
        self.now = now
    }

    /// The timeout, the grace a program that outlives it gets before it is killed, and the waits
    /// for it to be reaped and for its last output.
    public var longestSend: Duration? {
        timeout + ChildProcessRunner.terminationGrace + ChildProcessRunner.reapGrace
            + ChildProcessRunner.stragglerGrace
    }

    /// Runs the program once for the message.
    /// - Parameters:
    ///   - message: The rendered message, written to the program's standard input.
    ///   - envelope: The sender (`-f`) and the recipients (after `--`).
    /// - Returns: A receipt whose response is the last line the program printed, if any.
    /// - Throws: ``MailTransportError``: transient for 71, 74, 75, a timeout, a signal, or an SMTP
    ///   4xx reply; permanent for 65, 67 or an SMTP 5xx reply; misconfigured when the program is
    ///   missing or not executable, and for every other status
    ///   (``disposition(exitStatus:smtpReplyCode:)``). A program that exits without reading all of
    ///   its input is *not* an error in itself: its exit status decides. A cancelled task stops
    ///   the program only while it has not been given the whole message.
    public func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError)
        -> DeliveryReceipt
    {
        guard !envelope.recipients.isEmpty else {
            throw MailTransportError(
                .noRecipients, disposition: .permanent, transport: name, detail: "the envelope has no recipients")
        }
        if let programProblem {
            throw MailTransportError(
                .programUnavailable, disposition: .misconfigured, transport: name, detail: programProblem.english)
        }
        let arguments =
            leadingArguments + ["-i", "-f", envelope.sender.value, "--"] + envelope.recipients.map(\.value)
        let outcome = await ChildProcessRunner.run(
            executable: executablePath, arguments: arguments, input: message.bytes, timeout: timeout)
        let program = executablePath.split(separator: "/").last.map(String.init) ?? executablePath
        switch outcome {
        case .exited(0, let stdout, let stderr):
            let response = Self.lastLine(of: stdout) ?? Self.lastLine(of: stderr)
            return DeliveryReceipt(
                transport: name, handedOverAt: now(), messageID: message.messageID,
                response: response.map(CredentialScrubber.scrub))
        case .exited(let status, _, let stderr):
            let reply = Self.smtpReply(in: stderr)
            let (code, disposition) = Self.disposition(exitStatus: status, smtpReplyCode: reply?.code)
            var detail = "\(program) exited with status \(status)"
            if let symbol = Self.sysexitsNames[status] { detail += " (\(symbol))" }
            if let reply { detail += "; server said: \(reply.line)" }
            if let last = Self.lastLine(of: stderr), last != reply?.line { detail += "; \(last)" }
            throw MailTransportError(
                code, disposition: disposition, transport: name, smtpReplyCode: reply?.code, exitStatus: status,
                detail: detail, serverReply: reply?.line)
        case .signaled(let signal, _, let stderr):
            var detail = "\(program) was ended by signal \(signal)"
            if let last = Self.lastLine(of: stderr) { detail += "; \(last)" }
            throw MailTransportError(.inputOutput, disposition: .transient, transport: name, detail: detail)
        case .timedOut(_, let stderr):
            var detail = "\(program) did not finish within \(timeout) and was stopped"
            if let last = Self.lastLine(of: stderr) { detail += "; \(last)" }
            throw MailTransportError(.timedOut, disposition: .transient, transport: name, detail: detail)
        case .cancelled:
            throw MailTransportError(
                .timedOut, disposition: .transient, transport: name,
                detail: "the send was cancelled and \(program) was stopped")
        case .launchFailed(let reason):
            throw MailTransportError(.programUnavailable, disposition: .misconfigured, transport: name, detail: reason)
        }
    }

    /// What a sendmail exit status, or the SMTP reply the program printed, means for a retry.
    ///
    /// `EX_TEMPFAIL` (75) is transient whatever the program printed: a program that says "try again
    /// later" outright is believed, since failing a message for good would tell the person their
    /// address was refused. Otherwise an SMTP reply code decides when there is one (RFC 5321 §4.2.1:
    /// 4yz is a transient negative completion, 5yz a permanent one), because programs map replies to
    /// exit statuses loosely: msmtp exits with `EX_UNAVAILABLE` (69) for a 451 as for a 550. Otherwise
    /// `sysexits.h` decides, and only a status that names the message or a recipient is permanent:
    /// `EX_DATAERR` (65) and `EX_NOUSER` (67). `EX_OSERR` (71) and `EX_IOERR`
    /// (74: msmtp's lost connection, read timeout or TLS I/O error) are transient; `EX_USAGE` (64)
    /// and `EX_CONFIG` (78), and the shell's 126 (cannot execute) and 127 (not found), mean the
    /// transport is set up wrongly. Every other status (`EX_NOHOST` for a relay that cannot be
    /// found, `EX_UNAVAILABLE`, `EX_PROTOCOL` for a failed TLS handshake, 1, …) says nothing about
    /// the address: ``MailTransportError/Code/programFailed``, misconfigured, so the message is
    /// retried slowly and an administrator is told, never failed for good with the address blamed.
    /// - Parameters:
    ///   - exitStatus: The program's non-zero exit status.
    ///   - smtpReplyCode: The last SMTP reply code it printed, if any.
    /// - Returns: The error code and the disposition.
    public static func disposition(
        exitStatus: Int32, smtpReplyCode: Int?
    ) -> (MailTransportError.Code, MailTransportError.Disposition) {
        if exitStatus == 75 { return (.deferred, .transient) }
        if let smtpReplyCode {
            switch smtpReplyCode {
            case 400..<500: return (.deferred, .transient)
            case 500..<600: return (.rejected, .permanent)
            default: break
            }
        }
        switch exitStatus {
        case 71, 74: return (.inputOutput, .transient)
        case 65, 67: return (.rejected, .permanent)
        case 64, 78: return (.configuration, .misconfigured)
        case 126, 127: return (.programUnavailable, .misconfigured)
        default: return (.programFailed, .misconfigured)
        }
    }

    static let sysexitsNames: [Int32: String] = [
        64: "EX_USAGE", 65: "EX_DATAERR", 66: "EX_NOINPUT", 67: "EX_NOUSER", 68: "EX_NOHOST", 69: "EX_UNAVAILABLE",
        70: "EX_SOFTWARE", 71: "EX_OSERR", 72: "EX_OSFILE", 73: "EX_CANTCREAT", 74: "EX_IOERR", 75: "EX_TEMPFAIL",
        76: "EX_PROTOCOL", 77: "EX_NOPERM", 78: "EX_CONFIG",
    ]

    /// The last non-empty line of a program's output, at most 500 characters (its end).
    static func lastLine(of bytes: [UInt8]) -> String? {
        String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
            .map { String($0.trimmingEnds(of: " \t").suffix(500)) }.last { !$0.isEmpty }
    }

    /// The last line holding an SMTP reply (`451 4.3.0 …`, also after a prefix such as msmtp's
    /// `server message: `), and its code.
    static func smtpReply(in bytes: [UInt8]) -> (code: Int, line: String)? {
        var found: (Int, String)?
        for line in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            for (index, word) in words.enumerated() {
                let digits = word.trimmingEnds(of: "'\"").prefix { $0 != "-" }
                guard digits.count == 3, let code = Int(digits), (200..<600).contains(code) else { continue }
                // A reply code begins the reply: the first word, or the word after a colon
                // (msmtp: "server message: 451 4.3.0 …").
                if index == 0 || words[index - 1].hasSuffix(":") {
                    found = (code, words[index...].joined(separator: " "))
                    break
                }
            }
        }
        return found
    }
}
