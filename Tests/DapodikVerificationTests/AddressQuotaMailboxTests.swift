import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikVerification

/// The daily limit of mails per address counts what reaches one inbox: the spellings of a mailbox
/// (``EmailAddress/mailbox``: Gmail's dots, a `+` subaddress) share one count, as they share one
/// account.
@Suite(.timeLimit(.minutes(10)))
struct AddressQuotaMailboxTests {
    @Test(
        "a mailbox sent its day's codes gets none more under another spelling, through another account",
        arguments: StoreKind.allCases)
    func spellingsShareTheLimit(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = try harness.sibling {
            $0.policy = try VerificationPolicy(resendCooldown: .zero, maximumMailsPerAddressPerDay: 2)
        }
        let manager = try await harness.verifiedOperator()
        let first = try await harness.registerPTK(by: manager)
        for _ in 0..<2 { _ = try await service.requestCode(for: first.id, by: first.id) }
        let refused = try #require(
            await #expect(throws: VerificationError.self) {
                try await service.requestCode(for: first.id, by: first.id)
            })
        #expect(refused.code == .resendNotAllowed)
        // The operator moves the first PTK to another address, freeing the mailbox, and gives it to a
        // second PTK in another spelling: the same inbox, which has had its two codes today.
        _ = try await service.updateStaff(first.id, email: try EmailAddress("lain@gmail.com"), by: manager.id)
        let second = try await harness.registerPTK(
            "Budi Lain", username: "budi.lain", email: "budisantoso+ptk@gmail.com", by: manager)
        let again = try #require(
            await #expect(throws: VerificationError.self) {
                try await service.requestCode(for: second.id, by: second.id)
            })
        #expect(again.code == .resendNotAllowed)
        let codes = harness.transport.deliveries.filter { delivery in
            delivery.envelope.recipients.contains { $0.mailbox == "budisantoso@gmail.com" }
                && verificationCode(in: delivery.message.text) != nil
        }
        #expect(codes.count == 2)
    }

    @Test(
        "a quota written before quotas were keyed by mailbox still counts, and the next send folds it in",
        arguments: StoreKind.allCases)
    func earlierQuotaCounts(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = try harness.sibling {
            $0.policy = try VerificationPolicy(resendCooldown: .zero, maximumMailsPerAddressPerDay: 2)
        }
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        let address = try #require(budi.email)
        #expect(address.canonical != address.mailbox)
        // One send an hour ago, counted under the canonical address as the quota was keyed before.
        var batch = Batch()
        try batch.put(
            AddressQuota(sends: [harness.clock.now.addingTimeInterval(-3600).atStoredPrecision]),
            at: StoredKey(address.canonical), replacing: nil)
        _ = try await harness.store.commit(batch.mutations)
        _ = try await service.requestCode(for: budi.id, by: budi.id)
        let refused = try #require(
            await #expect(throws: VerificationError.self) {
                try await service.requestCode(for: budi.id, by: budi.id)
            })
        #expect(refused.code == .resendNotAllowed)
        #expect(harness.codes(to: address).count == 1)
        // The send that went folded the earlier record into the mailbox's: one record, both sends.
        #expect(try await harness.store.load(AddressQuota.storedKey(address))?.value.sends.count == 2)
        #expect(try await harness.store.load(StoredKey<AddressQuota>(address.canonical)) == nil)
    }

    @Test(
        "an earlier quota idle past the grace is both folded in and listed for removal: the request still sends",
        arguments: StoreKind.allCases)
    func earlierIdleQuota(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let budi = try await harness.registerPTK(by: manager)
        let address = try #require(budi.email)
        // Written 26 hours ago under the canonical address, with its idle index entry.
        var batch = Batch()
        try batch.put(
            AddressQuota(sends: [harness.clock.now.addingTimeInterval(-26 * 3600).atStoredPrecision]),
            at: StoredKey(address.canonical), replacing: nil)
        _ = try await harness.store.commit(batch.mutations)
        _ = try await harness.service.requestCode(for: budi.id, by: budi.id)
        #expect(harness.codes(to: address).count == 1)
        #expect(try await harness.store.load(AddressQuota.storedKey(address))?.value.sends.count == 1)
        #expect(try await harness.store.load(StoredKey<AddressQuota>(address.canonical)) == nil)
    }
}
