#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The records of a bulk import (``FileRecordStore/importRecords(_:)``), added to the next generation's
/// snapshot after the live records a compaction copies: each value is written once, straight into the
/// new snapshot, instead of into the log and then again into every snapshot compaction writes while
/// the store grows.
///
/// Every check a commit makes holds: each batch passes ``StoreLimits``; every mutation is a put under
/// ``Expectation/mustNotExist`` (the import creates records; anything else is `invalidInput`); a key
/// that exists, or came earlier in the import, is `alreadyExists`; a unique index value held by a live
/// record or an earlier imported one is `uniqueConstraint`. The builder holds every live record by
/// then, so its hash tables answer all of these. A refusal ends the compaction before the manifest
/// switch: nothing changes.
enum BulkImport {
    /// A non-unique index entry of an imported record: its value, its key, its entry's offset.
    typealias Member = (value: String, key: RecordKey, offset: UInt64)

    /// Adds every batch `next` returns, each under the next sequence, its records in key order (a
    /// snapshot's entries are ordered by sequence, then key).
    /// - Returns: Per name number, the non-unique members added, sorted by (value, key).
    static func append(
        _ next: () -> [Mutation]?, to builder: inout SnapshotBuilder, output: inout BufferedFileWriter
    ) throws(StoreError) -> [[Member]] {
        var members: [[Member]] = []
        while let batch = next() {
            try StoreLimits.validate(batch)
            var uniques = 0
            for mutation in batch {
                guard case .put(_, let indexes) = mutation.kind, mutation.expectation == .mustNotExist else {
                    throw .invalidInput(
                        "Impor massal hanya membuat data baru (put dengan \"belum ada\").",
                        "A bulk import only creates records (puts expecting \"must not exist\").",
                        key: mutation.key)
                }
                uniques += indexes.count { $0.isUnique }
            }
            builder.reserve(records: batch.count, uniques: uniques)
            let sequence = builder.lastSequence + 1
            for position in batch.indices.sorted(by: { batch[$0].key < batch[$1].key }) {
                let key = batch[position].key
                guard case .put(let value, let indexes) = batch[position].kind else { continue }
                if let version = try builder.version(of: key) {
                    throw .alreadyExists(key, version: version)
                }
                for entry in indexes where entry.isUnique {
                    if let holder = try builder.holder(ofUnique: entry.name, entry.value) {
                        throw .uniqueConstraint(index: entry.name, key: key, holder: holder)
                    }
                }
                let location = ValueLocation(
                    inSnapshot: true, offset: output.position, length: UInt32(value.count),
                    checksum: value.withUnsafeBytes { CRC32C.checksum($0) })
                try output.append(value)
                let offset = try builder.add(
                    key, StoredRecord(version: 1, sequence: sequence, indexes: indexes, payload: location))
                for entry in indexes where !entry.isUnique {
                    let number = Int(try builder.number(for: entry.name))
                    while members.count <= number { members.append([]) }
                    members[number].append((entry.value, key, offset))
                }
            }
            builder.lastSequence = sequence
        }
        for number in members.indices {
            members[number].sort { GenerationTable.precedes(($0.value, $0.key), ($1.value, $1.key)) }
        }
        return members
    }

    /// Merges two lists sorted by (value, key) into one.
    static func merge(_ left: [Member], _ right: [Member]) -> [Member] {
        if right.isEmpty { return left }
        if left.isEmpty { return right }
        var merged: [Member] = []
        merged.reserveCapacity(left.count + right.count)
        var (l, r) = (0, 0)
        while l < left.count || r < right.count {
            if r == right.count
                || (l < left.count
                    && GenerationTable.precedes((left[l].value, left[l].key), (right[r].value, right[r].key)))
            {
                merged.append(left[l])
                l += 1
            } else {
                merged.append(right[r])
                r += 1
            }
        }
        return merged
    }
}
