import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// Bounces read back to the person waiting: the return address, what a bounce changes, and what
/// it must never change.
@Suite(.timeLimit(.minutes(10)))
struct BounceTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("DapodikMailTests/Fixtures/Bounces")

    /// Fixture `name` (Tests/DapodikMailTests/Fixtures/Bounces) as a bounce of `delivery`.
    static func bounce(_ name: String, of delivery: InMemoryMailTransport.Delivery, returnPath: String? = nil) throws
        -> [UInt8]
    {
        let text = try String(contentsOf: fixtures.appendingPathComponent(name + ".eml"), encoding: .utf8)
            .replacingOccurrences(of: "%RETURN_PATH%", with: returnPath ?? delivery.envelope.sender.value)
            .replacingOccurrences(of: "%RECIPIENT%", with: delivery.envelope.recipients[0].value)
            .replacingOccurrences(of: "%MESSAGE_ID%", with: delivery.message.messageID.value)
        return Array(text.utf8)
    }

    /// A school (in `zone`) with a verified operator and one PTK whose first code was handed over.
    static func ptkWithCode(_ kind: StoreKind = .memory, zone: SchoolTimeZone = .wib) async throws -> (
        Harness, operator: Account, ptk: Account, delivery: InMemoryMailTransport.Delivery
    ) {
        let harness = try Harness.make(kind)
        let school = School(npsn: try NPSN("20100101"), name: try DisplayName("SD Negeri 1 Contoh"), timeZone: zone)
        let manager = try await harness.service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Siti Operator"), username: try Username("operator1"),
                email: try EmailAddress("operator@sdn1.sch.id"), password: Harness.password,
                confirmingUnusualDomain: true))
        let code = try await harness.requestedCode(for: manager)
        _ = try await harness.service.submitCode(code, for: manager.id, by: manager.id)
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let delivery = try #require(harness.transport.deliveries(to: ptk.email!).last)
        return (harness, manager, ptk, delivery)
    }

    @Test("each code e-mail's envelope sender is its own return address on the sender's domain; From is unchanged")
    func returnAddress() async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        harness.clock.advance(by: 61)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let second = try #require(harness.transport.deliveries(to: ptk.email!).last)
        for item in [delivery, second] {
            let sender = item.envelope.sender
            #expect(sender.domain == "dapodik.example.id")
            #expect(sender.localPart.hasPrefix("bounce+"))
            #expect(sender.localPart.count == "bounce+".count + 52)
            #expect(sender.localPart.utf8.count <= 64)
            #expect(item.message.text.contains("From: Verifikasi Dapodik <verifikasi@dapodik.example.id>"))
            #expect(!item.message.text.contains("bounce+"))
        }
        #expect(delivery.envelope.sender != second.envelope.sender)
    }

    @Test("with return addresses turned off, the sender is the envelope sender as before")
    func returnAddressOff() async throws {
        let base = try Harness.make(.memory)
        let service = base.sibling { $0.returnPathLocalPart = nil }
        let school = School(npsn: try NPSN("20100102"), name: try DisplayName("SD Dua"), timeZone: .wib)
        let account = try await service.createSchool(
            school,
            operator: AccountRegistration(
                displayName: try DisplayName("Operator Dua"), username: try Username("operator2"),
                email: try EmailAddress("operator@sdn2.sch.id"), password: Harness.password,
                confirmingUnusualDomain: true))
        _ = try await service.requestCode(for: account.id, by: account.id)
        let delivery = try #require(base.transport.deliveries(to: account.email!).last)
        #expect(delivery.envelope.sender.value == "verifikasi@dapodik.example.id")
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var fixture: String
        var status: String
        var reason: String
        var english: String
        var addressLikelyWrong: Bool
        var testDescription: String { fixture }
    }

    static let failures: [FailureCase] = [
        FailureCase(
            fixture: "postfix-mailbox-full", status: "5.2.2", reason: "kotak surat penuh",
            english: "the mailbox is full", addressLikelyWrong: false),
        FailureCase(
            fixture: "exim-classic-text", status: "5.2.2", reason: "kotak surat penuh", english: "the mailbox is full",
            addressLikelyWrong: false),
        FailureCase(
            fixture: "exim-unknown-user", status: "5.1.1", reason: "alamat ini tidak dikenal oleh server penerima",
            english: "the receiving server does not know this address", addressLikelyWrong: true),
        FailureCase(
            fixture: "microsoft365-recipient-not-found", status: "5.1.10",
            reason: "alamat ini tidak dikenal oleh server penerima",
            english: "the receiving server does not know this address", addressLikelyWrong: true),
        FailureCase(
            fixture: "gmail-address-not-found", status: "5.1.1",
            reason: "alamat ini tidak dikenal oleh server penerima",
            english: "the receiving server does not know this address", addressLikelyWrong: true),
        FailureCase(
            fixture: "qmail-no-mailbox", status: "5.1.1", reason: "alamat ini tidak dikenal oleh server penerima",
            english: "the receiving server does not know this address", addressLikelyWrong: true),
    ]

    @Test(
        "a returned code is recorded once, in the feed, and the PTK's status says why in their zone, both languages",
        arguments: failures, StoreKind.allCases)
    func returned(case expected: FailureCase, store: StoreKind) async throws {
        let (harness, manager, ptk, delivery) = try await Self.ptkWithCode(store, zone: .wita)
        harness.clock.advance(by: 5 * 60)
        let result = try await harness.service.processBounce(Self.bounce(expected.fixture, of: delivery))
        #expect(result.outcome == .recorded)
        #expect(result.account == ptk.id)
        #expect(result.messageID == delivery.message.messageID.value)

        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        let returned = try #require(status.returned)
        #expect(returned.outcome == .failed)
        #expect(returned.statusCode.description == expected.status)
        #expect(returned.addressLikelyWrong == expected.addressLikelyWrong)
        guard case .failed(let reason, let whatToDo) = status.state else {
            Issue.record("state \(status.state)")
            return
        }
        #expect(reason.indonesian == "kode dikembalikan oleh server penerima: \(expected.reason) (\(expected.status)).")
        #expect(whatToDo == returned.advice)
        let indonesian = status.explanation.indonesian
        #expect(indonesian.contains("Kode ke-1 dikembalikan oleh server penerima pukul 11.05 WITA: \(expected.reason)"))
        #expect(status.explanation.english.contains("Code 1 was returned by the receiving mail server at 11:05 WITA"))
        #expect(status.explanation.english.contains(expected.english))
        if expected.addressLikelyWrong {
            #expect(indonesian.contains("Periksa ejaan alamat"))
        } else {
            #expect(indonesian.contains("Alamatnya benar"))
            #expect(!indonesian.contains("Periksa ejaan alamat"))
        }

        let events = try await harness.service.events()
        let event = try #require(events.last)
        #expect(event.kind == .deliveryReturned)
        #expect(event.account == ptk.id)
        #expect(event.detail == "returned \(expected.status) message \(delivery.message.messageID.value)")

        let report = try await harness.service.schoolReport(by: manager.id)
        #expect(report.returnedCount == 1)
        #expect(report.undeliverableCount == 1)
        #expect(report.flaggedAddresses.map(\.account) == (expected.addressLikelyWrong ? [ptk.id] : []))

        // The same bounce again (a replay, a second copy) changes nothing.
        let commits = try await harness.commitCount()
        let again = try await harness.service.processBounce(Self.bounce(expected.fixture, of: delivery))
        #expect(again.outcome == .alreadyRecorded)
        #expect(try await harness.commitCount() == commits)

        // Later the status still says why, even once the code's lifetime is over.
        harness.clock.advance(by: 3600)
        let later = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(later.explanation.indonesian.contains("dikembalikan oleh server penerima"))
    }

    @Test("a newer code to an address that returned an earlier one says so, right away and when asked again")
    func earlierCodeReturned() async throws {
        let (harness, manager, ptk, delivery) = try await Self.ptkWithCode()
        let result = try await harness.service.processBounce(Self.bounce("exim-unknown-user", of: delivery))
        #expect(result.outcome == .recorded)
        harness.clock.advance(by: 61)
        let resent = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let said = "The e-mail of code 1 to the same address was returned by the receiving mail server"
        #expect(resent.explanation.english.contains(said), "\(resent.explanation.english)")
        #expect(resent.explanation.english.contains("the newer code may not arrive either"))
        #expect(resent.returned?.addressLikelyWrong == true)
        // Code 2's own state is its hand-over, not a failure it has not had.
        guard case .handedOver = resent.state else {
            Issue.record("expected code 2 handed over, got \(resent.state)")
            return
        }
        #expect(resent.codeOrdinal == 2)
        let fresh = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(fresh.explanation == resent.explanation)
        #expect(fresh.returned == resent.returned)
        // The operator's report says it too, worded for the operator.
        let report = try await harness.service.schoolReport(by: manager.id)
        let entry = try #require(report.entries.first { $0.account == ptk.id })
        guard case .pending(let forStaff) = entry.standing else {
            Issue.record("expected a pending entry, got \(entry.standing)")
            return
        }
        #expect(forStaff.explanation.english.contains(said), "\(forStaff.explanation.english)")
    }

    @Test("a delay is noted with the time the receiving side gives up; a later failure replaces it")
    func delayedThenFailed() async throws {
        let (harness, manager, ptk, delivery) = try await Self.ptkWithCode()
        let result = try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery))
        #expect(result.outcome == .recorded)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.state == .handedOver(at: harness.clock.now, maskedAddress: ptk.email!.masked))
        let returned = try #require(status.returned)
        #expect(returned.outcome == .delayed)
        #expect(returned.statusCode.description == "4.2.2")
        #expect(returned.willRetryUntil == Date(timeIntervalSince1970: 1_796_527_203))
        #expect(
            status.explanation.indonesian.contains(
                "Server penerima menunda penyampaian kode ke-1: kotak surat penuh (4.2.2); server itu terus mencoba "
                    + "sampai Minggu, 6 Desember 2026 pukul 10.20 WIB. Kosongkan kotak surat agar kode dapat masuk."),
            "\(status.explanation.indonesian)")
        #expect(status.explanation.english.contains("it keeps trying until Sunday, 6 December 2026 at 10:20 WIB"))
        #expect(try await harness.eventKinds().last == .deliveryDelayed)
        #expect(try await harness.service.schoolReport(by: manager.id).returnedCount == 1)

        let failed = try await harness.service.processBounce(Self.bounce("postfix-mailbox-full", of: delivery))
        #expect(failed.outcome == .recorded)
        let after = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(after.returned?.outcome == .failed)
        let delayedAgain = try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery))
        #expect(delayedAgain.outcome == .alreadyRecorded)
    }

    /// The delay report of `delivery` turned into a report of success with `action`.
    static func delayEnd(_ action: String, of delivery: InMemoryMailTransport.Delivery) throws -> [UInt8] {
        let text = try String(decoding: bounce("postfix-delayed", of: delivery), as: UTF8.self)
            .replacingOccurrences(of: "Action: delayed", with: "Action: \(action)")
            .replacingOccurrences(of: "Status: 4.2.2", with: "Status: 2.0.0")
            .replacingOccurrences(of: "smtp; 452 4.2.2 Mailbox full, try again later", with: "smtp; 250 2.0.0 Ok")
        #expect(text.contains("Action: \(action)") && text.contains("Status: 2.0.0"))
        return Array(text.utf8)
    }

    @Test(
        "a report of delivery after a delay ends the delay: the status stops saying the server is still trying",
        arguments: StoreKind.allCases)
    func delayedThenDelivered(kind: StoreKind) async throws {
        let (harness, manager, ptk, delivery) = try await Self.ptkWithCode(kind)
        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery)).outcome == .recorded)
        harness.clock.advance(by: 120)

        let ended = try await harness.service.processBounce(Self.delayEnd("delivered", of: delivery))
        #expect(ended.outcome == .delayEnded)
        #expect(ended.outcome.meaning.english.contains("delay ended"))
        #expect(try await harness.eventKinds().last == .delayEnded)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.returned == nil)
        #expect(status.delayEndedAt == harness.clock.now)
        #expect(status.state == .handedOver(at: harness.clock.now - 120, maskedAddress: ptk.email!.masked))
        #expect(!status.explanation.english.contains("keeps trying"), "\(status.explanation.english)")
        #expect(
            status.explanation.english.contains(
                "The receiving mail server, which had delayed code 1, reported its e-mail delivered to the mailbox "
                    + "at "),
            "\(status.explanation.english)")
        #expect(status.explanation.english.contains("If it is not in the inbox, look in the spam folder."))
        #expect(status.explanation.indonesian.contains("melaporkan emailnya sudah masuk ke kotak surat pukul "))
        // The operator's report no longer counts it as returned, and tells the operator what the holder can do.
        let report = try await harness.service.schoolReport(by: manager.id)
        #expect(report.returnedCount == 0)
        let entry = try #require(report.entries.first { $0.account == ptk.id })
        guard case .pending(let forStaff) = entry.standing else {
            Issue.record("expected a pending entry, got \(entry.standing)")
            return
        }
        #expect(forStaff.explanation.english.contains("If the account's holder does not see it in the inbox"))

        // The same report again, and the delay report arriving late, change nothing.
        let commits = try await harness.commitCount()
        #expect(
            try await harness.service.processBounce(Self.delayEnd("delivered", of: delivery)).outcome
                == .alreadyRecorded)
        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery)).outcome
                == .alreadyRecorded)
        #expect(try await harness.commitCount() == commits)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id) == status)

        // A failure reported afterwards (a later hop returned it) still says the code will not arrive.
        let failed = try await harness.service.processBounce(Self.bounce("postfix-mailbox-full", of: delivery))
        #expect(failed.outcome == .recorded)
        let after = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(after.returned?.outcome == .failed)
        #expect(after.delayEndedAt == nil)
    }

    @Test("a delay ended by a relay says the e-mail went on; success with no delay before it changes nothing")
    func delayEndedByRelay() async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        let commits = try await harness.commitCount()
        #expect(try await harness.service.processBounce(Self.delayEnd("relayed", of: delivery)).outcome == .noFailure)
        #expect(try await harness.commitCount() == commits)

        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery)).outcome == .recorded)
        #expect(try await harness.service.processBounce(Self.delayEnd("relayed", of: delivery)).outcome == .delayEnded)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.returned == nil)
        #expect(
            status.explanation.english.contains(
                "reported its e-mail passed on to the next mail server at "),
            "\(status.explanation.english)")
        #expect(status.explanation.english.contains("the code should arrive soon"))
        #expect(status.explanation.indonesian.contains("sudah diteruskan ke server email berikutnya"))
        // The next mail system delays it in turn: its report is new news, recorded as a delay again.
        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-delayed", of: delivery)).outcome == .recorded)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id).returned?.outcome == .delayed)
        // Expanded to a list counts as passed on; then delivered to the mailbox says so.
        #expect(try await harness.service.processBounce(Self.delayEnd("expanded", of: delivery)).outcome == .delayEnded)
        #expect(
            try await harness.service.processBounce(Self.delayEnd("delivered", of: delivery)).outcome == .delayEnded)
        let delivered = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(delivered.explanation.english.contains("delivered to the mailbox"), "\(delivered.explanation.english)")
        #expect(
            try await harness.service.processBounce(Self.delayEnd("delivered", of: delivery)).outcome
                == .alreadyRecorded)
        // After a failure, a report of success changes nothing.
        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-mailbox-full", of: delivery)).outcome
                == .recorded)
        let failedCommits = try await harness.commitCount()
        #expect(try await harness.service.processBounce(Self.delayEnd("delivered", of: delivery)).outcome == .noFailure)
        #expect(try await harness.commitCount() == failedCommits)
    }

    @Test("auto-replies, forged or foreign tokens and mismatched Message-IDs change nothing")
    func changesNothing() async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        let before = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        let commits = try await harness.commitCount()
        let sender = delivery.envelope.sender

        for fixture in ["vacation-auto-reply", "microsoft365-out-of-office"] {
            #expect(try await harness.service.processBounce(Self.bounce(fixture, of: delivery)).outcome == .autoReply)
        }
        // One hex digit of the tag changed.
        var local = Array(sender.localPart)
        local[local.count - 1] = local[local.count - 1] == "0" ? "1" : "0"
        let forged = String(local) + "@" + sender.domain
        let forgedResult = try await harness.service.processBounce(
            Self.bounce("postfix-mailbox-full", of: delivery, returnPath: forged))
        #expect(forgedResult.outcome == .unauthenticated)
        // Another message's id under this message's tag.
        let swapped = "bounce+" + String(repeating: "a", count: 32) + sender.localPart.suffix(20) + "@" + sender.domain
        #expect(
            try await harness.service.processBounce(
                Self.bounce("postfix-mailbox-full", of: delivery, returnPath: swapped)
            ).outcome == .unauthenticated)
        // A token made by a service with another key ring.
        let foreign = try Harness.make(.memory)
        let other = try await foreign.createSchool()
        _ = try await foreign.service.requestCode(for: other.id, by: other.id)
        let foreignDelivery = try #require(foreign.transport.deliveries(to: other.email!).last)
        #expect(
            try await harness.service.processBounce(Self.bounce("postfix-mailbox-full", of: foreignDelivery)).outcome
                == .unauthenticated)
        // The right token, but the returned headers name another message.
        let mismatch = try String(decoding: Self.bounce("gmail-address-not-found", of: delivery), as: UTF8.self)
            .replacingOccurrences(of: delivery.message.messageID.value, with: "other@dapodik.example.id")
        #expect(try await harness.service.processBounce(Array(mismatch.utf8)).outcome == .messageMismatch)
        // A report of success.
        let success = try String(decoding: Self.bounce("postfix-mailbox-full", of: delivery), as: UTF8.self)
            .replacingOccurrences(of: "Action: failed", with: "Action: delivered")
            .replacingOccurrences(of: "Status: 5.2.2", with: "Status: 2.0.0")
            .replacingOccurrences(of: "smtp; 552 5.2.2", with: "smtp; 250 2.0.0")
        #expect(try await harness.service.processBounce(Array(success.utf8)).outcome == .noFailure)
        // A report cut short before its per-recipient part says nothing of success or failure.
        let report = try String(decoding: Self.bounce("postfix-mailbox-full", of: delivery), as: UTF8.self)
        let cut = try #require(report.range(of: "Final-Recipient"))
        let truncated = try await harness.service.processBounce(Array(report[..<cut.lowerBound].utf8))
        #expect(truncated.outcome == .noReportForRecipient)
        #expect(truncated.outcome.meaning.english.contains("says nothing about this e-mail's recipient"))
        // Unreadable input is a typed error.
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.processBounce([UInt8](repeating: 0x20, count: 10))
        }
        #expect(error?.code == .unreadableBounce)

        #expect(try await harness.commitCount() == commits)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id) == before)
    }

    @Test("the envelope recipient passed by the mail system authenticates a bounce that names no address")
    func envelopeRecipient() async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        let bare = try String(decoding: Self.bounce("qmail-no-mailbox", of: delivery), as: UTF8.self)
            .replacingOccurrences(of: delivery.envelope.sender.value, with: "someone@elsewhere.example")
        #expect(try await harness.service.processBounce(Array(bare.utf8)).outcome == .unauthenticated)
        let result = try await harness.service.processBounce(
            Array(bare.utf8), deliveredTo: delivery.envelope.sender.value.uppercased())
        #expect(result.outcome == .recorded)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id).returned?.outcome == .failed)
    }

    @Test("a bounce Maildir is read once: each message moved to cur/ as seen, unreadable ones too")
    func maildir() async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        let scratch = try TemporaryDirectory("bounces")
        let directory = scratch.url
        let new = directory.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        try Data(Self.bounce("vacation-auto-reply", of: delivery)).write(to: new.appendingPathComponent("1000.A.host"))
        try Data(Self.bounce("microsoft365-recipient-not-found", of: delivery)).write(
            to: new.appendingPathComponent("1001.B.host"))
        try Data("   \n".utf8).write(to: new.appendingPathComponent("1002.C.host"))
        let inbox = MaildirInbox(directory: directory)
        let results = try await harness.service.processBounces(in: inbox)
        #expect(results.map(\.outcome) == [.autoReply, .recorded, .unreadable])
        #expect(results.map(\.fileName) == ["1000.A.host", "1001.B.host", "1002.C.host"])
        #expect(results[2].readingError?.code == .notAMessage)
        #expect(try FileManager.default.contentsOfDirectory(atPath: new.path).isEmpty)
        let seen = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("cur").path)
        #expect(seen.sorted() == ["1000.A.host:2,S", "1001.B.host:2,S", "1002.C.host:2,S"])
        #expect(try await harness.service.processBounces(in: inbox).isEmpty)
        #expect(
            try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id).returned?.statusCode.description
                == "5.1.10")
    }

    @Test(
        "an entry of new/ that is not a message file (directory, link, named pipe) is set aside unread, and blocks nothing",
        arguments: ["directory", "symlink", "fifo"])
    func maildirEntryThatIsNotAFile(_ kind: String) async throws {
        let (harness, _, ptk, delivery) = try await Self.ptkWithCode()
        let scratch = try TemporaryDirectory("bounces")
        let directory = scratch.url
        let new = directory.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        let odd = new.appendingPathComponent("1000.X.host")
        switch kind {
        case "directory": try FileManager.default.createDirectory(at: odd, withIntermediateDirectories: false)
        case "symlink":
            try FileManager.default.createSymbolicLink(atPath: odd.path, withDestinationPath: "/etc/hostname")
        default: #expect(mkfifo(odd.path, 0o600) == 0)
        }
        try Data(Self.bounce("microsoft365-recipient-not-found", of: delivery)).write(
            to: new.appendingPathComponent("1001.B.host"))
        let inbox = MaildirInbox(directory: directory)
        // A named pipe opened for reading would wait for a writer for ever: the test's time limit
        // would end it.
        let results = try await harness.service.processBounces(in: inbox)
        #expect(results.map(\.outcome) == [.unreadable, .recorded])
        #expect(results.first?.readingError?.code == .notAFile)
        #expect(results.first?.readingError?.message.english.contains("1000.X.host") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: new.path).isEmpty)
        #expect(try await harness.service.processBounces(in: inbox).isEmpty)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id).returned?.outcome == .failed)
    }

    @Test("marking seen keeps a message's flags and never replaces one already in cur/")
    func maildirSeenNamesDoNotCollide() throws {
        let scratch = try TemporaryDirectory("bounces")
        let directory = scratch.url
        let new = directory.appendingPathComponent("new")
        try FileManager.default.createDirectory(at: new, withIntermediateDirectories: true)
        for (name, text) in [
            ("1700000000.A.host", "first"), ("1700000000.A.host:2,", "second"), ("1700000001.B.host:2,T", "third"),
        ] {
            try Data("Subject: \(text)\n\n\(text)\n".utf8).write(to: new.appendingPathComponent(name))
        }
        let inbox = MaildirInbox(directory: directory)
        for name in try inbox.newMessages() { #expect(try inbox.markSeen(name)) }
        let current = directory.appendingPathComponent("cur")
        let seen = try FileManager.default.contentsOfDirectory(atPath: current.path).sorted()
        #expect(seen == ["1700000000.A.host.1:2,S", "1700000000.A.host:2,S", "1700000001.B.host:2,ST"], "\(seen)")
        let texts = try seen.map { try String(contentsOf: current.appendingPathComponent($0), encoding: .utf8) }
        #expect(
            Set(texts.map { $0.split(separator: "\n").last.map(String.init) ?? "" }) == ["first", "second", "third"])
        #expect(try inbox.markSeen("1700000001.B.host:2,T") == false, "already moved")
    }
}
