import DapodikVerification
import Foundation
import Testing

/// The seed author's questions, answered by one value in both languages, on the school's clock.
@Suite(.timeLimit(.minutes(10)))
struct DeliveryStatusTests {
    @Test("a handed-over code says when, to which address, until when, and when to resend, in WITA, in both languages")
    func handedOverInWITA() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool(timeZone: .wita)
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(status.state == .handedOver(at: harness.clock.now, maskedAddress: "o•••@sdn1.sch.id"))
        #expect(status.timeZone == .wita)
        #expect(status.codeExpiresAtText == "11.30 WITA")
        #expect(status.codeExpiryDescription?.indonesian == "Rabu, 1 Juli 2026 pukul 11.30 WITA")
        #expect(status.codeExpiryDescription?.english == "Wednesday, 1 July 2026 at 11:30 WITA (UTC+8)")
        #expect(status.mayRequestNewCode == false)
        #expect(status.newCodeAllowedAt == harness.clock.now.addingTimeInterval(60))
        #expect(status.codesLeft == 4)
        #expect(status.attemptsLeft == 5)
        let indonesian = status.explanation.indonesian
        #expect(indonesian.contains("telah dikirim ke o•••@sdn1.sch.id pukul 11.00 WITA"))
        #expect(indonesian.contains("Kode berlaku sampai pukul 11.30 WITA."))
        #expect(indonesian.contains("Kode baru dapat diminta mulai pukul 11.01 WITA."))
        let english = status.explanation.english
        #expect(english.contains("was sent to o•••@sdn1.sch.id at 11:00 WITA (UTC+8)"))
        #expect(english.contains("The code is valid until 11:30 WITA (UTC+8)."))
        #expect(english.contains("A new code may be asked for from 11:01 WITA (UTC+8)."))
    }

    @Test("an expiry after midnight in the school's zone is given with its date")
    func expiryOnTheNextDay() async throws {
        let harness = try Harness.make(.memory)
        harness.clock.advance(by: 11 * 3600 + 50 * 60)  // 23.50 WIT on 1 July
        let account = try await harness.createSchool(timeZone: .wit)
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(status.codeExpiresAtText == "00.20 WIT")
        #expect(status.explanation.indonesian.contains("Kode berlaku sampai Kamis, 2 Juli 2026 pukul 00.20 WIT."))
        #expect(
            status.explanation.english.contains("The code is valid until Thursday, 2 July 2026 at 00:20 WIT (UTC+9)."))
    }

    @Test("a retried delivery says why and when next, tells the person not to ask again, in both languages")
    func retryingInBothLanguages() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        harness.transport.failNext(1, disposition: .transient, smtpReplyCode: 421)
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(status.explanation.indonesian.contains("(421)"))
        // Due some seconds after 10:00 (the clock's start plus the backoff): said as the next whole minute,
        // never earlier than it is.
        guard case .retrying(_, let next, _) = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(next.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) > 0, "not on a whole minute")
        #expect(status.explanation.indonesian.contains("Percobaan berikutnya dijadwalkan pukul 10.01 WIB"))
        #expect(status.explanation.english.contains("The next attempt is due at 10:01 WIB (UTC+7)"))
        // Whether a dispatcher runs is the embedding application's business: never promised.
        #expect(!status.explanation.english.contains("automatically"))
        #expect(status.explanation.english.contains("no need to ask for a new code"))
        #expect(
            status.explanation.english.contains("valid for 30 minutes from when the e-mail reaches the mail server"))
        harness.clock.advance(by: 60)
        let later = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(later.mayRequestNewCode)
        #expect(later.explanation.english.contains("You may ask for a new code now (4 left)"))
        #expect(later.explanation.indonesian.contains("Anda dapat meminta kode baru sekarang (sisa 4 kode)"))
    }

    @Test("a verified address says when, with its date, in both languages")
    func verified() async throws {
        let harness = try Harness.make(.memory)
        _ = try await harness.verifiedOperator()
        let session = try await harness.service.login(identifier: "operator1", password: Harness.password)
        let status = try await harness.service.deliveryStatus(for: session.account, by: session.account)
        #expect(status.state == .verified(at: harness.clock.now))
        #expect(status.explanation.indonesian.contains("terverifikasi pada Rabu, 1 Juli 2026 pukul 10.00 WIB"))
        #expect(status.explanation.english.contains("verified on Wednesday, 1 July 2026 at 10:00 WIB (UTC+7)"))
    }

    @Test("after the attempts are exhausted, the status never says earlier codes still work")
    func exhaustedSaysNoEarlierCodes() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        let code = try await harness.requestedCode(for: account)
        harness.clock.advance(by: 60)
        let open = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(open.explanation.english.contains("earlier codes that have not expired still work"))
        for _ in 0..<5 { _ = try await harness.service.submitCode(wrongCode(code), for: account.id, by: account.id) }
        let status = try await harness.service.deliveryStatus(for: account.id, by: account.id)
        #expect(status.state == .attemptsExhausted)
        #expect(!status.explanation.english.contains("still work"), "\(status.explanation.english)")
        #expect(!status.explanation.indonesian.contains("tetap berlaku"), "\(status.explanation.indonesian)")
    }

    @Test("a refusal quoting the address shows it masked; a spam refusal does not blame the address")
    func refusalsMaskAndAdvise() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        let address = account.email!.value
        harness.transport.failNext(
            with: [
                MailTransportError(
                    .rejected, disposition: .permanent, transport: "test", smtpReplyCode: 550,
                    detail: "server said: 550 5.1.1", serverReply: "550 5.1.1 <\(address)>: Recipient address rejected")
            ])
        let unknown = try await harness.service.requestCode(for: account.id, by: account.id)
        for text in [unknown.explanation.indonesian, unknown.explanation.english] {
            #expect(!text.contains(address), "\(text)")
            #expect(text.contains("[550 5.1.1 <\(account.email!.masked)>: Recipient address rejected]"), "\(text)")
        }
        #expect(unknown.explanation.english.contains("Check that"))

        harness.clock.advance(by: 120)
        harness.transport.failNext(
            with: [
                MailTransportError(
                    .rejected, disposition: .permanent, transport: "test", smtpReplyCode: 550,
                    detail: "server said: 550 5.7.1", serverReply: "550 5.7.1 Message rejected as spam")
            ])
        let spam = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(!spam.explanation.english.contains("Check that"), "\(spam.explanation.english)")
        #expect(spam.explanation.english.contains("as spam or by its policy"))
        #expect(spam.explanation.indonesian.contains("sebagai spam"))
    }

    @Test(
        "a refusal shows the server's reply, never the transport's detail: no program, configuration file or system error",
        arguments: [false, true])
    func refusalHidesLocalDetail(askedByOperator: Bool) async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let local = "/usr/sbin/sendmail exited with status 67 (EX_NOUSER); msmtp: /etc/msmtprc: account default"
        harness.transport.failNext(
            with: [
                MailTransportError(
                    .rejected, disposition: .permanent, transport: "sendmail", smtpReplyCode: 550, exitStatus: 67,
                    detail: local, serverReply: "550 5.1.1 Mailbox unavailable: no such user here")
            ])
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: askedByOperator ? manager.id : ptk.id)
        guard case .failed(let reason, _) = status.state else {
            Issue.record("not failed: \(status.state)")
            return
        }
        for text in [status.explanation.indonesian, status.explanation.english, reason.indonesian, reason.english] {
            #expect(text.contains("(550) [550 5.1.1 Mailbox unavailable: no such user here]"), "\(text)")
            for word in ["sendmail", "msmtp", "/etc", "EX_NOUSER", "status 67"] {
                #expect(!text.contains(word), "\(word) in \(text)")
            }
        }
    }

    @Test("a misconfigured transport does not claim that administrators were alerted")
    func misconfiguredClaimsNoAlert() async throws {
        let harness = try Harness.make(.memory)
        let account = try await harness.createSchool()
        harness.transport.failNext(1, disposition: .misconfigured)
        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        #expect(status.explanation.english.contains("misconfigured"), "\(status.explanation.english)")
        #expect(!status.explanation.english.contains("alerted"))
        #expect(!status.explanation.indonesian.contains("diberi tahu"))
    }
}
