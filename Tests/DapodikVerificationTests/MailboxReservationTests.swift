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
        let third = try await harness.registerPTK("Ani", username: "ani", email: "ani@yahoo.co.id", by: other)
        for account in [second, third] { try await Self.forgetReservation(of: account, in: harness.store) }
        let counts = LockedValue<[Int]>([])

        let report = try await harness.service.reserveMailboxes { read in counts.withLock { $0.append(read) } }

        #expect(report.accountsRead == 5)
        #expect(report.reserved == 2)
        #expect(report.alreadyReserved == 2)
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

    @Test("an address changed while reserveMailboxes runs is read afresh: no reservation is left for the old one")
    func addressChangedMeanwhile() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        try await Self.forgetReservation(of: budi, in: harness.store)
        let racing = ChangingBeforeCommitStore(harness.store) {
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

    /// Removes `account`'s mailbox reservation, as in a store written before reservations existed.
    static func forgetReservation(of account: Account, in store: any RecordStore) async throws {
        let key = RecordKey(collection: "mailbox", id: try #require(account.email).mailbox)
        #expect(try await store.record(for: key) != nil)
        try await store.commit([.delete(key, expecting: .any)])
    }
}

/// A store that runs `change` once, before the first commit that reserves a mailbox: another
/// request's commit landing between a read and the commit that relies on it.
final class ChangingBeforeCommitStore: ForwardingRecordStore {
    let base: any RecordStore
    private let change: @Sendable () async throws -> Void
    private let state = LockedValue(false)

    init(_ base: any RecordStore, change: @escaping @Sendable () async throws -> Void) {
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
        if first { try await change() }
        return try await base.commit(mutations)
    }
}
