import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// Whether a record is idle is decided by its `idleFrom` index entry, written in the same commit as its
/// value, and the record is never decoded to remove it (a quota of checked rows is up to 129 KB): a
/// record the index lists as idle is removed even when its bytes no longer decode (damaged, or written
/// by a version whose format this one does not read), since the entry written with it says it counts
/// nothing, and it does not stand before the idle records behind it.
@Suite(.timeLimit(.minutes(5)))
struct UndecodableIdleRecordTests {
    @Test(
        "address quotas listed as idle are removed without being decoded, damaged ones too; idle quotas behind them as well",
        arguments: StoreKind.allCases)
    func undecodableQuotasRemoved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await AddressQuotaPruningTests.registerPTK(0..<4, in: harness, by: manager)
        try await AddressQuotaPruningTests.requestCode(harness.service, for: ptk[0])
        // Three records listed idle since 1970, before every quota the service writes, that no version reads.
        let bytes = Data("bukan kuota".utf8)
        let damaged = (0..<3).map { RecordKey(collection: AddressQuota.collection, id: "rusak\($0)@gmail.com") }
        let listed = AddressQuota.idleIndex.entry(OutboxMessage.dueBound(Date(timeIntervalSince1970: 0)))
        try await harness.store.commit(
            damaged.map { .put($0, value: bytes, indexes: [listed], expecting: .mustNotExist) })

        // A day later the operator's and the first PTK's quotas are idle too, behind the damaged ones:
        // three requests remove two each, the damaged ones first.
        harness.clock.advance(by: 26 * 3600)
        for other in ptk[1...3] { try await AddressQuotaPruningTests.requestCode(harness.service, for: other) }

        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: AddressQuota.collection)
        #expect(live == Set(ptk[1...3].map { $0.email!.mailbox }), "\(live.sorted())")
        let indexed = try await harness.store.records(
            in: AddressQuota.idleIndex.name, from: "", to: "~", limit: 100)
        #expect(Set(indexed.map(\.key.id)) == live, "\(indexed.map(\.key))")
    }
}
