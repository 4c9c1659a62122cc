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
        let body = "Kode verifikasi: \n\n\(code)\n\nkode ke-\(content.ordinal), berlaku sampai \(expiresAt)"
        return InterimRenderer.render(
            subject: "Kode verifikasi", body: body, to: message.recipient, from: configuration.sender,
            messageID: message.messageID)
    }

    func render(_ message: OutboxMessage) throws -> (RenderedMessage, Envelope) {
        guard case .addressChangeNotice(let notice) = message.content else { throw VerificationError.busy }
        return InterimRenderer.render(
            subject: "Alamat email akun Dapodik Anda diganti", body: "Diganti ke \(notice.maskedNewAddress)",
            to: message.recipient, from: configuration.sender, messageID: message.messageID)
    }

    /// Queues the notice to the old address of a verified account whose address an operator changed.
    func queueNotice(
        to oldAddress: EmailAddress, account: Account, school: School, newAddress: EmailAddress, changedBy: Account,
        at time: Date, in batch: inout Batch
    ) throws {
        let id = UUID()
        let message = OutboxMessage(
            id: id, messageID: id.uuidString.lowercased() + "@" + configuration.sender.domain,
            content: .addressChangeNotice(
                .init(maskedNewAddress: newAddress.masked, changedBy: changedBy.displayName, changedAt: time)),
            recipient: oldAddress, recipientName: account.displayName, account: account.id,
            school: school.npsn.description, schoolName: school.name, timeZone: school.timeZone,
            language: configuration.defaultLanguage, createdAt: time, state: .queued, attempts: [])
        try batch.put(Collections.outbox, id.uuidString, message, indexes: message.indexes, replacing: nil)
    }
}
