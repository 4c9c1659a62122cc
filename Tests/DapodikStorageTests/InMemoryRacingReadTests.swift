import DapodikStorage
import DapodikTestSupport
import Foundation
import Synchronization
import Testing

/// Reads racing commits in the in-memory store: every read must see a state that some prefix of the
/// commits produced, and the reads of one task prefixes that never go back, so a read never sees half a
/// commit. Written for issue 15's reads without the commit lock (records in shards by key, tried and not
/// kept, see `Documentation/PerformanceHistory.md`); it guards any later read path that leaves the lock.
@Suite("In-memory store's reads racing commits")
struct InMemoryRacingReadTests {
    @Test("readers racing committers on seeded batches: every read sees a prefix of the commits, never half of one")
    func racingReadsSeeWholeCommits() async throws {
        let store = InMemoryRecordStore()
        // One committer and two readers, each on a thread of its own (``ThreadPerJobExecutor``): the
        // store's calls never suspend, so on the cooperative pool, shared with the tests running
        // beside this one, the tasks could run one after the other and never overlap. The first reader
        // reads by key only, so that it never waits for a commit to end; the second reads every way.
        let committers = 1
        let batchesPerCommitter = 3_000
        let readers = 2
        // Readers read until the committer is done (at most this many reads each).
        let readsPerReader = 1_000_000
        let committing = CommittingFlag()
        let observations = try await withThrowingTaskGroup(of: [Observation]?.self) { group in
            for committer in 0..<committers {
                group.addTask(executorPreference: ThreadPerJobExecutor.shared) {
                    var generator = SeededGenerator(seed: 0x15_5000 + UInt64(committer))
                    defer { committing.value.store(false, ordering: .releasing) }
                    while committing.readersStarted.load(ordering: .acquiring) < readers { await Task.yield() }
                    for _ in 0..<batchesPerCommitter {
                        do {
                            try await store.commit(RacingWorkload.randomBatch(using: &generator))
                        } catch let error as StoreError where error.code == .uniqueConstraint {
                            // A unique value held by a record the batch does not write: nothing changes.
                        }
                    }
                    return nil
                }
            }
            for reader in 0..<readers {
                group.addTask(executorPreference: ThreadPerJobExecutor.shared) {
                    var generator = SeededGenerator(seed: 0x15_6000 + UInt64(reader))
                    var seen: [Observation] = []
                    committing.readersStarted.add(1, ordering: .releasing)
                    while seen.count < readsPerReader, committing.value.load(ordering: .acquiring) {
                        seen.append(
                            try await RacingWorkload.randomRead(of: store, byKeyOnly: reader == 0, using: &generator))
                    }
                    return seen
                }
            }
            var all: [[Observation]] = []
            for try await part in group { if let part { all.append(part) } }
            return all
        }

        let feed = try await store.changes(after: 0, limit: .max)
        // Most batches must have gone in for the race to mean anything.
        #expect(feed.count > committers * batchesPerCommitter / 2, "\(feed.count) commits")
        let states = RacingWorkload.statesAfterEachPrefix(of: feed)
        // Reads that saw some commits but not all: the readers overlapped the committer.
        var readsAmidCommits = 0
        for (reader, seen) in observations.enumerated() {
            // The earliest prefix each read can have seen, never before the previous read's.
            var prefix = 0
            for (number, observation) in seen.enumerated() {
                guard let matching = (prefix..<states.count).first(where: { observation.matches(states[$0]) }) else {
                    Issue.record("reader \(reader), read \(number): \(observation) matches no prefix from \(prefix) on")
                    break
                }
                prefix = matching
                if prefix > 0, prefix < feed.count { readsAmidCommits += 1 }
            }
        }
        #expect(observations.count == readers)
        #expect(readsAmidCommits > 1_000, "\(readsAmidCommits) reads amid the commits")
        let summaries = store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }
}

