import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// A record an idle index lists that does not decode (damaged, or written by a version whose format
/// this one does not read) is not removed, since whether it still counts cannot be known: it keeps its
/// bytes and leaves the index, so that it does not stand before the idle records for ever and stop
/// every later write from removing them.
@Suite(.timeLimit(.minutes(5)))
struct UndecodableIdleRecordTests {
    @Test(
        "address quotas listed as idle that do not decode keep their bytes and leave the index; idle quotas behind them are removed",
        arguments: StoreKind.allCases)
    func undecodableQuotasLeaveTheIndex(_ kind: StoreKind) async throws {
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
        // two requests take the damaged ones off the index (and the second removes the operator's), the
        // third removes the first PTK's.
        harness.clock.advance(by: 26 * 3600)
        for other in ptk[1...3] { try await AddressQuotaPruningTests.requestCode(harness.service, for: other) }

        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: AddressQuota.collection)
        #expect(live == Set(damaged.map(\.id) + ptk[1...3].map { $0.email!.mailbox }), "\(live.sorted())")
        for key in damaged { #expect(try await harness.store.record(for: key)?.value == bytes, "\(key)") }
        let indexed = try await harness.store.records(
            in: AddressQuota.idleIndex.name, from: "", to: "~", limit: 100)
        #expect(Set(indexed.map(\.key)).isDisjoint(with: damaged), "\(indexed.map(\.key))")
    }
}
