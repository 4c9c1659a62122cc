/// A From mailbox with its header field written once: a service that sends every message from the
/// same mailbox renders the field once rather than tokenizing the display name for each message.
///
/// The field's bytes are exactly what rendering writes for `From` with ``mailbox``; every message
/// still checks the display name as before (a line break in it is refused, message by message).
package struct PreparedSender: Sendable {
    /// The From mailbox.
    package let mailbox: Mailbox
    /// The `From:` header field of ``mailbox``, folded, with its final CRLF.
    let fromField: [UInt8]

    /// Writes the From field of `mailbox`.
    package init(_ mailbox: Mailbox) {
        self.mailbox = mailbox
        var field: [UInt8] = []
        MailMessage.appendMailboxField("From", [mailbox], to: &field)
        fromField = field
    }
}
