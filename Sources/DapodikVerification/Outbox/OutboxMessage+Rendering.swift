#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Turning outbox messages into e-mails at send time, through the mail module's templates.
extension VerificationService {
    func render(
        _ message: OutboxMessage, code: String, content: OutboxMessage.CodeContent, expiresAt: Date
    ) throws -> (RenderedMessage, Envelope) {
        let mail = VerificationMail(
            purpose: content.purpose == .staffAddress ? .staffVerification : .operatorVerification,
            recipient: Mailbox(message.recipient, displayName: message.recipientName), username: content.username,
            schoolName: message.schoolName, npsn: message.school, code: code, codeOrdinal: content.ordinal,
            expiresAt: expiresAt, timeZone: message.timeZone, language: message.language)
        let rendered = try mail.rendered(from: preparedSender, date: now, messageID: try MessageID(message.messageID))
        return (rendered.message, envelope(rendered.envelope, for: message))
    }

    func render(_ message: OutboxMessage) throws -> (RenderedMessage, Envelope) {
        guard case .addressChangeNotice(let notice) = message.content else { throw VerificationError.busy }
        let mail = AddressChangeNotice(
            recipient: Mailbox(message.recipient, displayName: message.recipientName), username: notice.username,
            newAddress: notice.newAddress, changedBy: notice.changedBy, changedAt: notice.changedAt,
            schoolName: message.schoolName, npsn: message.school, timeZone: message.timeZone,
            language: message.language)
        let rendered = try mail.message(
            from: preparedSender.mailbox, date: now, messageID: try MessageID(message.messageID))
        return (try rendered.rendered(), envelope(rendered.envelope, for: message))
    }

    /// Queues the notice to the old address of a verified account whose address an operator changed.
    func queueNotice(
        to oldAddress: EmailAddress, account: Account, school: School, newAddress: EmailAddress, changedBy: Account,
        at time: Date, in batch: inout Batch
    ) throws {
        let content = OutboxMessage.Content.addressChangeNotice(
            .init(
                newAddress: newAddress, username: account.username.value, changedBy: changedBy.displayName.value,
                changedAt: time))
        try batch.enqueue(
            OutboxMessage(
                queuing: { _ in content }, to: oldAddress, of: account, school: school,
                language: configuration.defaultLanguage, at: time, senderDomain: configuration.sender.domain))
    }
}
