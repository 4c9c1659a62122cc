// INTERIM: stand-in for DapodikMail (issue 4) until the mail branch lands on main.
// Delete this file when `MailTransport` exists below.
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif
import Synchronization

public struct RenderedMessage: Sendable, Hashable {
    public var bytes: [UInt8]
    public var messageID: String
}

public struct Envelope: Sendable, Hashable {
    public var sender: EmailAddress
    public var recipients: [EmailAddress]
}

public struct DeliveryReceipt: Sendable, Hashable {
    public var transport: String
    public var handedOverAt: Date
    public var response: String?
}

public struct MailTransportError: LocalizedFailure, Hashable {
    public enum Disposition: Sendable, Hashable { case transient, permanent, misconfigured }
    public var disposition: Disposition
    public var replyCode: Int?
    public var exitStatus: Int32?
    public var detail: String
    public var message: LocalizedText { LocalizedText(indonesian: detail, english: detail) }
    public init(disposition: Disposition, replyCode: Int? = nil, exitStatus: Int32? = nil, detail: String) {
        self.disposition = disposition
        self.replyCode = replyCode
        self.exitStatus = exitStatus
        self.detail = detail
    }
}

public protocol MailTransport: Sendable {
    func send(_ message: RenderedMessage, envelope: Envelope) async throws -> DeliveryReceipt
}

public final class InMemoryMailTransport: MailTransport {
    private let state = Mutex<([RenderedMessage], [MailTransportError])>(([], []))
    private let now: @Sendable () -> Date
    public init(now: @escaping @Sendable () -> Date = { Date() }) { self.now = now }
    public var messages: [RenderedMessage] { state.withLock { $0.0 } }
    public func failNext(with errors: [MailTransportError]) { state.withLock { $0.1.append(contentsOf: errors) } }
    public func send(_ message: RenderedMessage, envelope: Envelope) async throws -> DeliveryReceipt {
        let failure: MailTransportError? = state.withLock { state in
            if state.1.isEmpty {
                state.0.append(message)
                return nil
            }
            return state.1.removeFirst()
        }
        if let failure { throw failure }
        return DeliveryReceipt(transport: "memory", handedOverAt: now(), response: nil)
    }
}

public enum VerificationEmailPurpose: String, Sendable, Hashable, Codable {
    case operatorVerification
    case staffVerification
}

public struct VerificationEmail: Sendable, Hashable {
    public var purpose: VerificationEmailPurpose
    public var recipient: EmailAddress
    public var recipientName: String
    public var username: String
    public var schoolName: String
    public var npsn: String
    public var code: String
    public var ordinal: Int
    public var expiresAt: Date
    public var timeZone: SchoolTimeZone
    public var language: Language
}

public struct AddressChangeNotice: Sendable, Hashable {
    public var recipient: EmailAddress
    public var recipientName: String
    public var maskedNewAddress: String
    public var changedBy: String
    public var changedAt: Date
    public var timeZone: SchoolTimeZone
    public var language: Language
}

enum InterimRenderer {
    static func render(
        subject: String, body: String, to: EmailAddress, from: EmailAddress, messageID: String
    ) -> (RenderedMessage, Envelope) {
        let text =
            "From: <\(from.value)>\r\nTo: <\(to.value)>\r\nSubject: \(subject)\r\nMessage-ID: <\(messageID)>\r\n\r\n"
            + body.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        return (
            RenderedMessage(bytes: Array(text.utf8), messageID: messageID),
            Envelope(sender: from, recipients: [to])
        )
    }
}
