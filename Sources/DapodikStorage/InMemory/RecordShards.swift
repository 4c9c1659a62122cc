import DapodikLocking

/// The records of an ``InMemoryRecordStore`` by key, split into shards by the key's hash, each behind
/// its own lock, so that a read by key never waits for the store's commit lock.
///
/// The rules that keep every read looking at a state some prefix of the commits produced:
/// - Only a commit writes here, and only while it holds the store's commit lock (so one at a time).
/// - A commit locks every shard it writes, in ascending shard order, before it unlocks any of them
///   (``write(_:)``): a read that sees one of its writes finds every other shard it wrote still locked
///   until all of them are written, so no read sees half a commit.
/// - A read by key locks one shard, and nothing else.
/// - Reads that need the indexes take the commit lock first and then one shard at a time; lock order
///   is always the commit lock before the shards and shards in ascending order, so nothing deadlocks.
final class RecordShards: Sendable {
    /// One shard's part of a commit: the records it stores and the keys it removes.
    struct Writes {
        var shard: Int
        var puts: [(HashedKey, Record)] = []
        var deletes: [HashedKey] = []
    }

    /// Sixteen shards: two cores' reads rarely meet a commit on the same one, and a commit of a few
    /// records locks few of them.
    static let shardCount = 16

    private let shards: [LockedValue<[HashedKey: Record]>]

    init() {
        shards = (0..<Self.shardCount).map { _ in LockedValue([:]) }
    }

    /// The shard holding `key`.
    static func shard(of key: HashedKey) -> Int {
        // The hash's bits mixed down, so that keys whose hashes differ only in high bits spread too.
        let hash = UInt(bitPattern: key.hashValue)
        return Int((hash ^ (hash >> 32) ^ (hash >> 16)) % UInt(shardCount))
    }

    /// The record stored under `key`, if any.
    func record(for key: HashedKey) -> Record? {
        shards[Self.shard(of: key)].withLock { $0[key] }
    }

    /// Every record, shard by shard (for consistency checks; the caller holds the commit lock).
    func allRecords() -> [Record] {
        shards.flatMap { shard in shard.withLock { Array($0.values) } }
    }

    /// Groups a commit's writes by shard, in ascending shard order.
    static func group(puts: [(HashedKey, Record)], deletes: [HashedKey]) -> [Writes] {
        var byShard = (0..<shardCount).map { Writes(shard: $0) }
        for put in puts { byShard[shard(of: put.0)].puts.append(put) }
        for key in deletes { byShard[shard(of: key)].deletes.append(key) }
        return byShard.filter { !$0.puts.isEmpty || !$0.deletes.isEmpty }
    }

    /// Applies one commit's writes, holding every shard it writes until all are written.
    /// - Parameter groups: The writes by shard, in ascending shard order (``group(puts:deletes:)``).
    /// - Returns: The records replaced or removed, for the caller to release after its locks.
    func write(_ groups: [Writes]) -> [Record] {
        var released: [Record] = []
        write(groups[...], released: &released)
        return released
    }

    private func write(_ groups: ArraySlice<Writes>, released: inout [Record]) {
        guard let first = groups.first else { return }
        shards[first.shard].withLock { records in
            for (key, record) in first.puts {
                if let replaced = records.updateValue(record, forKey: key) { released.append(replaced) }
            }
            for key in first.deletes {
                if let removed = records.removeValue(forKey: key) { released.append(removed) }
            }
            // The next shard is locked while this one is still held (see the type's rules).
            write(groups.dropFirst(), released: &released)
        }
    }
}
