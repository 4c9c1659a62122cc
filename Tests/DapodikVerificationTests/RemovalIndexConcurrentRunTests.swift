import DapodikLocking
import DapodikStorage
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// Two runs of ``VerificationService/indexRecordsForRemoval(progress:)`` at once (two hosts of a
/// rolling upgrade, two operators): neither says it is complete before the change feed up to its
/// start has been read.
@Suite(.timeLimit(.minutes(10)))
struct RemovalIndexConcurrentRunTests {
    @Test(
        "a run whose progress another run's start replaced still reads the whole feed before it says it is complete",
        arguments: TestedStore.all)
    func otherRunStarted(_ kind: TestedStore) async throws {
        try await RemovalIndexBackfillTests.withScene(kind) { scene in
            let harness = scene.harness
            let key = RemovalIndexProgress.storedKey.recordKey
            // Between this run's start and its first advance, another run starts: it finds the progress
            // without a stored end (this run's start) and writes its own start over it.
            let store = ProgressRaceStore(harness.store, progress: key) {
                let stored = try #require(try await harness.store.record(for: key))
                let started = try RemovalIndexProgress(
                    through: Loaded<RemovalIndexProgress>(decoding: stored).value.through, upTo: 0)
                try await harness.store.commit([
                    .put(key, value: try started.encodedRecord(), indexes: [], expecting: .version(stored.version))
                ])
            }
            let service = harness.sibling { $0.store = store }
            let report = try await service.indexRecordsForRemoval()
            #expect(report.isComplete && store.hasRun)
            for (key, original) in scene.original {
                let entries = try await RemovalIndexBackfillTests.entries(harness.store, key)
                #expect(entries == Set(original.indexes), "\(key)")
            }
        }
    }
}

/// A store whose change feed answers one commit at a time (a run reads it in many rounds), and that
/// runs `hook` once, just before the second commit that writes the run's progress (its first
/// advance, after its start).
final class ProgressRaceStore: ForwardingRecordStore {
    let base: any RecordStore
    private let progress: RecordKey
    private let state: LockedValue<(commits: Int, hook: (@Sendable () async throws -> Void)?)>

    init(_ base: any RecordStore, progress: RecordKey, hook: @escaping @Sendable () async throws -> Void) {
        self.base = base
        self.progress = progress
        state = LockedValue((0, hook))
    }

    /// Whether the hook has run.
    var hasRun: Bool { state.withLock { $0.hook == nil } }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        try await base.changes(after: sequence, limit: min(limit, 1))
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        let hook = state.withLock { state -> (@Sendable () async throws -> Void)? in
            guard mutations.contains(where: { $0.key == progress }) else { return nil }
            state.commits += 1
            return state.commits == 2 ? state.hook.take() : nil
        }
        if let hook { try await hook() }
        return try await base.commit(mutations)
    }
}
