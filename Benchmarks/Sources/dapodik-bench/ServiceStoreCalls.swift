import BenchmarkHarness
import BenchmarkReport
import DapodikStorage
import Foundation
import Synchronization

/// The store's part of the service's cycle, measured alone: every call ``ServiceCycle`` makes of its
/// ``RecordStore`` (reads and commits, the same keys, bytes and indexes, in the same order) is recorded
/// on one in-memory store, then replayed on a fresh one and timed cycle by cycle.
///
/// No code of the service can make its cycle faster than this: it is the floor under issue 15's
/// `service-cycle` figure on the same host, and the service's own work is the difference. The floor is
/// a lower bound: the replay shares the recorded payloads instead of allocating them again, so the
/// store's heap grows by less than under the service.
enum ServiceStoreCalls {
    /// Records `warmUp + cycles` service cycles at 1 client, then replays their store calls.
    /// - Parameters:
    ///   - cycles: Timed cycles.
    ///   - round: The round, for the result.
    /// - Returns: The replay's statistics, and what one cycle asks of the store.
    static func run(cycles: Int, round: Int) async throws -> BenchmarkResult {
        let warmUp = max(2, cycles / 20)
        let recorder = StoreCallRecorder(recording: InMemoryRecordStore())
        let service = try await ServiceCycle.make(accounts: warmUp + cycles, store: recorder)
        var cycleStarts: [Int] = []
        for index in 0..<(warmUp + cycles) {
            cycleStarts.append(recorder.callCount)
            try await service.cycle(index)
        }
        let calls = recorder.calls
        cycleStarts.append(calls.count)
        let starts = cycleStarts

        let store = InMemoryRecordStore()
        try await replay(calls[..<starts[0]], on: store)
        let statistics = try await Measure.concurrent(clients: 1, warmUp: warmUp, operationsPerClient: cycles) {
            _, iteration in
            try await replay(calls[starts[iteration]..<starts[iteration + 1]], on: store)
        }
        let timed = calls[starts[warmUp]...]
        let perCycle = { (count: Int) in (Double(count) / Double(cycles) * 10).rounded() / 10 }
        return BenchmarkResult(
            scenario: "cycle.memory", variant: BenchmarkResult.variant(clients: 1),
            subject: Report.serviceStoreCallsSubject, round: round, statistics: statistics,
            figures: [
                "readsPerCycle": perCycle(timed.count { !$0.isCommit }),
                "commitsPerCycle": perCycle(timed.count(where: \.isCommit)),
                "mutationsPerCycle": perCycle(timed.reduce(0) { $0 + $1.mutationCount }),
            ])
    }

    /// Makes each recorded call again on `store`; a commit must get the sequence it got when recorded,
    /// or the replay did not do the same work and the run fails.
    private static func replay(_ calls: ArraySlice<StoreCall>, on store: InMemoryRecordStore) async throws {
        for call in calls {
            switch call {
            case .record(let key):
                _ = try await store.record(for: key)
            case .unique(let index, let value):
                _ = try await store.record(whereUnique: index, equals: value)
            case .nonUnique(let index, let value):
                _ = try await store.records(where: index, equals: value)
            case .range(let index, let lower, let upper, let limit):
                _ = try await store.records(in: index, from: lower, to: upper, limit: limit)
            case .changes(let sequence, let limit):
                _ = try await store.changes(after: sequence, limit: limit)
            case .commit(let mutations, let sequence):
                let replayed = try? await store.commit(mutations)
                guard replayed == sequence else {
                    throw ClientFailure(
                        description: "replayed commit got sequence \(replayed.map(String.init) ?? "none"), "
                            + "recorded \(sequence.map(String.init) ?? "none")")
                }
            }
        }
    }
}

/// One call of a ``RecordStore``, as ``StoreCallRecorder`` saw it.
enum StoreCall: Sendable {
    case record(RecordKey)
    case unique(index: String, value: String)
    case nonUnique(index: String, value: String)
    case range(index: String, lower: String, upper: String, limit: Int)
    case changes(after: UInt64, limit: Int)
    /// A commit, with the sequence it returned (`nil` when it threw).
    case commit([Mutation], sequence: UInt64?)

    var isCommit: Bool {
        if case .commit = self { true } else { false }
    }

    var mutationCount: Int {
        if case .commit(let mutations, _) = self { mutations.count } else { 0 }
    }
}

/// A ``RecordStore`` that passes every call on to another and keeps a list of them, in call order.
final class StoreCallRecorder: RecordStore {
    private let store: any RecordStore
    private let recorded = Mutex<[StoreCall]>([])

    init(recording store: any RecordStore) { self.store = store }

    /// The calls so far.
    var calls: [StoreCall] { recorded.withLock { $0 } }
    /// How many calls so far.
    var callCount: Int { recorded.withLock { $0.count } }

    func record(for key: RecordKey) async throws -> Record? {
        keep(.record(key))
        return try await store.record(for: key)
    }

    func record(whereUnique index: String, equals value: String) async throws -> Record? {
        keep(.unique(index: index, value: value))
        return try await store.record(whereUnique: index, equals: value)
    }

    func records(where index: String, equals value: String) async throws -> [Record] {
        keep(.nonUnique(index: index, value: value))
        return try await store.records(where: index, equals: value)
    }

    func records(in index: String, from lower: String, to upper: String, limit: Int) async throws -> [Record] {
        keep(.range(index: index, lower: lower, upper: upper, limit: limit))
        return try await store.records(in: index, from: lower, to: upper, limit: limit)
    }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        do {
            let sequence = try await store.commit(mutations)
            keep(.commit(mutations, sequence: sequence))
            return sequence
        } catch {
            keep(.commit(mutations, sequence: nil))
            throw error
        }
    }

    func changes(after sequence: UInt64, limit: Int) async throws -> [ChangeBatch] {
        keep(.changes(after: sequence, limit: limit))
        return try await store.changes(after: sequence, limit: limit)
    }

    func changeSignalMark(for collection: String) -> ChangeSignalMark {
        store.changeSignalMark(for: collection)
    }

    func waitForChanges(in collection: String, since mark: ChangeSignalMark, atMost limit: Duration) async {
        await store.waitForChanges(in: collection, since: mark, atMost: limit)
    }

    private func keep(_ call: StoreCall) {
        recorded.withLock { $0.append(call) }
    }
}
