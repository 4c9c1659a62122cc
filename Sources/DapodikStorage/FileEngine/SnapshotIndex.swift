/// A snapshot's index section, held in memory as a few flat arrays and read without decoding every
/// record: opening costs one sequential read and one CRC-32C, not a hash insert per record.
///
/// - `records`: the record entries, in (sequence, key) order (the summarized change feed);
/// - `order`: the offset of each entry in `records`, in that order;
/// - `primary`: an open-addressing hash table (linear probing, load ≤ ½) of every key;
/// - `unique`: the same for every unique index entry (name and value);
/// - `nonUnique`: per non-unique index name, the entries holding it, sorted by value and then key,
///   for equality and range queries by binary search.
///
/// The values stay in the file. Everything decoded from the section is bounds-checked, so a damaged
/// section that slipped past the checksum surfaces as ``StoreError/Code-swift.struct/corrupted``, never as
/// a crash.
struct SnapshotIndex: Sendable {
    let path: String
    let generation: UInt64
    let lastSequence: UInt64
    /// Where the section starts in the file (for messages).
    let sectionOffset: UInt64
    let header: SnapshotFormat.SectionHeader
    let names: [String]
    let nameNumbers: [ExactString: UInt16]
    /// Per name, its slice of `nonUnique`.
    let nonUniqueRanges: [Range<Int>]
    let records: [UInt8]
    let order: [UInt64]
    let primary: [UInt64]
    let unique: [UInt64]
    let nonUnique: [UInt64]

    var count: Int { order.count }

    /// Entry offsets are the low 40 bits of a slot, plus one.
    private static let offsetMask: UInt64 = 1 << 40 - 1

    func corrupted(_ reason: Damage) -> StoreError {
        .corrupted(file: path, offset: sectionOffset, reason)
    }

    // MARK: Decoding

    /// The entry starting at `offset` in `records`.
    func entry(at offset: UInt64) throws(StoreError) -> (key: RecordKey, record: StoredRecord<ValueLocation>) {
        guard offset < UInt64(records.count) else {
            throw corrupted(Damage("posisi entri \(offset) di luar batas", "entry offset \(offset) out of bounds"))
        }
        let decoded: (RecordKey, StoredRecord<ValueLocation>)? = records.withUnsafeBytes { raw in
            var reader = ByteReader(raw, at: Int(offset))
            return try? decodeEntry(&reader)
        }
        guard let decoded else {
            throw corrupted(Damage("entri pada \(offset) tidak terbaca", "unreadable entry at \(offset)"))
        }
        return decoded
    }

    private func name(_ number: UInt16) throws(ByteReader.Truncated) -> String {
        guard Int(number) < names.count else { throw ByteReader.Truncated() }
        return names[Int(number)]
    }

