import DapodikMail
import DapodikTestSupport
import Foundation
import Testing

struct BounceReportTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var fixture: String
        var kind: BounceReport.Kind
        var action: BounceReport.Action?
        var status: String?
        var diagnosticContains: String?
        var willRetryUntil: Date?
        var reportingMTA: String?
        var testDescription: String { fixture }
    }

    static let expectations: [Expectation] = [
        Expectation(
            fixture: "postfix-mailbox-full", kind: .deliveryStatusNotification, action: .failed, status: "5.2.2",
            diagnosticContains: "552 5.2.2", reportingMTA: "mail.sekolah.example"),
        Expectation(
            fixture: "postfix-delayed", kind: .deliveryStatusNotification, action: .delayed, status: "4.2.2",
            diagnosticContains: "Mailbox full, try again later",
            // Sun, 6 Dec 2026 10:20:03 +0700 = 03:20:03 UTC.
            willRetryUntil: Date(timeIntervalSince1970: 1_796_527_203), reportingMTA: "mail.sekolah.example"),
        Expectation(
            fixture: "exim-unknown-user", kind: .deliveryStatusNotification, action: .failed, status: "5.1.1",
            diagnosticContains: "User unknown in virtual mailbox table", reportingMTA: "mail.sekolah.example"),
        Expectation(
            fixture: "exim-classic-text", kind: .nonStandardBounce, action: .failed, status: "5.2.2",
            diagnosticContains: "Mailbox quota exceeded"),
        Expectation(
            fixture: "microsoft365-recipient-not-found", kind: .deliveryStatusNotification, action: .failed,
            status: "5.1.10", diagnosticContains: "RESOLVER.ADR.RecipientNotFound; Recipient not found",
            reportingMTA: "SN6PR01MB1234.namprd01.prod.outlook.com"),
        Expectation(
            fixture: "gmail-address-not-found", kind: .deliveryStatusNotification, action: .failed, status: "5.1.1",
            diagnosticContains: "The email account that you tried to reach does not exist",
            reportingMTA: "googlemail.com"),
        Expectation(
            fixture: "qmail-no-mailbox", kind: .nonStandardBounce, action: .failed, status: "5.1.1",
            diagnosticContains: "Sorry, no mailbox here by that name."),
        Expectation(fixture: "vacation-auto-reply", kind: .autoReply),
        Expectation(fixture: "microsoft365-out-of-office", kind: .autoReply),
    ]

    @Test(
        "real bounce formats are read: kind, action, status, diagnostic, original Message-ID, return address",
        arguments: expectations, [false, true])
    func fixtures(expected: Expectation, crlf: Bool) throws {
        let report = try BounceReport(bytes: BounceFixtures.bytes(expected.fixture, crlf: crlf))
        #expect(report.kind == expected.kind)
        #expect(report.returnAddresses.first == BounceFixtures.returnPath, "\(report.returnAddresses)")
        guard let action = expected.action else {
            #expect(report.recipients.isEmpty)
            return
        }
        #expect(report.originalMessageID == BounceFixtures.messageID)
        #expect(report.reportingMTA == expected.reportingMTA)
        let recipient = try #require(report.mostSevereReport(for: BounceFixtures.recipient))
        #expect(report.recipients.count == 1)
        #expect(recipient.finalRecipient == BounceFixtures.recipient)
        #expect(recipient.action == action)
        #expect(recipient.status.description == expected.status)
        let diagnostic = try #require(recipient.diagnostic)
        #expect(diagnostic.contains(try #require(expected.diagnosticContains)), "\(diagnostic)")
        #expect(!diagnostic.contains("\n") && !diagnostic.contains("\r"))
        #expect(recipient.willRetryUntil == expected.willRetryUntil)
    }

    @Test("a success report (delivered, relayed) is read as such, and the most severe recipient comes first")
    func successAndSeverity() throws {
        let message = """
            From: MAILER-DAEMON@mx.example
            To: bounce+x@sekolah.example
            Content-Type: multipart/report; report-type=delivery-status; boundary=B

            --B
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example

            Final-Recipient: rfc822; a@penerima.example
            Action: relayed
            Status: 2.0.0

            Final-Recipient: rfc822; b@penerima.example
            Action: delayed
            Status: 4.4.7

            Final-Recipient: rfc822; c@penerima.example
            Action: failed
            Status: 5.4.4
            --B--
            """
        let report = try BounceReport(bytes: Array(message.utf8))
        #expect(report.recipients.map(\.action) == [.relayed, .delayed, .failed])
        #expect(report.mostSevereReport()?.finalRecipient == "c@penerima.example")
        #expect(report.mostSevereReport(for: "A@penerima.example")?.action == .relayed)
    }

    @Test("mail that is no bounce is not read as one")
    func notABounce() throws {
        let message = "From: Budi <budi@penerima.example>\nTo: x@sekolah.example\nSubject: Halo\n\nKodenya 550 123.\n"
        #expect(try BounceReport(bytes: Array(message.utf8)).kind == .notABounce)
    }

    @Test("hostile or malformed input is a typed error, never a trap")
    func hostileInput() throws {
        let limits = BounceReadingLimits(maximumBytes: 100_000)
        #expect(throws: BounceReadingError.self) { try BounceReport(bytes: [UInt8](), limits: limits) }
        #expect(throws: BounceReadingError.self) { try BounceReport(bytes: Array("no header here".utf8)) }
        let huge = [UInt8](repeating: 0x41, count: 100_001)
        let tooLarge = #expect(throws: BounceReadingError.self) { try BounceReport(bytes: huge, limits: limits) }
        #expect(tooLarge?.code == .tooLarge)

        var nested = "From: MAILER-DAEMON@x.example\n"
        for level in 0..<50 { nested += "Content-Type: multipart/mixed; boundary=b\(level)\n\n--b\(level)\n" }
        let deep = #expect(throws: BounceReadingError.self) { try BounceReport(bytes: Array(nested.utf8)) }
        #expect(deep?.code == .tooDeeplyNested)

        var many = "From: MAILER-DAEMON@x.example\nContent-Type: multipart/mixed; boundary=b\n\n"
        for _ in 0..<1000 { many += "--b\nContent-Type: text/plain\n\nx\n" }
        let parts = #expect(throws: BounceReadingError.self) { try BounceReport(bytes: Array(many.utf8)) }
        #expect(parts?.code == .tooManyParts)

        var recipients = "From: m@x.example\nContent-Type: multipart/report; boundary=b\n\n--b\n"
        recipients += "Content-Type: message/delivery-status\n\nReporting-MTA: dns; x\n"
        for index in 0..<500 { recipients += "\nFinal-Recipient: rfc822; r\(index)@x.example\nAction: failed\n" }
        let many2 = #expect(throws: BounceReadingError.self) { try BounceReport(bytes: Array(recipients.utf8)) }
        #expect(many2?.code == .tooManyParts)

        let fields = "From: m@x.example\n" + String(repeating: "X-A: b\n", count: 5000) + "\nbody"
        #expect(throws: BounceReadingError.self) { try BounceReport(bytes: Array(fields.utf8)) }
    }

    @Test("every truncation and random corruption of every fixture reads or throws, never traps")
    func truncatedAndCorrupted() throws {
        var generator = SeededGenerator(seed: 17)
        var read = 0
        for expected in Self.expectations {
            let bytes = try BounceFixtures.bytes(expected.fixture)
            for length in stride(from: 0, through: bytes.count, by: 7) {
                if (try? BounceReport(bytes: bytes.prefix(length))) != nil { read += 1 }
            }
            for _ in 0..<200 {
                var corrupted = bytes
                for _ in 0..<Int.random(in: 1...20, using: &generator) {
                    corrupted[Int.random(in: 0..<corrupted.count, using: &generator)] = UInt8.random(
                        in: 0...255, using: &generator)
                }
                if (try? BounceReport(bytes: corrupted)) != nil { read += 1 }
            }
        }
        #expect(read > 0)
    }

    @Test("status codes are read as RFC 3463 writes them, and found in free text")
    func statusCodes() {
        #expect(DeliveryStatusCode("5.1.1")?.description == "5.1.1")
        #expect(DeliveryStatusCode("4.7.255")?.isTransientFailure == true)
        #expect(DeliveryStatusCode("5.1.10")?.detail == 10)
        for bad in ["3.1.1", "5.1", "5.1.1.1", "55.1.1", "5.1.1000", "a.b.c", "", "5..1"] {
            #expect(DeliveryStatusCode(bad) == nil, "\(bad)")
        }
        #expect(DeliveryStatusCode.first(in: "550-5.1.1 The email account")?.description == "5.1.1")
        #expect(DeliveryStatusCode.first(in: "no mailbox (#5.1.1)")?.description == "5.1.1")
        #expect(DeliveryStatusCode.first(in: "host 10.0.0.1 said 552 (quota)") == nil)
    }
}
