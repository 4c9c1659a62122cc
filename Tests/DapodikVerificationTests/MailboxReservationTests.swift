import DapodikLocking
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// One account per mailbox, however its address is spelled (`EmailAddress.mailbox`): registrations,
/// batches and address changes reserve it; `reserveMailboxes` reserves those of accounts stored
/// before reservations existed.
@Suite(.timeLimit(.minutes(10)))
struct MailboxReservationTests {
    @Test(
        "a second spelling of a registered Gmail mailbox is refused, and nothing is stored",
        arguments: StoreKind.allCases)
    func registrationRefused(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        _ = try await harness.registerPTK(by: manager)

        let error = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(
                "Budi S", username: "budi2", email: "BudiSantoso+ptk@googlemail.com", by: manager)
        }
        #expect(error?.code == .emailInUse)
        #expect(error?.message.indonesian.contains("kotak surat yang sama") == true)
        #expect(error?.message.english.contains("Gmail") == true)
        #expect(try await harness.service.listStaff(by: manager.id).count == 1)
        // Another mailbox at Gmail, and the same name at a domain where dots count, are free.
        _ = try await harness.registerPTK(
            "Budi Santosa", username: "budi3", email: "budi.santosa@gmail.com", by: manager)
        _ = try await harness.registerPTK("Budi Lain", username: "budi4", email: "budisantoso@belajar.id", by: manager)
        _ = try await harness.registerPTK(
            "Budi Titik", username: "budi5", email: "budi.santoso@belajar.id", by: manager)
        #expect(try await harness.service.listStaff(by: manager.id).count == 4)
    }

    @Test(
        "a batch names the row that repeats an earlier row's mailbox, or an existing account's",
        arguments: StoreKind.allCases)
    func batchRows(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        _ = try await harness.registerPTK("Ani Lestari", username: "ani", email: "ani.lestari@gmail.com", by: manager)
        let rows = [
            try StaffBatchTests.row("Budi Santoso", "budi", "budi.santoso@gmail.com"),
            try StaffBatchTests.row("Budi Dua", "budi2", "BudiSantoso@googlemail.com"),
            try StaffBatchTests.row("Ani Dua", "ani2", "anilestari+guru@gmail.com"),
        ]
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.registerStaff(rows, by: manager.id)
        }
        let failures = error?.rowFailures ?? []
        #expect(failures.map(\.row) == [1, 2])
        #expect(failures.map(\.error.code) == [.emailInUse, .emailInUse])
        #expect(failures.map(\.sameAsRow) == [0, nil])
        #expect(failures.allSatisfy { $0.error.message.english.contains("same mailbox") })
        #expect(try await harness.service.checkStaff(rows, by: manager.id).map(\.row) == [1, 2])
        #expect(try await harness.service.listStaff(by: manager.id).count == 1)
    }

    @Test(
        "an account keeps its mailbox across its own spellings and frees it when it moves away",
        arguments: StoreKind.allCases)
    func addressChanges(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        _ = try await harness.service.updateStaff(
            budi.id, email: try EmailAddress("budisantoso@gmail.com"), by: manager.id)
        await #expect(throws: VerificationError.self) {
            try await harness.registerPTK("Lain", username: "lain", email: "budi.santoso@gmail.com", by: manager)
        }
        _ = try await harness.service.updateStaff(budi.id, email: try EmailAddress("budi@yahoo.co.id"), by: manager.id)
        let other = try await harness.registerPTK(
            "Lain", username: "lain", email: "budi.santoso@gmail.com", by: manager)
        #expect(other.email?.mailbox == "budisantoso@gmail.com")
        // Budi cannot move back onto the mailbox the other account now holds.
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.updateStaff(
                budi.id, email: try EmailAddress("budisantoso@gmail.com"), by: manager.id)
        }
        #expect(error?.code == .emailInUse)
    }

    @Test(
        "reserveMailboxes reserves earlier accounts' mailboxes, lists two that share one, and the second gets no code",
        arguments: StoreKind.allCases)
    func backfill(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let other = try await harness.verifiedOperator(
            npsn: "P9970001", email: "operator@pkbm.sch.id", username: "operator2")
        let first = try await harness.registerPTK(by: manager)
        try await Self.forgetReservation(of: first, in: harness.store)
        let second = try await harness.registerPTK(
            "Budi Dua", username: "budi2", email: "budisantoso@gmail.com", by: manager)
        _ = try await harness.registerPTK("Ani", username: "ani", email: "ani@yahoo.co.id", by: other)
        try await Self.simulateStoreBeforeReservations(harness.store)
        let counts = LockedValue<[Int]>([])

        let report = try await harness.service.reserveMailboxes { read in counts.withLock { $0.append(read) } }

        #expect(report.accountsRead == 5)
        #expect(report.reserved == 4)
        #expect(report.alreadyReserved == 0)
        let shared = try #require(report.shared.first)
        #expect(report.shared.count == 1)
        #expect(Set([shared.account, shared.holder]) == Set([first.id, second.id]))
        #expect(shared.school == manager.schoolNPSN)
        #expect(counts.withLock { $0 } == [3, 5])
        // The one left out is refused a code, saying why; the holder gets one.
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.requestCode(for: shared.account, by: shared.account)
        }
        #expect(error?.code == .emailInUse)
        _ = try await harness.service.requestCode(for: shared.holder, by: shared.holder)
        // A second run finds everything reserved and the same pair.
        let again = try await harness.service.reserveMailboxes()
        #expect(again.reserved == 0 && again.alreadyReserved == 4 && again.shared == report.shared)
    }

    @Test("a run cut short by an I/O error at any of its store calls leaves the gate closed; the next run finishes it")
    func runCutShort() async throws {
        var call = 1
        while true {
            let harness = try Harness.make(.memory)
            let manager = try await harness.verifiedOperator()
            let other = try await harness.verifiedOperator(
                npsn: "P9970001", email: "operator@pkbm.sch.id", username: "operator2")
            let first = try await harness.registerPTK(by: manager)
            try await Self.forgetReservation(of: first, in: harness.store)
            _ = try await harness.registerPTK(
                "Budi Dua", username: "budi2", email: "budisantoso@gmail.com", by: manager)
            _ = try await harness.registerPTK("Ani", username: "ani", email: "ani@yahoo.co.id", by: other)
            try await Self.simulateStoreBeforeReservations(harness.store)
            let failing = FailingAtCallStore(harness.store)
            let service = harness.sibling { $0.store = failing }
            failing.arm(failingCall: call)

            do {
                let report = try await service.reserveMailboxes()
                // Past its last store call: the whole run, once.
                #expect(report.reserved == 4 && report.shared.count == 1)
                #expect(call > 10, "a run over five accounts makes more than ten store calls")
                return
            } catch {
                #expect(error.code == .storage, "call \(call): \(error.code)")
            }
            failing.arm(failingCall: nil)
            let fresh = harness.sibling { _ in }
            let refused = await #expect(throws: VerificationError.self) {
                try await fresh.requestCode(for: first.id, by: first.id)
            }
            #expect(refused?.code == .storeNeedsUpgrade, "call \(call)")
            let rerun = try await fresh.reserveMailboxes()
            #expect(rerun.reserved + rerun.alreadyReserved == 4 && rerun.shared.count == 1, "call \(call): \(rerun)")
            #expect(try await fresh.reserveMailboxes().reserved == 0)
            call += 1
            try #require(call <= 60, "the run never got past its failures")
        }
    }

    @Test(
        "until reserveMailboxes has run over earlier accounts, addresses are neither set nor verified",
        arguments: StoreKind.allCases)
    func refusedUntilReserved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        let code = try await harness.requestedCode(for: budi)
        try await Self.simulateStoreBeforeReservations(harness.store)
        let service = harness.sibling { _ in }  // a service started after the upgrade
        let before = try await harness.commitCount()

        var errors: [VerificationError?] = []
        errors.append(
            await #expect(throws: VerificationError.self) {
                try await service.registerStaff(
                    AccountRegistration(
                        displayName: try DisplayName("Budi Dua"), username: try Username("budi2"),
                        email: try EmailAddress("budisantoso@gmail.com"), password: Harness.ptkPassword),
                    by: manager.id)
            })
        errors.append(
            await #expect(throws: VerificationError.self) {
                try await service.updateStaff(budi.id, email: try EmailAddress("budi@yahoo.co.id"), by: manager.id)
            })
        errors.append(
            await #expect(throws: VerificationError.self) {
                try await service.requestCode(for: budi.id, by: budi.id)
            })
        errors.append(
            await #expect(throws: VerificationError.self) {
                try await service.submitCode(code, for: budi.id, by: budi.id)
            })
        #expect(errors.map(\.?.code) == Array(repeating: .storeNeedsUpgrade, count: 4))
        #expect(errors.first??.message.english.contains("administrator finishes the upgrade") == true)
        #expect(try await harness.commitCount() == before)
        // Logging in and reading go on.
        #expect(try await service.login(identifier: "budi.santoso", password: Harness.ptkPassword).account == budi.id)

        _ = try await service.reserveMailboxes()
        #expect(try await service.submitCode(code, for: budi.id, by: budi.id).outcome == .verified)
    }

    @Test("of two earlier accounts on one mailbox, the verified one keeps it, whichever is read first")
    func verifiedKeepsIt() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        // Its school is read first (NPSN order).
        let other = try await harness.verifiedOperator(
            npsn: "10000001", email: "operator@sd2.sch.id", username: "operator2")
        let verified = try await harness.registerPTK(email: "budisantoso@gmail.com", by: manager)
        let code = try await harness.requestedCode(for: verified)
        #expect(try await harness.service.submitCode(code, for: verified.id, by: verified.id).outcome == .verified)
        try await Self.forgetReservation(of: verified, in: harness.store)
        let unverified = try await harness.registerPTK(
            "Budi Dua", username: "budi2", email: "budi.santoso@gmail.com", by: other)
        try await Self.simulateStoreBeforeReservations(harness.store)

        let report = try await harness.service.reserveMailboxes()

        #expect(
            report.shared == [
                SharedMailbox(
                    account: unverified.id, school: other.schoolNPSN,
                    address: try EmailAddress("budi.santoso@gmail.com"), holder: verified.id)
            ])
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.requestCode(for: unverified.id, by: unverified.id)
        }
        #expect(error?.code == .emailInUse)
        let again = try await harness.service.reserveMailboxes()
        #expect(again.reserved == 0 && again.shared == report.shared)
        // The feed says so, once: the account left without its mailbox, and who holds it now.
        let events = try await harness.service.events(after: .start, limit: 10_000).filter {
            $0.kind == .mailboxReassigned
        }
        #expect(events.map(\.account) == [unverified.id])
        #expect(events.first?.detail?.contains(verified.id.description) == true)
        #expect(events.first?.school == other.schoolNPSN.description)
    }

    @Test(
        "a code sent before the run does not verify the account left out; once the holder moves away it may, and then holds the mailbox"
    )
    func codeSentBefore() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let holder = try await harness.registerPTK(email: "budisantoso@gmail.com", by: manager)
        let code = try await harness.requestedCode(for: holder)
        #expect(try await harness.service.submitCode(code, for: holder.id, by: holder.id).outcome == .verified)
        try await Self.forgetReservation(of: holder, in: harness.store)
        let left = try await harness.registerPTK(
            "Budi Dua", username: "budi2", email: "budi.santoso@gmail.com", by: manager)
        let sent = try await harness.requestedCode(for: left)
        try await Self.simulateStoreBeforeReservations(harness.store)
        #expect(try await harness.service.reserveMailboxes().shared.map(\.account) == [left.id])

        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.submitCode(sent, for: left.id, by: left.id)
        }
        #expect(error?.code == .emailInUse)
        // The holder takes another address: the one left out may verify now, and holds the mailbox.
        _ = try await harness.service.updateStaff(
            holder.id, email: try EmailAddress("budi@sdn1.sch.id"), by: manager.id)
        // The code refused above was not used up.
        #expect(try await harness.service.submitCode(sent, for: left.id, by: left.id).outcome == .verified)
        let third = await #expect(throws: VerificationError.self) {
            try await harness.registerPTK(
                "Budi Tiga", username: "budi3", email: "b.u.d.i.santoso+c@googlemail.com", by: manager)
        }
        #expect(third?.code == .emailInUse)
    }

    @Test(
        "two accounts of a school on one mailbox, the first read changing its address meanwhile: the second gets it, and nothing is listed"
    )
    func claimedThenMoved() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let first = try await harness.registerPTK(by: manager)
        try await Self.forgetReservation(of: first, in: harness.store)
        let second = try await harness.registerPTK(
            "Budi Dua", username: "budi2", email: "budisantoso@gmail.com", by: manager)
        try await Self.simulateStoreBeforeReservations(harness.store)
        // Whichever of the two is read first moves to its own address before the chunk's commit.
        let moved = LockedValue<AccountID?>(nil)
        let racing = ChangingBeforeCommitStore(harness.store) { mutations in
            let mover =
                mutations.contains { $0.key == RecordKey(collection: "account", id: first.id.description) }
                ? first : second
            moved.withLock { $0 = mover.id }
            try await harness.service.markMailboxesReserved()  // as a run elsewhere would, so the change is taken
            _ = try await harness.service.updateStaff(
                mover.id, email: try EmailAddress("budi@sdn1.sch.id"), by: manager.id)
        }
        let service = harness.sibling { $0.store = racing }

        let report = try await service.reserveMailboxes()

        #expect(report.shared.isEmpty, "\(report.shared)")
        let stayed = moved.withLock { $0 } == first.id ? second : first
        let mailbox = RecordKey(collection: "mailbox", id: "budisantoso@gmail.com")
        let holder = try await MailboxReservationTests.holder(of: mailbox, in: harness.store)
        #expect(holder == stayed.id)
    }

    @Test("an address changed while reserveMailboxes runs is read afresh: no reservation is left for the old one")
    func addressChangedMeanwhile() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        try await Self.forgetReservation(of: budi, in: harness.store)
        let racing = ChangingBeforeCommitStore(harness.store) { _ in
            _ = try await harness.service.updateStaff(
                budi.id, email: try EmailAddress("budi@yahoo.co.id"), by: manager.id)
        }
        let service = harness.sibling { $0.store = racing }

        let report = try await service.reserveMailboxes()

        #expect(racing.ran)
        #expect(report.reserved == 0 && report.alreadyReserved == 2 && report.shared.isEmpty)
        let stale = RecordKey(collection: "mailbox", id: "budisantoso@gmail.com")
        #expect(try await harness.store.record(for: stale) == nil)
        #expect(try await harness.store.record(for: RecordKey(collection: "mailbox", id: "budi@yahoo.co.id")) != nil)
    }

    @Test("a person logs in with any spelling of their reserved mailbox; a wrong password is still refused")
    func loginBySpelling() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(email: "budisantoso@gmail.com", by: manager)
        let session = try await harness.service.login(
            identifier: " Budi.Santoso+SD1@GoogleMail.com ", password: Harness.ptkPassword)
        #expect(session.account == budi.id)
        let error = await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "budi.santoso@gmail.com", password: "Salah-Sekali-123")
        }
        #expect(error?.code == .invalidCredentials)
        // Without its reservation (an account stored before them) only its own spelling names it.
        try await Self.forgetReservation(of: budi, in: harness.store)
        await #expect(throws: VerificationError.self) {
            try await harness.service.login(identifier: "budi.santoso@gmail.com", password: Harness.ptkPassword)
        }
        #expect(
            try await harness.service.login(identifier: "budisantoso@gmail.com", password: Harness.ptkPassword).account
                == budi.id)
    }

    @Test(
        "two earlier accounts on one mailbox, neither reserved, typing their right codes at once: exactly one is verified",
        arguments: StoreKind.allCases)
    func concurrentVerifications(_ kind: StoreKind) async throws {
        for _ in 0..<5 {
            let harness = try Harness.make(kind)
            let manager = try await harness.verifiedOperator()
            let first = try await harness.registerPTK(by: manager)
            let firstCode = try await harness.requestedCode(for: first)
            try await Self.forgetReservation(of: first, in: harness.store)
            let second = try await harness.registerPTK(
                "Budi Dua", username: "budi2", email: "budisantoso@gmail.com", by: manager)
            let secondCode = try await harness.requestedCode(for: second)
            try await Self.forgetReservation(of: second, in: harness.store)

            let outcomes = await withTaskGroup(of: VerificationError.Code?.self) { group in
                for (account, code) in [(first, firstCode), (second, secondCode)] {
                    group.addTask {
                        do {
                            let result = try await harness.service.submitCode(code, for: account.id, by: account.id)
                            return result.outcome == .verified ? nil : .invalidInput
                        } catch let error as VerificationError {
                            return error.code
                        } catch {
                            return .storage
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }

            #expect(outcomes.filter { $0 == nil }.count == 1, "\(outcomes)")
            #expect(outcomes.contains(VerificationError.Code.emailInUse), "\(outcomes)")
            let verified = try await [first, second].asyncFilter { account in
                try await harness.service.accountOverview(by: account.id).isVerified
            }
            #expect(verified.count == 1)
            let mailbox = RecordKey(collection: "mailbox", id: "budisantoso@gmail.com")
            #expect(try await Self.holder(of: mailbox, in: harness.store) == verified.first?.id)
        }
    }

    /// Removes `account`'s mailbox reservation, so that another spelling of its mailbox can be
    /// registered as before reservations existed.
    static func forgetReservation(of account: Account, in store: any RecordStore) async throws {
        let key = RecordKey(collection: "mailbox", id: try #require(account.email).mailbox)
        #expect(try await store.record(for: key) != nil)
        try await store.commit([.delete(key, expecting: .any)])
    }

    /// Removes every mailbox reservation and the mark that they are complete: a store written
    /// before reservations existed.
    static func simulateStoreBeforeReservations(_ store: any RecordStore) async throws {
        var keys = Set<RecordKey>()
        for batch in try await store.changes(after: 0, limit: Int.max) {
            for put in batch.puts where put.key.collection == "mailbox" { keys.insert(put.key) }
        }
        let mutations =
            keys.map { Mutation.delete($0, expecting: .any) }
            + [.delete(RecordKey(collection: "upgrade", id: "mailboxReservations"), expecting: .any)]
        try await store.commit(mutations)
    }

    /// The account a mailbox reservation names.
    static func holder(of key: RecordKey, in store: any RecordStore) async throws -> AccountID? {
        guard let record = try await store.record(for: key) else { return nil }
        return try MailboxReservation.decodedRecord(record.value, version: record.version).account
    }
}

/// A store that runs `change` once, before the first commit that reserves a mailbox: another
/// request's commit landing between a read and the commit that relies on it.
final class ChangingBeforeCommitStore: ForwardingRecordStore {
    let base: any RecordStore
    private let change: @Sendable ([Mutation]) async throws -> Void
    private let state = LockedValue(false)

    init(_ base: any RecordStore, change: @escaping @Sendable ([Mutation]) async throws -> Void) {
        self.base = base
        self.change = change
    }

    /// Whether `change` has run.
    var ran: Bool { state.withLock { $0 } }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        let first = state.withLock { ran in
            guard !ran, mutations.contains(where: { $0.key.collection == "mailbox" }) else { return false }
            ran = true
            return true
        }
        if first { try await change(mutations) }
        return try await base.commit(mutations)
    }
}

extension Array {
    /// The elements for which `isIncluded` holds, asked one after another.
    fileprivate func asyncFilter(_ isIncluded: (Element) async throws -> Bool) async rethrows -> [Element] {
        var kept: [Element] = []
        for element in self where try await isIncluded(element) { kept.append(element) }
        return kept
    }
}
