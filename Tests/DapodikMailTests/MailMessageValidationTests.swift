import DapodikAccounts
import DapodikLanguage
import Foundation
import Testing

@testable import DapodikMail

struct MailMessageValidationTests {
    static func base() throws -> MailMessage {
        MailMessage(
            from: Mailbox(try EmailAddress("noreply@dapodik.example"), displayName: "Dapodik"),
            to: [Mailbox(try EmailAddress("budi@sdn1.sch.id"), displayName: "Budi")], subject: "Kode",
            textBody: "Halo", date: Date(timeIntervalSince1970: 0))
    }

    static let injections = ["Kode\r\nBcc: victim@evil.example", "Kode\nBcc: x@y.example", "Kode\rX", "Kode\u{0}"]

    @Test("CR, LF or NUL in the subject is refused", arguments: injections)
    func subject(_ value: String) throws {
        var message = try Self.base()
        message.subject = value
        #expect(throws: MailError.self) { try message.rendered() }
        #expect(Self.code(message) == .headerInjection)
    }

    @Test("CR, LF or NUL in any display name is refused", arguments: injections)
    func displayNames(_ value: String) throws {
        var from = try Self.base()
        from.from.displayName = value
        var to = try Self.base()
        to.to.append(Mailbox(try EmailAddress("x@y.example"), displayName: value))
        var replyTo = try Self.base()
        replyTo.replyTo = Mailbox(try EmailAddress("x@y.example"), displayName: value)
        for message in [from, to, replyTo] {
            #expect(Self.code(message) == .headerInjection)
        }
    }

    @Test("CR, LF or NUL in an extra header's name or value is refused", arguments: injections)
    func extraHeaders(_ value: String) throws {
        var byValue = try Self.base()
        byValue.extraHeaders = [MailHeaderField(name: "X-Note", value: value)]
        var byName = try Self.base()
        byName.extraHeaders = [MailHeaderField(name: "X-Note\r\nBcc", value: "x")]
        #expect(Self.code(byValue) == .headerInjection)
        #expect(Self.code(byName) == .headerInjection)
    }

    @Test("CR, LF or NUL in a Message-ID is refused", arguments: injections)
    func messageID(_ value: String) {
        #expect(throws: MailError.self) { try MessageID(value + "@example.org") }
    }

    @Test(
        "malformed Message-IDs are refused",
        arguments: ["", "<>", "no-at-sign", "a@b@c", "a b@c", "<a@b", ".a@b", "a@b."])
    func malformedMessageID(_ value: String) {
        #expect(throws: MailError.self) { try MessageID(value) }
    }

    @Test("extra headers may not replace the renderer's own or carry invalid names")
    func reservedAndInvalidNames() throws {
        for name in ["From", "to", "SUBJECT", "Message-ID", "Content-Type", "Auto-Submitted", "Bcc"] {
            var message = try Self.base()
            message.extraHeaders = [MailHeaderField(name: name, value: "x")]
            #expect(Self.code(message) == .reservedHeader, "\(name)")
        }
        for name in ["", "X Note", "X:Note", "X-Nöte"] {
            var message = try Self.base()
            message.extraHeaders = [MailHeaderField(name: name, value: "x")]
            #expect(Self.code(message) == .invalidHeaderName, "\(name)")
        }
    }

    @Test("a message without recipients or with an impossible zone offset is refused")
    func recipientsAndZone() throws {
        var noRecipients = try Self.base()
        noRecipients.to = []
        #expect(Self.code(noRecipients) == .noRecipients)
        for offset in [30, 100 * 3600, -100 * 3600] {
            var message = try Self.base()
            message.dateSecondsFromUTC = offset
            #expect(Self.code(message) == .invalidTimeZoneOffset)
        }
    }

    @Test("a date that is not a number or outside the years 1900-9999 is refused, never a crash")
    func dates() throws {
        for seconds: TimeInterval in [1e19, -1e19, .infinity, -.infinity, .nan, 253_402_300_800, -2_208_988_801] {
            var message = try Self.base()
            message.date = Date(timeIntervalSince1970: seconds)
            #expect(Self.code(message) == .invalidDate, "\(seconds)")
        }
        for seconds: TimeInterval in [-2_208_902_400, 0, 253_402_214_399] {
            var message = try Self.base()
            message.date = Date(timeIntervalSince1970: seconds)
            #expect(throws: Never.self) { try message.rendered() }
        }
        // Formatting for people reads an instant beyond ±2^50 seconds at that bound instead of trapping.
        let far = SchoolTimeZone.wib.formattedDateTime(Date(timeIntervalSince1970: 1e19), language: .english)
        #expect(far == SchoolTimeZone.wib.formattedDateTime(Date(timeIntervalSince1970: 0x1p50), language: .english))
        let nan = SchoolTimeZone.wib.formattedDateTime(Date(timeIntervalSince1970: .nan), language: .english)
        #expect(nan == "Thursday, 1 January 1970 at 07:00 WIB (UTC+7)")
    }

    @Test("errors explain themselves in Indonesian by default and in English on request")
    func localizedMessages() throws {
        var message = try Self.base()
        message.subject = "a\nb"
        let error = #expect(throws: MailError.self) { try message.rendered() }
        #expect(error?.field == "subject")
        #expect(error?.description.contains("ganti baris") == true)
        #expect(error?.message(in: .english).contains("line break") == true)
    }

    /// The code of the error rendering `message` throws (a recorded issue when it throws none).
    static func code(_ message: MailMessage, sourceLocation: SourceLocation = #_sourceLocation) -> MailError.Code? {
        #expect(throws: MailError.self, sourceLocation: sourceLocation) { try message.rendered() }?.code
    }
}
