import DapodikAccounts
import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikMail

/// A sender whose From field is written once (``PreparedSender``, issue 15): the verification e-mail
/// rendered from it is the one rendered from its mailbox, byte for byte, and refused alike.
struct PreparedSenderTests {
    @Test("rendered from a prepared sender: the same bytes, envelope and errors as from its mailbox")
    func sameMessageAsFromTheMailbox() throws {
        var random = RandomMail(generator: SeededGenerator(seed: 0xF_0A1))
        var tricky = TrickyText(generator: SeededGenerator(seed: 0xF_0A2))
        var refused = 0
        for index in 0..<800 {
            var sender = random.mailbox()
            switch index % 5 {
            case 0: sender.displayName = tricky.text(maximumLength: 120, lineBreaks: index % 10 == 0)
            case 1: sender.displayName = String(repeating: "Verifikasi Dapodik ", count: random.int(1...8))
            case 2: sender.displayName = random.pick(["", " ", "\"Dapodik\" <Pusdatin>", "Dapodik, Kemdikbud", nil])
            default: break
            }
            let mail = VerificationMail(
                purpose: random.pick(VerificationMail.Purpose.allCases), recipient: random.mailbox(),
                username: random.pick(RandomMail.addresses), schoolName: "SD Negeri 1 Wamena", npsn: "20100101",
                code: String(random.int(100_000...999_999)), codeOrdinal: random.int(1...4),
                expiresAt: Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800))),
                timeZone: random.pick(SchoolTimeZone.allCases), language: random.pick(Language.allCases))
            let replyTo = index % 3 == 0 ? random.mailbox() : nil
            let date = Date(timeIntervalSince1970: Double(random.int(0...4_102_444_800)))
            let messageID = try MessageID("p\(index)@dapodik.example")
            let prepared = PreparedSender(sender)
            var preparedSource = ByteDrawingSource(SeededGenerator(seed: UInt64(index)))
            var plainSource = ByteDrawingSource(SeededGenerator(seed: UInt64(index)))
            let fromPrepared = Result { () throws(MailError) in
                try mail.rendered(
                    from: prepared.mailbox, fromField: prepared.fromField, replyTo: replyTo, date: date,
                    messageID: messageID, using: &preparedSource)
            }
            let fromMailbox = Result { () throws(MailError) in
                try mail.rendered(from: sender, replyTo: replyTo, date: date, messageID: messageID, using: &plainSource)
            }
            switch (fromPrepared, fromMailbox) {
            case (.success(let new), .success(let old)):
                #expect(new.message == old.message, "\(sender)")
                #expect(new.envelope == old.envelope)
            case (.failure(let new), .failure(let old)):
                refused += 1
                #expect(new == old, "\(sender)")
            default:
                Issue.record("one renders, the other fails: \(fromPrepared) \(fromMailbox) for \(sender)")
            }
        }
        // Senders with a line break in the name are refused by both, message by message.
        #expect(refused > 0)
        #expect(refused < 200)
    }
}