/// Whether the committer is still at work, for the readers to stop when it is done.
private final class CommittingFlag: Sendable {
    let value = Atomic<Bool>(true)
    /// How many readers have begun: the committer starts when all have.
    let readersStarted = Atomic<Int>(0)
}

/// One read and what it returned.
private enum Observation: CustomStringConvertible {
    case byKey(RecordKey, Record?)
    case byUnique(String, Record?)
    case byValue(String, [Record])

    func matches(_ state: RacingWorkload.State) -> Bool {
        switch self {
        case .byKey(let key, let record): state.records[key] == record
        case .byUnique(let value, let record): state.holder(of: value) == record
        case .byValue(let value, let records): state.members(of: value) == records
        }
    }

    var description: String {
        switch self {
        case .byKey(let key, let record): "record(for: \(key)) = \(record.map { "\($0.sequence)" } ?? "nil")"
        case .byUnique(let value, let record): "unique \(value) = \(record.map { "\($0.key)" } ?? "nil")"
        case .byValue(let value, let records): "where \(value) = \(records.map(\.key))"
        }
    }
}

/// Batches over a dozen keys that write several keys at once, and reads of
/// them by key, by unique value and by non-unique value.
private enum RacingWorkload {
    static let ids = (0..<12).map { "k\($0)" }
    static let uniqueValues = (0..<24).map { "u\($0)" }
    static let groupValues = ["g0", "g1", "g2"]

    /// What the records are after some prefix of the commits.
    struct State {
        var records: [RecordKey: Record] = [:]

        func holder(of value: String) -> Record? {
            records.values.first { record in record.indexes.contains { $0.isUnique && $0.value == value } }
        }

        func members(of value: String) -> [Record] {
            records.values.filter { record in record.indexes.contains { !$0.isUnique && $0.value == value } }
                .sorted { $0.key < $1.key }
        }
    }

    /// Two to five puts or deletes of distinct keys, all expecting nothing: only a unique value
    /// held elsewhere makes one fail.
    static func randomBatch(using generator: inout SeededGenerator) -> [Mutation] {
        var batch: [Mutation] = []
        for id in ids.shuffled(using: &generator).prefix(Int.random(in: 2...5, using: &generator)) {
            let key = RecordKey(collection: "r", id: id)
            if Int.random(in: 0..<6, using: &generator) == 0 {
                batch.append(.delete(key, expecting: .any))
                continue
            }
            var indexes: [IndexEntry] = [.nonUnique("group", groupValues.randomElement(using: &generator)!)]
            if Bool.random(using: &generator) {
                indexes.append(.unique("tag", uniqueValues.randomElement(using: &generator)!))
            }
            let value = Data("\(id)-\(UInt32.random(in: 0...UInt32.max, using: &generator))".utf8)
            batch.append(.put(key, value: value, indexes: indexes, expecting: .any))
        }
        return batch
    }

    static func randomRead(
        of store: InMemoryRecordStore, byKeyOnly: Bool, using generator: inout SeededGenerator
    ) async throws -> Observation {
        switch byKeyOnly ? 7 : Int.random(in: 0..<8, using: &generator) {
        case 0:
            let value = uniqueValues.randomElement(using: &generator)!
            return .byUnique(value, try await store.record(whereUnique: "tag", equals: value))
        case 1:
            let value = groupValues.randomElement(using: &generator)!
            return .byValue(value, try await store.records(where: "group", equals: value))
        default:
            let key = RecordKey(collection: "r", id: ids.randomElement(using: &generator)!)
            return .byKey(key, try await store.record(for: key))
        }
    }

    /// The state after no commit, after the first, after the first two, … after all of `feed`.
    static func statesAfterEachPrefix(of feed: [ChangeBatch]) -> [State] {
        var states = [State()]
        states.reserveCapacity(feed.count + 1)
        for batch in feed {
            var next = states[states.count - 1]
            for record in batch.puts { next.records[record.key] = record }
            for key in batch.deletes { next.records[key] = nil }
            states.append(next)
        }
        return states
    }
}
