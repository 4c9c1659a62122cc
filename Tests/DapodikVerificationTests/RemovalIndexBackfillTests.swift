import DapodikLocking
import DapodikStorage
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// Records an earlier version wrote without the entry by which they are removed (idle quotas, idle
/// identifier throttle records, outbox messages done with) get it from the one-off run, and are then
/// removed like the others; the run changes nothing twice, goes on where a run cut short stopped, and
/// never overwrites a record changed meanwhile.
@Suite(.timeLimit(.minutes(10)))
struct RemovalIndexBackfillTests {
    /// The records of a store an earlier version wrote: one of each kind, their removal entries taken
    /// away, with the records as the service wrote them (entries included).
    struct Scene {
        let harness: Harness
        let manager: Account
        let original: [RecordKey: Record]
    }

    /// Runs `body` with a verified operator (an address quota and an outbox message done with), a check
    /// of staff rows (the operator's check quota) and a failed login with an unknown identifier (its
    /// throttle record), each record then written again without its removal entry, as an earlier
    /// version wrote it.
    static func withScene(_ kind: TestedStore, _ body: (Scene) async throws -> Void) async throws {
        try await Harness.with(kind) { harness in
            let manager = try await harness.verifiedOperator()
            _ = try await harness.service.checkStaff(try StaffCheckQuotaPruningTests.rows(0..<2), by: manager.id)
            await ThrottlePruningTests.failLogin(harness.service, as: "tamu@contoh.id")
            var original: [RecordKey: Record] = [:]
            for collection in [
                AddressQuota.collection, StaffCheckQuota.collection, LoginThrottlePolicy.State.collection,
                OutboxMessage.collection,
            ] {
                for id in try await ThrottlePruningTests.liveKeys(harness.store, collection: collection) {
                    let key = RecordKey(collection: collection, id: id)
                    let record = try #require(try await harness.store.record(for: key))
                    let name = try #require(VerificationService.removalIndexName(of: collection))
                    guard record.indexes.contains(where: { $0.name == name }) else { continue }
                    original[key] = record
                    try await harness.store.commit([
                        .put(
                            key, value: record.value, indexes: record.indexes.filter { $0.name != name },
                            expecting: .version(record.version))
                    ])
                }
            }
            // The operator's address quota and code message, its check quota, the identifier's record.
            #expect(Set(original.keys.map(\.collection)).count == 4)
            try await body(Scene(harness: harness, manager: manager, original: original))
        }
    }

