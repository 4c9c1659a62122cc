// Bounces that are not RFC 3464 reports, and auto-replies (RFC 3834).
extension BounceReport {
    /// What a text bounce says.
    struct TextBounce {
        var recipients: [RecipientReport]
        var originalMessageID: String?
        var returnPaths: [String]
    }

    /// Where a text bounce's copy of the original starts: qmail-send (`qmail-send.c`), classic
    /// Exim (`exim_bounce` text in `exim.conf` / `deliver.c`), and common mailer daemons.
    static let copyMarkers = [
        "--- below this line is a copy of the message.", "--- enclosed are the original headers of the message.",
        "------ this is a copy of the message", "----- original message -----", "------ original message ------",
        "----- transcript of session follows -----", "--- the header of the original message is following. ---",
    ]

    /// Reads a bounce written as plain text: qmail's ("Hi. This is the qmail-send program …"),
    /// classic Exim's ("This message was created automatically by mail delivery software."), or
    /// any mail from a mailer daemon or postmaster whose text carries an SMTP or enhanced status
    /// code. `nil` for anything else.
    static func nonStandardBounce(_ root: MIMEEntity) -> TextBounce? {
        guard let part = entity(in: root, where: { $0.mediaType == "text/plain" && $0.parts.isEmpty }) else {
            return nil
        }
        let text = String(part.text.prefix(65_536))
        let lower = text.lowercased()
        let isQmail = lower.contains("this is the qmail-send program")
        let isExim = lower.contains("this message was created automatically by mail delivery software")
        let from = root.header("from").flatMap { addresses(in: $0).first }?.lowercased() ?? ""
        let subject = root.header("subject")?.lowercased() ?? ""
        let fromDaemon = ["mailer-daemon@", "postmaster@", "mail-daemon@"].contains { from.hasPrefix($0) }
        let bounceSubject = [
            "undeliver", "delivery status notification", "delivery failure", "failure notice", "returned mail",
            "mail delivery failed", "delivery has failed", "non remis", "tidak terkirim", "warning: could not send",
            "delayed mail", "delivery delayed",
        ].contains { subject.contains($0) }
        guard isQmail || isExim || fromDaemon || bounceSubject else { return nil }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let copyStart =
            lines.firstIndex { line in copyMarkers.contains { line.lowercased().hasPrefix($0) } } ?? lines.endIndex
        let explanation = lines[..<copyStart]
        let status = textStatus(explanation, lower: lower)
        guard let status, isQmail || isExim || status.isPermanentFailure || status.isTransientFailure else {
            return nil
        }
        let action: Action = status.isTransientFailure ? .delayed : .failed
        var recipients: [RecipientReport] = []
        for (offset, line) in explanation.enumerated() {
            let trimmed = line.trimmingEnds(of: " \t\r")
            var address: String?
            // qmail: "<user@example.com>:" on a line of its own, the reason on the next lines.
            if trimmed.hasPrefix("<"), trimmed.hasSuffix(">:") { address = String(trimmed.dropFirst().dropLast(2)) }
            // Exim: the failed address indented by two spaces, the reason indented by four.
            if isExim, line.hasPrefix("  "), !line.hasPrefix("    "), trimmed.contains("@"), !trimmed.contains(" ") {
                address = trimmed
            }
            guard let address, address.contains("@"), address.utf8.count <= 320 else { continue }
            let reason = explanation.dropFirst(offset + 1).prefix { !$0.trimmingEnds(of: " \t\r").isEmpty }
                .prefix(8).joined(separator: " ")
            let diagnostic = oneLine(reason).prefix(maximumDiagnosticLength)
            recipients.append(
                RecipientReport(
                    finalRecipient: address, action: action,
                    status: DeliveryStatusCode.first(in: diagnostic) ?? status,
                    diagnostic: diagnostic.isEmpty ? nil : String(diagnostic)))
        }
        if recipients.isEmpty {
            let line = explanation.first { DeliveryStatusCode.first(in: $0) != nil || smtpReplyCode(in: $0) != nil }
            recipients.append(
                RecipientReport(
                    finalRecipient: nil, action: action, status: status,
                    diagnostic: line.map { String(oneLine(String($0)).prefix(maximumDiagnosticLength)) }))
        }
        // The returned header: the copy after the marker, or any line that looks like one.
        let copied = lines[copyStart...].dropFirst()
        let headerLines = copied.drop { $0.trimmingEnds(of: " \t\r").isEmpty }
        let messageIDLine = headerLines.first { $0.lowercased().hasPrefix("message-id:") }
        let returnPathLines = headerLines.prefix(200).filter { $0.lowercased().hasPrefix("return-path:") }
        return TextBounce(
            recipients: recipients,
            originalMessageID: messageIDLine.flatMap { messageID(in: String($0.dropFirst("message-id:".count))) },
            returnPaths: returnPathLines.flatMap { addresses(in: String($0.dropFirst("return-path:".count))) })
    }

    /// The status a text bounce states: its first enhanced status code, else its first SMTP reply
    /// code (class only), else its wording ("permanent error", "delayed").
    static func textStatus(_ lines: ArraySlice<Substring>, lower: String) -> DeliveryStatusCode? {
        for line in lines {
            if let code = DeliveryStatusCode.first(in: line) { return code }
        }
        for line in lines {
            if let reply = smtpReplyCode(in: line) {
                return DeliveryStatusCode(statusClass: reply / 100, subject: 0, detail: 0)
            }
        }
        if lower.contains("permanent error") || lower.contains("could not be delivered")
            || lower.contains("wasn't able to deliver")
        {
            return DeliveryStatusCode(statusClass: 5, subject: 0, detail: 0)
        }
        if lower.contains("has not yet been delivered") || lower.contains("temporary error")
            || lower.contains("delayed")
        {
            return DeliveryStatusCode(statusClass: 4, subject: 0, detail: 0)
        }
        return nil
    }

    /// A three-digit SMTP reply code of class 4 or 5 (RFC 5321 §4.2) that starts a word followed by
    /// a space or hyphen, such as `550` in `said: 550 No such user`.
    static func smtpReplyCode(in line: Substring) -> Int? {
        let scalars = Array(line.unicodeScalars.prefix(4096))
        var index = 0
        while index + 3 < scalars.count {
            let before = index == 0 ? " " : scalars[index - 1]
            let digits = scalars[index..<index + 3]
            if !before.properties.isAlphabetic, !("0"..."9").contains(before), before != ".",
                digits.allSatisfy({ ("0"..."9").contains($0) }), scalars[index + 3] == " " || scalars[index + 3] == "-",
                let value = Int(String(String.UnicodeScalarView(digits))), (420...559).contains(value),
                value / 100 == 4 || value / 100 == 5
            {
                return value
            }
            index += 1
        }
        return nil
    }

    /// Whether the message is an automatic reply (RFC 3834 §5: `Auto-Submitted` other than `no`),
    /// or carries the marks vacation programs and Exchange put on theirs.
    static func isAutoReply(_ root: MIMEEntity) -> Bool {
        if let submitted = root.header("auto-submitted"), !submitted.lowercased().hasPrefix("no") { return true }
        if root.header("x-autoreply") != nil || root.header("x-autorespond") != nil { return true }
        if let precedence = root.header("precedence")?.lowercased(), precedence.contains("auto_reply") { return true }
        let subject = root.header("subject")?.lowercased() ?? ""
        return ["auto:", "automatic reply", "autoreply", "out of office", "balasan otomatis", "vacation"]
            .contains { subject.hasPrefix($0) || subject.contains($0) }
    }
}
