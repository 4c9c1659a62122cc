import DapodikStorage

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// A limit's record (the sends to an address, an operator's checked rows) outlives its window: once
// everything it counts has left the window, it limits exactly what no record limits, yet it would stay
// forever, one per address or operator ever counted. Such records carry a non-unique index of when
// they go idle (`<kind>.idleFrom`, in the fixed-width form of `OutboxMessage.dueBound(_:)`), and each
// write of their kind removes a few, in its own commit: no commit of its own, and a count that does
// not grow while the limit is in use.
extension VerificationService {
    /// The most idle records one write removes: more than the one record it may add, so that idle
    /// records do not pile up, and few, so that the write stays cheap.
    static let idleRecordsRemovedPerWrite = 2

    /// How long a record must have been idle before a write removes it: an hour. The processes that
    /// share a store may not agree on the time, and removing a record is for good: a process whose
    /// clock ran ahead would otherwise remove a quota that still counts sends in the other
    /// processes' time, and they would send that address up to a whole day's codes again. With it,
    /// a clock up to an hour ahead removes nothing that still counts; the cost is that idle records
    /// stay an hour longer.
    static let idleRemovalGrace: TimeInterval = 3600

    /// The mutations that remove up to ``idleRecordsRemovedPerWrite`` records that `index` lists as
    /// idle before `time` less ``idleRemovalGrace``, other than `kept` (the record the write puts), each
    /// expecting the version read: a concurrent write to one of them makes the removal fail, never the
    /// write lost (``commit(_:removing:)``).
    ///
    /// The index entry decides, and the record is never decoded: a record's `idleFrom` entry is
    /// computed from its value and written in the same commit, so a record listed before the bound at
    /// the version read limits nothing then. (A quota of checked rows is up to 129 KB of JSON, and
    /// decoding the two a check removed made the check a hundred times slower: Performance.md, "Idle
    /// quotas in a campaign's steady state".) A record whose bytes no longer decode is removed by the
    /// same rule: the entry written with it says it counts nothing.
    ///
    /// Best effort: when the index cannot be read, nothing is removed and the write goes on.
    /// - Parameters:
    ///   - index: The kind's `idleFrom` index.
    ///   - kept: The record the write puts.
    ///   - time: The write's time.
    /// - Returns: At most ``idleRecordsRemovedPerWrite`` mutations, to pass to ``commit(_:removing:)``.
    func idleRecordRemovals<Value: StoredRecord>(
        in index: StoredIndex<Value>, sparing kept: StoredKey<Value>, at time: Date
    ) async -> [Mutation] {
        let limit = Self.idleRecordsRemovedPerWrite
        let settled = time.addingTimeInterval(-Self.idleRemovalGrace)
        guard
            let found = try? await store.records(
                in: index.name, from: "", to: OutboxMessage.dueBound(settled), limit: limit + 1)
        else { return [] }
        return found.lazy.filter { $0.key != kept.recordKey }.prefix(limit).map {
            .delete($0.key, expecting: .version($0.version))
        }
    }

    /// Commits `batch` together with `removals` (``idleRecordRemovals(in:sparing:at:)``), less those of
    /// records `batch` itself writes; when one of the removals conflicts (concurrent writes find the
    /// same idle records, and one removes them first), commits `batch` alone, so that removal never
    /// makes a write retry.
    /// - Returns: The sequence of the commit.
    /// - Throws: What ``commit(_:)`` throws for `batch`, a conflict of its own included.
    @discardableResult
    func commit(_ batch: Batch, removing removals: [Mutation]) async throws -> UInt64 {
        let removals = removals.filter { removal in !batch.mutations.contains { $0.key == removal.key } }
        guard !removals.isEmpty else { return try await commit(batch) }
        var removing = batch
        removing.mutations += removals
        do {
            return try await commit(removing)
        } catch let error as StoreError where error.isConflict {
            // A conflict over one of the batch's own records is the write's: it re-reads and decides again.
            if let key = error.key, !removals.contains(where: { $0.key == key }) { throw error }
            return try await commit(batch)
        }
    }
}
