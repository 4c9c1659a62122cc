import DapodikVerification
import Foundation
import Testing

/// The seed's steps, one test each, against both stores.
@Suite(.timeLimit(.minutes(10)))
struct SeedFlowTests {
    @Test("an operator verifies their own address with the e-mailed code", arguments: StoreKind.allCases)
    func operatorVerifiesOwnAddress(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        let session = try await harness.service.login(identifier: "OPERATOR@sdn1.sch.id", password: Harness.password)
        #expect(session.account == account.id)
        #expect(!session.isEmailVerified)

        let status = try await harness.service.requestCode(for: account.id, by: account.id)
        guard case .handedOver(let at, let masked) = status.state else {
            Issue.record("expected handed over, got \(status.state)")
            return
        }
        #expect(at == harness.clock.now)
        #expect(masked == "o•••@sdn1.sch.id")
        #expect(status.codeExpiresAt == harness.clock.now.addingTimeInterval(30 * 60))
        #expect(status.codeExpiresAtText == "10.30 WIB")
        #expect(status.explanation.indonesian.contains("berlaku sampai pukul 10.30 WIB"))

        harness.clock.advance(by: 5 * 60)
        let code = try #require(harness.latestCode(to: account.email!))
        let result = try await harness.service.submitCode(code, for: account.id, by: account.id)
        #expect(result.outcome == .verified)
        let after = try await harness.service.login(identifier: "operator1", password: Harness.password)
        #expect(after.isEmailVerified)
        #expect(try await harness.eventKinds() == [.schoolCreated, .codeIssued, .codeDelivered, .emailVerified])
    }

