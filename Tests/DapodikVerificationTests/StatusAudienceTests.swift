import DapodikVerification
import Foundation
import Testing

/// A status is worded for whoever reads it: the account's holder is told what they can do ("Anda"),
/// the school's operator, who cannot ask for another account's codes, what the holder can do.
@Suite(.timeLimit(.minutes(10)))
struct StatusAudienceTests {
    /// Whether `text` addresses its reader as the person waiting for the code, in either language.
    static func addressesTheHolder(_ text: LocalizedText) -> Bool {
        text.indonesian.contains("Anda") || text.english.contains("You ") || text.english.contains(" you ")
            || text.english.hasPrefix("Check the inbox") || text.english.contains(". Check the inbox")
    }

    @Test("the operator reading a PTK's status is told what the holder can do; the PTK is told what they can do")
    func operatorAndHolder() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)

        let notStartedForStaff = try await harness.service.deliveryStatus(for: ptk.id, by: manager.id)
        #expect(
            notStartedForStaff.explanation.indonesian.contains("setelah pemilik akun memintanya dengan tombol LANJUT"))
        #expect(
            notStartedForStaff.explanation.english.contains(
                "once the account's holder asks for it with the LANJUT (continue) button"))
        #expect(!Self.addressesTheHolder(notStartedForStaff.explanation))
        let notStartedForHolder = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(notStartedForHolder.explanation.indonesian.contains("setelah Anda memintanya dengan tombol LANJUT"))

        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        harness.clock.advance(by: 60)
        let forStaff = try await harness.service.deliveryStatus(for: ptk.id, by: manager.id)
        let forHolder = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(forStaff.explanation.indonesian.contains("Pemilik akun perlu memeriksa kotak masuk dan folder spam."))
        #expect(forStaff.explanation.indonesian.contains("Pemilik akun dapat meminta kode baru sekarang (sisa 4 kode)"))
        #expect(forStaff.explanation.english.contains("The account's holder may ask for a new code now (4 left)"))
        #expect(!Self.addressesTheHolder(forStaff.explanation), "\(forStaff.explanation)")
        #expect(forHolder.explanation.indonesian.contains("Periksa kotak masuk dan folder spam."))
        #expect(forHolder.explanation.indonesian.contains("Anda dapat meminta kode baru sekarang (sisa 4 kode)"))
        #expect(forHolder.explanation.english.contains("You may ask for a new code now (4 left)"))
        // Only the words differ: every fact is the same.
        var reworded = forStaff
        reworded.explanation = forHolder.explanation
        #expect(reworded == forHolder)

        let report = try await harness.service.schoolReport(by: manager.id)
        let entry = try #require(report.entries.first { $0.account == ptk.id })
        guard case .pending(let inReport) = entry.standing else {
            Issue.record("expected a pending entry, got \(entry.standing)")
            return
        }
        #expect(inReport == forStaff)
    }

    @Test("a returned code's advice in the operator's report does not send the operator to the operator")
    func bounceAdvice() async throws {
        let (harness, manager, ptk, delivery) = try await BounceTests.ptkWithCode()
        let result = try await harness.service.processBounce(BounceTests.bounce("postfix-mailbox-full", of: delivery))
        #expect(result.outcome == .recorded)
        #expect(result.returned?.advice.indonesian.contains("pemilik akun perlu mengosongkan kotak suratnya") == true)

        let forHolder = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(forHolder.returned?.advice.indonesian.contains("kosongkan kotak surat (hapus email lama)") == true)
        #expect(forHolder.explanation.indonesian.contains("minta operator sekolah mengganti alamat"))

        let report = try await harness.service.schoolReport(by: manager.id)
        let entry = try #require(report.entries.first { $0.account == ptk.id })
        guard case .undeliverable(let forStaff) = entry.standing else {
            Issue.record("expected an undeliverable entry, got \(entry.standing)")
            return
        }
        #expect(forStaff.returned?.advice.indonesian.contains("pemilik akun perlu mengosongkan kotak suratnya") == true)
        #expect(!forStaff.explanation.indonesian.contains("operator sekolah"), "\(forStaff.explanation.indonesian)")
        #expect(!forStaff.explanation.english.contains("school operator"), "\(forStaff.explanation.english)")
        #expect(!Self.addressesTheHolder(forStaff.explanation), "\(forStaff.explanation)")
    }

    @Test("the operator's own returned code tells them to correct their address, never to ask the operator")
    func operatorsOwnBounce() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.createSchool()
        _ = try await harness.service.requestCode(for: manager.id, by: manager.id)
        let delivery = try #require(harness.transport.deliveries(to: manager.email!).last)
        let result = try await harness.service.processBounce(BounceTests.bounce("exim-unknown-user", of: delivery))
        #expect(result.outcome == .recorded)
        let own = try await harness.service.deliveryStatus(for: manager.id, by: manager.id)
        #expect(!own.explanation.indonesian.contains("operator sekolah"), "\(own.explanation.indonesian)")
        #expect(!own.explanation.english.contains("school operator"), "\(own.explanation.english)")
        #expect(own.explanation.english.contains("correct your active e-mail address"), "\(own.explanation.english)")
        #expect(own.explanation.indonesian.contains("betulkan alamat Email Aktif Anda"))
    }

    @Test("a delayed code's advice is worded for its reader")
    func delayedAdvice() async throws {
        let (harness, manager, ptk, delivery) = try await BounceTests.ptkWithCode()
        _ = try await harness.service.processBounce(BounceTests.bounce("postfix-delayed", of: delivery))
        let forStaff = try await harness.service.deliveryStatus(for: ptk.id, by: manager.id)
        #expect(
            forStaff.explanation.indonesian.contains(
                "Pemilik akun perlu mengosongkan kotak suratnya agar kode dapat masuk."))
        let forHolder = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(forHolder.explanation.indonesian.contains("Kosongkan kotak surat agar kode dapat masuk."))
    }

    @Test("a refused delivery tells the operator to check the address and the holder to ask again")
    func refusedDelivery() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        harness.transport.failNext(1, disposition: .permanent, smtpReplyCode: 550)
        let forHolder = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        #expect(forHolder.explanation.indonesian.contains("perbaiki alamat bila salah, lalu minta kode baru."))
        let forStaff = try await harness.service.deliveryStatus(for: ptk.id, by: manager.id)
        #expect(
            forStaff.explanation.indonesian.contains(
                "perbaiki alamat bila salah. Lalu pemilik akun dapat meminta kode baru."), "\(forStaff.explanation)")
        #expect(!Self.addressesTheHolder(forStaff.explanation), "\(forStaff.explanation)")
    }
}
