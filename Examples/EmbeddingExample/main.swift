// The smallest program that embeds DapodikVerification: your own mail transport, the in-memory
// store, and one e-mail verification from start to finish. Copy it, then swap in your transport
// (SMTP, an API) and `FileRecordStore` (or your own `RecordStore`).
import DapodikVerification
import Foundation
import Synchronization

/// A mail transport of your own. This one keeps what it "sends" and prints a line for each message;
/// yours would hand the bytes to an SMTP server or a mail API.
final class PrintingTransport: MailTransport {
    let name = "printing"
    let sent = Mutex<[RenderedMessage]>([])

    func send(_ message: RenderedMessage, envelope: Envelope) async throws(MailTransportError) -> DeliveryReceipt {
        sent.withLock { $0.append(message) }
        print("mail to \(envelope.recipients.map(\.value).joined(separator: ", ")): \(message.bytes.count) bytes")
        // Throw MailTransportError(.deferred, disposition: .transient, …) when the server says
        // "try later"; the outbox then retries with backoff.
        return DeliveryReceipt(transport: name, handedOverAt: Date(), messageID: message.messageID)
    }

    /// The code in the last message: the templates put it alone on its own line.
    func lastCode() -> String? {
        guard let message = sent.withLock({ $0.last }) else { return nil }
        let lines = String(decoding: message.bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        let codeLine = lines.first { (line: Substring) in line.count == 6 && line.allSatisfy(\.isNumber) }
        return codeLine.map(String.init)
    }
}

let transport = PrintingTransport()
let service = VerificationService(
    configuration: .init(
        store: InMemoryRecordStore(),
        transport: transport,
        keyRing: try CodeKeyRing(current: .random(id: CodeKeyID("2026-08"))),
        sender: try EmailAddress("verifikasi@dapodik.example")))

// A school and its operator (in your app: from your admin screens).
let operatorAccount = try await service.createSchool(
    School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: .wib),
    operator: AccountRegistration(
        displayName: try DisplayName("Siti Aminah"), username: try Username("siti"),
        email: try EmailAddress("siti.aminah@gmail.com"), password: "Sekolah-Hebat-2026"))
let me = operatorAccount.id  // in your app: (try await service.login(identifier:password:)).account

// VERIFIKASI SEKARANG → LANJUT: a code goes out through the outbox; the status says what happened.
let status = try await service.requestCode(for: me, by: me)
print(status.explanation.text(in: .english))

// SIMPAN: the person types the code from the e-mail.
guard let code = transport.lastCode() else { fatalError("no code was sent") }
let result = try await service.submitCode(code, for: me, by: me)
print(result.message.text(in: .english))

// The sync feed: a Dapodik-side consumer sees the address become verified.
for event in try await service.events(after: .start) where event.kind == .emailVerified {
    print("feed: \(event.kind) \(event.email?.value ?? "")")
}