    @Test("only a verified operator may register PTK", arguments: StoreKind.allCases)
    func unverifiedOperatorCannotRegister(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let account = try await harness.createSchool()
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(by: account)
        }
        #expect(error?.code == .authorization)
        #expect(try await harness.commitCount() == before)
    }

    @Test("a verified operator registers a PTK who then logs in by username or e-mail", arguments: StoreKind.allCases)
    func operatorRegistersPTK(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        #expect(ptk.role == .ptk)
        #expect(!ptk.isEmailVerified)
        #expect(try await harness.service.listStaff(by: manager.id).map(\.id) == [ptk.id])
        let byUsername = try await harness.service.login(identifier: "Budi.Santoso", password: Harness.ptkPassword)
        let byEmail = try await harness.service.login(
            identifier: "budi.santoso@gmail.com", password: Harness.ptkPassword)
        #expect(byUsername.account == ptk.id)
        #expect(byEmail.account == ptk.id)
        let events = try await harness.service.events()
        #expect(events.last?.kind == .accountRegistered)
        #expect(events.last?.actor == manager.id)
    }

    @Test("a likely typo is reported with its correction, and saved once confirmed", arguments: StoreKind.allCases)
    func typoReportedThenConfirmed(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(email: "budi@gmial.com", by: manager)
        }
        #expect(error?.code == .possibleTypo)
        #expect(error?.suggestion == (try EmailAddress("budi@gmail.com")))
        #expect(try await harness.commitCount() == before)

        let confirmed = try await harness.service.registerStaff(
            AccountRegistration(
                displayName: try DisplayName("Budi"), username: try Username("budi"),
                email: try EmailAddress("budi@gmial.com"), password: Harness.ptkPassword, confirmingUnusualDomain: true),
            by: manager.id)
        #expect(confirmed.email?.domain == "gmial.com")
    }

    @Test("an e-mail address belongs to one account only, and the refusal names no one", arguments: StoreKind.allCases)
    func emailBelongsToOneAccount(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let first = try await harness.verifiedOperator()
        let other = try await harness.verifiedOperator(
            npsn: "20100102", email: "op2@sdn2.sch.id", username: "operator2")
        let ptk = try await harness.registerPTK(by: first)
        let before = try await harness.commitCount()
        let error = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(
                "Budi Lain", username: "budi.lain", email: "Budi.Santoso@GMAIL.com", by: other)
        }
        #expect(error?.code == .emailInUse)
        #expect(error?.message.indonesian.contains("20100101") == false)
        #expect(error?.message.english.contains(ptk.username.value) == false)
        // No account is stored; the one commit is the refusal counted as a row checked (and audited).
        #expect(try await harness.commitCount() == before + 1)
        let last = try await harness.service.events(limit: 100_000).last
        #expect(last?.kind == .staffChecked && last?.actor == other.id, "\(String(describing: last))")
    }

    @Test(
        "a PTK logs in, sees the account unverified, checks and corrects the address, continues and saves the code",
        arguments: StoreKind.allCases)
    func ptkVerifies(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(email: "budi.santos@gmail.com", by: manager)
        let session = try await harness.service.login(identifier: "budi.santoso", password: Harness.ptkPassword)

        let overview = try await harness.service.accountOverview(by: session.account)
        #expect(!overview.isVerified)
        #expect(overview.status.state == .notStarted)
        let start = try await harness.service.startVerification(by: session.account)
        #expect(start.email?.value == "budi.santos@gmail.com")

        let wrongPassword = await #expect(throws: VerificationError.self) {
            try await harness.service.correctEmail(
                to: try EmailAddress("budi.santoso@gmail.com"), password: "salah-sekali", by: session.account)
        }
        #expect(wrongPassword?.code == .invalidCredentials)
        let corrected = try await harness.service.correctEmail(
            to: try EmailAddress("budi.santoso@gmail.com"), password: Harness.ptkPassword, by: session.account)
        #expect(corrected.email?.value == "budi.santoso@gmail.com")

        let status = try await harness.service.requestCode(for: ptk.id, by: session.account)
        #expect(status.maskedAddress == "b•••@gmail.com")
        let code = try #require(harness.latestCode(to: try EmailAddress("budi.santoso@gmail.com")))
        #expect(harness.transport.deliveries(to: try EmailAddress("budi.santos@gmail.com")).isEmpty)
        let result = try await harness.service.submitCode(code, for: ptk.id, by: session.account)
        #expect(result.outcome == .verified)
        #expect(try await harness.service.accountOverview(by: session.account).isVerified)

        // The Dapodik side pulls the feed and sees the PTK's address verified.
        let verified = try await harness.service.events().filter { $0.kind == .emailVerified }
        #expect(verified.map(\.account) == [manager.id, ptk.id])
        #expect(verified.last?.email?.value == "budi.santoso@gmail.com")
    }

    @Test(
        "changing a verified address unverifies it and notifies the old address",
        arguments: StoreKind.allCases)
    func changingVerifiedAddress(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let old = try EmailAddress("budi.santoso@gmail.com")
        try await #require(
            harness.service.submitCode(harness.latestCode(to: old)!, for: ptk.id, by: ptk.id).outcome == .verified)

        let updated = try await harness.service.updateStaff(
            ptk.id, email: try EmailAddress("budi.baru@yahoo.co.id"), by: manager.id)
        #expect(!updated.isEmailVerified)
        let notices = harness.transport.deliveries(to: old)
        #expect(notices.count == 2)
        #expect(notices.last?.message.text.contains("yahoo.co.id") == true)
        #expect(try await harness.eventKinds().suffix(2) == [.emailChanged, .noticeDelivered])
    }

    @Test(
        "the school report shows verified, pending, never started and undeliverable PTK", arguments: StoreKind.allCases)
    func schoolReport(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let verified = try await harness.registerPTK("Ani", username: "ani", email: "ani@gmail.com", by: manager)
        let pending = try await harness.registerPTK("Budi", username: "budi", email: "budi@gmail.com", by: manager)
        let never = try await harness.registerPTK("Citra", username: "citra", email: "citra@gmail.com", by: manager)
        let bounced = try await harness.registerPTK("Dedi", username: "dedi", email: "dedi@gmail.com", by: manager)
        _ = try await harness.service.requestCode(for: verified.id, by: verified.id)
        _ = try await harness.service.submitCode(
            harness.latestCode(to: verified.email!)!, for: verified.id, by: verified.id)
        _ = try await harness.service.requestCode(for: pending.id, by: pending.id)
        harness.transport.failNext(1, disposition: .permanent, smtpReplyCode: 550)
        _ = try await harness.service.requestCode(for: bounced.id, by: bounced.id)

        let report = try await harness.service.schoolReport(by: manager.id)
        let standings = Dictionary(uniqueKeysWithValues: report.entries.map { ($0.account, $0.standing) })
        guard case .verified = standings[verified.id], case .pending(let status) = standings[pending.id],
            case .neverStarted = standings[never.id], case .undeliverable = standings[bounced.id]
        else {
            Issue.record("unexpected standings \(standings)")
            return
        }
        guard case .handedOver = status.state else {
            Issue.record("expected handed over, got \(status.state)")
            return
        }
        #expect(report.verifiedCount == 1)
        #expect(report.undeliverableCount == 1)
    }
}