    /// The index entries of the record at `key`, as a set.
    static func entries(_ store: any RecordStore, _ key: RecordKey) async throws -> Set<IndexEntry> {
        Set(try #require(try await store.record(for: key)).indexes)
    }

    @Test(
        "each record written before the entries gets the entries the service writes, bytes unchanged",
        arguments: TestedStore.all)
    func entriesGiven(_ kind: TestedStore) async throws {
        try await Self.withScene(kind) { scene in
            let report = try await scene.harness.service.indexRecordsForRemoval()
            #expect(report.recordsIndexed == scene.original.count && report.isComplete)
            for (key, original) in scene.original {
                let record = try #require(try await scene.harness.store.record(for: key))
                #expect(Set(record.indexes) == Set(original.indexes), "\(key)")
                #expect(record.value == original.value, "\(key)")
            }
        }
    }

    @Test("once given their entries, the records are removed like those written since", arguments: TestedStore.all)
    func thenRemoved(_ kind: TestedStore) async throws {
        try await Self.withScene(kind) { scene in
            let harness = scene.harness
            try await harness.service.indexRecordsForRemoval()
            // Past the retention: the operator's verified code's message goes at the next round.
            harness.clock.advance(by: 31 * 86_400)
            #expect(try await harness.service.drainOutbox().removed == 1)
            // Another operator's code, another identifier, another operator's check: each removes the idle one.
            let other = try await harness.verifiedOperator(
                npsn: "20100102", email: "operator@sdn2.sch.id", username: "operator2")
            await ThrottlePruningTests.failLogin(harness.service, as: "tamu-lain@contoh.id")
            _ = try await harness.service.checkStaff(try StaffCheckQuotaPruningTests.rows(2..<4), by: other.id)
            for key in scene.original.keys {
                #expect(try await harness.store.record(for: key) == nil, "\(key)")
            }
        }
    }

    @Test("a finished run is not repeated, and changes nothing", arguments: TestedStore.all)
    func runOnce(_ kind: TestedStore) async throws {
        try await Self.withScene(kind) { scene in
            try await scene.harness.service.indexRecordsForRemoval()
            let commits = try await scene.harness.commitCount()
            let again = try await scene.harness.service.indexRecordsForRemoval()
            #expect(again.changesRead == 0 && again.recordsIndexed == 0 && again.isComplete)
            #expect(try await scene.harness.commitCount() == commits)
        }
    }

    @Test(
        "a run cut short by a failing store at any of its calls leaves each record whole, and the next run finishes it",
        arguments: TestedStore.all)
    func resumed(_ kind: TestedStore) async throws {
        try await Self.withScene(kind) { scene in
            let failing = FailingAtCallStore(scene.harness.store)
            let service = scene.harness.sibling { $0.store = failing }
            var failedRuns = 0
            while true {
                failing.arm(failingCall: failedRuns + 1)
                do {
                    let report = try await service.indexRecordsForRemoval()
                    #expect(report.isComplete)
                    break
                } catch let error as VerificationError {
                    failedRuns += 1
                    #expect(error.code == .storage)
                    // Each record has its entry whole or not at all.
                    for (key, original) in scene.original {
                        let entries = try await Self.entries(scene.harness.store, key)
                        #expect(entries == Set(original.indexes) || entries.count == original.indexes.count - 1)
                    }
                    try #require(failedRuns < 50)
                }
            }
            failing.arm(failingCall: nil)
            // Cut short at its start, at reading the feed, at each read of a record, at the rewrite, at
            // storing how far it got.
            #expect(failedRuns >= 8)
            for (key, original) in scene.original {
                #expect(try await Self.entries(scene.harness.store, key) == Set(original.indexes), "\(key)")
            }
            let commits = try await scene.harness.commitCount()
            #expect(try await service.indexRecordsForRemoval().changesRead == 0)
            #expect(try await scene.harness.commitCount() == commits)
        }
    }

    @Test(
        "a record changed between its read and its rewrite is read afresh and given its entry, never overwritten",
        arguments: TestedStore.all)
    func concurrentWriteKept(_ kind: TestedStore) async throws {
        try await Self.withScene(kind) { scene in
            let harness = scene.harness
            let key = try #require(scene.original.keys.first { $0.collection == AddressQuota.collection })
            // Just before the run's rewrite of the quota is committed, another process (of the earlier
            // version: no entry) counts another send in it.
            let later = harness.clock.now
            let store = BeforeCommitStore(harness.store, touching: key) {
                let record = try #require(try await harness.store.record(for: key))
                var quota = try Loaded<AddressQuota>(decoding: record).value
                quota.sends.append(later)
                try await harness.store.commit([
                    .put(key, value: try quota.encodedRecord(), indexes: [], expecting: .version(record.version))
                ])
            }
            let service = harness.sibling { $0.store = store }
            let report = try await service.indexRecordsForRemoval()
            #expect(report.isComplete && store.hasRun)
            let record = try #require(try await harness.store.record(for: key))
            let quota = try Loaded<AddressQuota>(decoding: record).value
            #expect(quota.sends.count == 2 && quota.sends.last == later)
            #expect(record.indexes == quota.indexEntries)
        }
    }
}

/// A store that runs `hook` once, just before the first commit that writes `key`: a concurrent
/// writer that gets there between a read and the commit that follows it.
final class BeforeCommitStore: ForwardingRecordStore {
    let base: any RecordStore
    private let key: RecordKey
    private let hook: @Sendable () async throws -> Void
    private let ran = LockedValue(false)

    init(_ base: any RecordStore, touching key: RecordKey, hook: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.key = key
        self.hook = hook
    }

    /// Whether the hook has run.
    var hasRun: Bool { ran.withLock { $0 } }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        if mutations.contains(where: { $0.key == key }),
            ran.withLock({ (ran: inout Bool) -> Bool in
                defer { ran = true }
                return !ran
            })
        {
            try await hook()
        }
        return try await base.commit(mutations)
    }
}