    private func decodeEntry(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> (
        RecordKey, StoredRecord<ValueLocation>
    ) {
        let sequence = try reader.u64()
        let version = try reader.u64()
        let key = RecordKey(collection: try name(try reader.u16()), id: try reader.string16())
        let offset = try reader.u64()
        let length = try reader.u32()
        let checksum = try reader.u32()
        // Numbers read from the file: compared by subtraction, never summed (no overflow trap).
        guard offset >= UInt64(SnapshotFormat.headerSize), UInt64(length) <= sectionOffset,
            offset <= sectionOffset - UInt64(length)
        else {
            throw ByteReader.Truncated()
        }
        let count = Int(try reader.u8())
        var indexes: [IndexEntry] = []
        indexes.reserveCapacity(count)
        for _ in 0..<count {
            let flags = try reader.u8()
            indexes.append(
                IndexEntry(name: try name(try reader.u16()), value: try reader.string16(), isUnique: flags & 1 != 0))
        }
        let location = ValueLocation(inSnapshot: true, offset: offset, length: length, checksum: checksum)
        return (key, StoredRecord(version: version, sequence: sequence, indexes: indexes, payload: location))
    }

    /// The sequence of the entry at `offset` (its first field), without decoding the rest.
    func sequence(at offset: UInt64) throws(StoreError) -> UInt64 {
        guard offset < UInt64(records.count), UInt64(records.count) - offset >= 8 else {
            throw corrupted(Damage("posisi entri \(offset) di luar batas", "entry offset \(offset) out of bounds"))
        }
        return records.withUnsafeBytes {
            UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: Int(offset), as: UInt64.self))
        }
    }

    // MARK: Lookups

    /// Probes a hash table for `name`/`value`, calling `matches` on each entry whose hash tag fits.
    private func probe(
        _ table: [UInt64], _ name: String, _ value: String,
        _ matches: (UInt64) throws(StoreError) -> Bool
    ) throws(StoreError) -> UInt64? {
        guard !table.isEmpty, nameNumbers[ExactString(name)] != nil else { return nil }
        let hash = SnapshotFormat.hash(name, value, seed0: header.seed0, seed1: header.seed1)
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        for _ in 0..<table.count {
            let slot = UInt64(littleEndian: table[position])
            if slot == 0 { return nil }
            if slot >> 40 == hash >> 40 {
                guard slot & Self.offsetMask != 0 else {
                    throw corrupted(Damage("slot tabel hash tanpa posisi entri", "hash slot without an entry offset"))
                }
                let offset = (slot & Self.offsetMask) - 1
                if try matches(offset) { return offset }
            }
            position = (position + 1) & mask
        }
        return nil
    }

    /// The entry of a key.
    func find(_ key: RecordKey) throws(StoreError) -> (offset: UInt64, record: StoredRecord<ValueLocation>)? {
        var found: StoredRecord<ValueLocation>?
        let offset = try probe(primary, key.collection, key.id) { (offset) throws(StoreError) in
            let entry = try entry(at: offset)
            if entry.key == key { found = entry.record }
            return found != nil
        }
        guard let offset, let found else { return nil }
        return (offset, found)
    }

    /// The key holding a unique index value in the snapshot.
    func key(whereUnique index: String, equals value: String) throws(StoreError) -> RecordKey? {
        var found: RecordKey?
        _ = try probe(unique, index, value) { (offset) throws(StoreError) in
            let entry = try entry(at: offset)
            if entry.record.indexes.contains(IndexEntry(name: index, value: value, isUnique: true)) {
                found = entry.key
            }
            return found != nil
        }
        return found
    }

    /// The value of non-unique index `index` in the entry at `offset`, and the entry's key.
    private func nonUniqueMember(at offset: UInt64, _ index: String) throws(StoreError) -> (String, RecordKey) {
        let entry = try entry(at: offset)
        guard let indexEntry = entry.record.indexes.first(where: { utf8Equal($0.name, index) && !$0.isUnique }) else {
            throw corrupted(
                Damage(
                    "daftar indeks \(index) menunjuk entri yang tidak memilikinya",
                    "non-unique array of \(index) names an entry without it"))
        }
        return (indexEntry.value, entry.key)
    }

    /// Calls `body` with each (value, key) of a non-unique index from the first value ≥ `lower`, in
    /// (value, key) order, until it returns `false`.
    func forEachMember(
        of index: String, from lower: String, _ body: (String, RecordKey) throws(StoreError) -> Bool
    ) throws(StoreError) {
        guard let number = nameNumbers[ExactString(index)] else { return }
        let range = nonUniqueRanges[Int(number)]
        var low = range.lowerBound
        var high = range.upperBound
        while low < high {
            let middle = (low + high) / 2
            if utf8Precedes(try nonUniqueMember(at: UInt64(littleEndian: nonUnique[middle]), index).0, lower) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        while low < range.upperBound {
            let (value, key) = try nonUniqueMember(at: UInt64(littleEndian: nonUnique[low]), index)
            guard try body(value, key) else { return }
            low += 1
        }
    }

    /// The entry offset of each member of a non-unique index, in (value, key) order.
    func memberOffsets(of number: Int) -> ArraySlice<UInt64> {
        nonUnique[nonUniqueRanges[number]]
    }

    /// The first position in `order` whose entry has a sequence above `sequence`.
    func firstOrdinal(after sequence: UInt64) throws(StoreError) -> Int {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if try self.sequence(at: UInt64(littleEndian: order[middle])) <= sequence {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }

    /// The position in `order` of the entry at `offset` (entries lie in file order).
    func ordinal(ofEntryAt offset: UInt64) -> Int? {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if UInt64(littleEndian: order[middle]) < offset { low = middle + 1 } else { high = middle }
        }
        return low < order.count && UInt64(littleEndian: order[low]) == offset ? low : nil
    }
}

extension SnapshotIndex {
    /// No records: what an engine holds before its first generation loads.
    static let empty = SnapshotIndex(
        path: "", generation: 0, lastSequence: 0, sectionOffset: 0,
        header: SnapshotFormat.SectionHeader(
            recordCount: 0, uniqueCount: 0, liveValueBytes: 0, seed0: 0, seed1: 0, namesLength: 0, nameCount: 0,
            recordsLength: 0, primarySlots: 0, uniqueSlots: 0, nonUniqueCount: 0),
        names: [], nameNumbers: [:], nonUniqueRanges: [], records: [], order: [], primary: [], unique: [],
        nonUnique: [])
}
