import Foundation
import Testing

@testable import DapodikVerification

/// Correcting the address starts a new challenge; the account's cooldown and its daily budget of
/// codes (10 in 24 hours, across challenges) carry over, so corrections cannot be used to mail a
/// stream of codes to address after address.
@Suite("the account's code budget and cooldown span its challenges", .timeLimit(.minutes(10)))
struct AccountCodeBudgetTests {
    @Test(
        "a corrected address gets its first code only once the account's last code is a minute old",
        arguments: StoreKind.allCases)
    func cooldownAfterCorrection(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        _ = try await harness.requestedCode(for: ptk)
        let firstAt = harness.clock.now
        harness.clock.advance(by: 20)
        let moved = try await harness.service.correctEmail(
            to: try EmailAddress("budi.benar@gmail.com"), password: Harness.ptkPassword, by: ptk.id)

        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(!status.mayRequestNewCode)
        #expect(status.newCodeAllowedAt == firstAt.addingTimeInterval(60))
        #expect(status.explanation.text(in: .indonesian).contains("Kode baru dapat diminta mulai"), "\(status)")
        let refused = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(refused?.code == .resendNotAllowed)
        #expect(refused?.retryAt == firstAt.addingTimeInterval(60))
        #expect(harness.transport.deliveries(to: moved.email!).isEmpty)

        harness.clock.advance(by: 40)
        #expect(try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id).mayRequestNewCode)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let code = try #require(harness.latestCode(to: moved.email!))
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test(
        "ten codes to ten addresses in a day, then none until the first is 24 hours old", arguments: StoreKind.allCases)
    func budgetAcrossCorrections(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let start = harness.clock.now
        var addresses: [EmailAddress] = []
        for round in 0..<10 {
            let address = try EmailAddress("budi.alamat\(round)@gmail.com")
            _ = try await harness.service.correctEmail(to: address, password: Harness.ptkPassword, by: ptk.id)
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            addresses.append(address)
            harness.clock.advance(by: 60)
        }
        #expect(addresses.allSatisfy { harness.transport.deliveries(to: $0).count == 1 })

        let last = try EmailAddress("budi.alamat10@gmail.com")
        _ = try await harness.service.correctEmail(to: last, password: Harness.ptkPassword, by: ptk.id)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(!status.mayRequestNewCode)
        #expect(status.codesLeft == 0)
        #expect(status.newCodeAllowedAt == start.addingTimeInterval(24 * 60 * 60))
        let refused = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(refused?.code == .resendNotAllowed)
        #expect(refused?.retryAt == start.addingTimeInterval(24 * 60 * 60))
        #expect(refused?.message.text(in: .indonesian).contains("batas maksimal kode verifikasi dalam 24 jam") == true)
        #expect(harness.transport.deliveries(to: last).isEmpty)

        // A second before the first code leaves the window: still refused; at 24 hours: sent.
        harness.clock.set(start.addingTimeInterval(24 * 60 * 60 - 1))
        await #expect(throws: VerificationError.self) {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        harness.clock.set(start.addingTimeInterval(24 * 60 * 60))
        let sent = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        #expect(sent.codeOrdinal == 1)
        #expect(sent.codesLeft == 0, "one code left the window and this one took its place")
        #expect(harness.transport.deliveries(to: last).count == 1)
    }

    @Test(
        "after a challenge's fifth code the next one starts a new challenge, ending the old codes, within the budget",
        arguments: StoreKind.allCases)
    func fifthCodeRollsOver(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        for ordinal in 1...5 {
            let answered = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            // The status answered from what the request holds is the one read afresh.
            let read = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
            #expect(answered == read, "code \(ordinal)")
            harness.clock.advance(by: 60)
        }
        let oldCodes = harness.codes(to: ptk.email!)
        #expect(oldCodes.count == 5)
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.mayRequestNewCode, "\(status.explanation.indonesian)")
        #expect(status.codesLeft == 5)
        #expect(
            status.explanation.indonesian.contains("kode sebelumnya tidak berlaku lagi begitu kode baru diminta"),
            "\(status.explanation.indonesian)")
        let sent = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        #expect(sent.codeOrdinal == 1)
        #expect(sent.codesLeft == 4)
        // A code of the ended challenge does not verify, and is said as replaced, not wrong: the person
        // typed what they were sent, so it is not counted as a guess.
        let old = try await harness.service.submitCode(oldCodes[4], for: ptk.id, by: ptk.id)
        #expect(old.outcome == .replaced, "\(old.outcome)")
        #expect(old.message.english.contains("from an earlier request"), "\(old.message.english)")
        #expect(old.message.indonesian.contains("dari permintaan sebelumnya"), "\(old.message.indonesian)")
        let new = try #require(harness.latestCode(to: ptk.email!))
        let guess = try await harness.service.submitCode(wrongCode(new), for: ptk.id, by: ptk.id)
        #expect(guess.outcome == .wrong(attemptsLeft: 4), "the replaced code took no attempt: \(guess.outcome)")
        #expect(try await harness.service.submitCode(new, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test(
        "a store failure at each call of submitting a replaced code or a wrong one changes nothing and counts nothing",
        arguments: StoreKind.allCases)
    func replacedCodeUnderStoreFailures(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let failing = FailingAtCallStore(harness.store)
        let service = harness.sibling { $0.store = failing }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        for _ in 1...5 {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            harness.clock.advance(by: 60)
        }
        let replaced = try #require(harness.codes(to: ptk.email!).last)
        _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        let new = try #require(harness.latestCode(to: ptk.email!))

        for (code, expected) in [
            (replaced, CodeSubmissionResult.Outcome.replaced), (wrongCode(new), .wrong(attemptsLeft: 4)),
        ] {
            let sequence = try await UnlockFailureTests.newestSequence(harness.store)
            let (result, failedCalls) = try await failing.failingEachCall {
                () async throws(VerificationError) in
                try await service.submitCode(code, for: ptk.id, by: ptk.id)
            } checkNothingChanged: { (call: Int, error: VerificationError) async throws in
                #expect(error.code == .storage, "call \(call): \(error)")
                #expect(
                    try await UnlockFailureTests.newestSequence(harness.store) == sequence,
                    "call \(call) wrote something")
            }
            // Decided once, as if nothing had failed before it.
            #expect(result.outcome == expected, "after \(failedCalls) failed calls: \(result.outcome)")
            #expect(failedCalls >= 4, "the submission made only \(failedCalls) store calls")
        }
        let status = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(status.attemptsLeft == 4, "only the one wrong guess that succeeded was counted")
        #expect(try await harness.service.submitCode(new, for: ptk.id, by: ptk.id).outcome == .verified)
    }

    @Test("a resend inside a challenge counts against the account's budget with the codes of earlier challenges")
    func resendsCountToo() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        // Five codes to a first address, then a correction: the second challenge has five left, not ten.
        for _ in 0..<5 {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            harness.clock.advance(by: 60)
        }
        _ = try await harness.service.correctEmail(
            to: try EmailAddress("budi.benar@gmail.com"), password: Harness.ptkPassword, by: ptk.id)
        let before = try await harness.service.deliveryStatus(for: ptk.id, by: ptk.id)
        #expect(before.mayRequestNewCode)
        #expect(before.codesLeft == 5)
        for left in (0..<5).reversed() {
            let status = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            #expect(status.codesLeft == left)
            harness.clock.advance(by: 60)
        }
        let refused = await #expect(throws: VerificationError.self) {
            _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
        }
        #expect(refused?.code == .resendNotAllowed)
    }

    @Test(
        "a new challenge removes the account's challenges a day old, so their number stays bounded",
        arguments: StoreKind.allCases)
    func oldChallengesRemoved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        let budget = harness.service.configuration.policy.maximumCodesPerAccountPerDay
        var counts: [Int] = []
        // Five days of the whole daily budget: two challenges a day (the sixth code rolls over).
        for day in 0..<5 {
            if day > 0 { harness.clock.advance(by: 24 * 3600) }
            for _ in 0..<budget {
                _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
                harness.clock.advance(by: 61)
            }
            // The day's budget holds with the older challenges gone.
            let refused = await #expect(throws: VerificationError.self) {
                _ = try await harness.service.requestCode(for: ptk.id, by: ptk.id)
            }
            #expect(refused?.code == .resendNotAllowed)
            counts.append(try await harness.service.challenges(of: ptk.id).count)
        }
        // A day's first code removes the day before's first challenge, its sixth the day before's
        // last: two at the end of each day, not ten by the fifth.
        #expect(counts == [2, 2, 2, 2, 2])
        // The newest code still verifies.
        let code = try #require(harness.latestCode(to: ptk.email!))
        #expect(try await harness.service.submitCode(code, for: ptk.id, by: ptk.id).outcome == .verified)
    }
}
