/// Builds a snapshot's index section (format 2) in memory while compaction streams the values to the
/// file: record entries, the `order` array, and both hash tables are filled as records are added;
/// the non-unique arrays are handed over already sorted. The result is written after the values and
/// becomes the new generation's ``SnapshotIndex`` without being read back.
struct SnapshotBuilder {
    let generation: UInt64
    /// The last sequence the snapshot holds; a bulk import raises it as it adds batches.
    var lastSequence: UInt64
    private let seed0: UInt64
    private let seed1: UInt64
    private(set) var names: [String]
    /// By the names' bytes: names equal only canonically are different names, as in keys.
    private var numbers: [ExactString: UInt16] = [:]
    private var records: [UInt8] = []
    private var order: [UInt64] = []
    private var primary: [UInt64]
    private var unique: [UInt64]
    private var uniqueCount: UInt64 = 0
    private var liveValueBytes: UInt64 = 0
    private var members: [[UInt64]]
    /// The hash of each entry's key, in entry order, and of each unique entry with its slot: kept
    /// while building so that ``reserve(records:uniques:)`` regrows a table without decoding or
    /// hashing again.
    private var primaryHashes: [UInt64] = []
    private var uniqueHashes: [(hash: UInt64, slot: UInt64)] = []

    /// - Parameters:
    ///   - names: Names to number first (the previous snapshot's, so its numbers stay valid).
    ///   - recordBound: At least the number of records that will be added.
    ///   - uniqueBound: At least the number of unique index entries they will hold.
    init(generation: UInt64, lastSequence: UInt64, names: [String], recordBound: Int, uniqueBound: Int) {
        self.generation = generation
        self.lastSequence = lastSequence
        var random = SystemRandomNumberGenerator()
        seed0 = random.next()
        seed1 = random.next()
        self.names = names
        for (number, name) in names.enumerated() { numbers[ExactString(name)] = UInt16(number) }
        primary = [UInt64](repeating: 0, count: SnapshotFormat.slotCount(for: recordBound))
        unique = [UInt64](repeating: 0, count: SnapshotFormat.slotCount(for: uniqueBound))
        members = [[UInt64]](repeating: [], count: names.count)
        order.reserveCapacity(recordBound)
    }

    mutating func reserveRecordBytes(_ count: Int) { records.reserveCapacity(count) }

    /// The number of a collection or index name, adding it when new.
    /// - Throws: `invalidInput` past 65,536 distinct names (the entries number them in 16 bits).
    mutating func number(for name: String) throws(StoreError) -> UInt16 {
        let exact = ExactString(name)
        if let number = numbers[exact] { return number }
        guard names.count <= Int(UInt16.max) else {
            throw .invalidInput(
                "Terlalu banyak nama koleksi dan indeks yang berbeda (maksimum 65.536).",
                "Too many distinct collection and index names (at most 65,536).")
        }
        let number = UInt16(names.count)
        names.append(name)
        numbers[exact] = number
        members.append([])
        return number
    }

    private static func insert(_ slot: UInt64, into table: inout [UInt64], hash: UInt64) {
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while table[position] != 0 { position = (position + 1) & mask }
        table[position] = slot.littleEndian
    }

    /// Adds a record whose value has been written at `record.payload`.
    /// - Returns: The offset of its entry (what the non-unique arrays hold).
    mutating func add(_ key: RecordKey, _ record: StoredRecord<ValueLocation>) throws(StoreError) -> UInt64 {
        let offset = UInt64(records.count)
        guard offset <= SnapshotFormat.maximumRecordsBytes else {
            throw .invalidInput(
                "Indeks snapshot melebihi 1 TiB.", "The snapshot's index would exceed 1 TiB.")
        }
        let collection = try number(for: key.collection)
        var indexes: [(entry: IndexEntry, name: UInt16)] = []
        indexes.reserveCapacity(record.indexes.count)
        for entry in record.indexes { indexes.append((entry, try number(for: entry.name))) }
        SnapshotFormat.appendEntry(
            key: key, sequence: record.sequence, version: record.version, collection: collection,
            location: record.payload, indexes: indexes, to: &records)
        order.append(offset.littleEndian)
        let hash = SnapshotFormat.hash(key.collection, key.id, seed0: seed0, seed1: seed1)
        Self.insert(SnapshotFormat.slot(hash: hash, entryOffset: offset), into: &primary, hash: hash)
        primaryHashes.append(hash)
        for entry in record.indexes where entry.isUnique {
            let hash = SnapshotFormat.hash(entry.name, entry.value, seed0: seed0, seed1: seed1)
            let slot = SnapshotFormat.slot(hash: hash, entryOffset: offset)
            Self.insert(slot, into: &unique, hash: hash)
            uniqueHashes.append((hash, slot))
            uniqueCount += 1
        }
        liveValueBytes += UInt64(record.payload.length)
        return offset
    }

    /// The number of records added so far.
    var count: Int { order.count }

    /// Grows the hash tables, when needed, so that `records` more records holding `uniques` more
    /// unique index entries keep the load at most one half. Growing reinserts the slots from the
    /// hashes kept while building: a bulk import whose size is not known in advance doubles the
    /// tables about log₂(n) times, O(n) work in all.
    mutating func reserve(records: Int, uniques: Int) {
        let primarySlots = SnapshotFormat.slotCount(for: order.count + records)
        let uniqueSlots = SnapshotFormat.slotCount(for: Int(uniqueCount) + uniques)
        if primarySlots > primary.count {
            primary = [UInt64](repeating: 0, count: primarySlots)
            for (ordinal, hash) in primaryHashes.enumerated() {
                let slot = SnapshotFormat.slot(hash: hash, entryOffset: UInt64(littleEndian: order[ordinal]))
                Self.insert(slot, into: &primary, hash: hash)
            }
        }
        if uniqueSlots > unique.count {
            unique = [UInt64](repeating: 0, count: uniqueSlots)
            for (hash, slot) in uniqueHashes { Self.insert(slot, into: &unique, hash: hash) }
        }
    }

    /// The version of the record added under `key`, `nil` when none was.
    func version(of key: RecordKey) throws(StoreError) -> UInt64? {
        guard let collection = numbers[ExactString(key.collection)] else { return nil }
        var found: UInt64?
        try probe(primary, key.collection, key.id) { (entry) throws(StoreError) in
            if entry.collection == collection, utf8Equal(entry.id, key.id) { found = entry.version }
            return found != nil
        }
        return found
    }

    /// The key of the record added with unique index value `value` of `index`, `nil` when none was.
    func holder(ofUnique index: String, _ value: String) throws(StoreError) -> RecordKey? {
        guard let name = numbers[ExactString(index)] else { return nil }
        var found: RecordKey?
        try probe(unique, index, value) { (entry) throws(StoreError) in
            if entry.indexes.contains(where: { $0.isUnique && $0.name == name && utf8Equal($0.value, value) }) {
                found = RecordKey(collection: names[Int(entry.collection)], id: entry.id)
            }
            return found != nil
        }
        return found
    }

    /// Calls `matches` with each added entry whose slot in `table` carries the hash's tag, until it
    /// returns `true`.
    private func probe(
        _ table: [UInt64], _ name: String, _ value: String, _ matches: (DecodedEntry) throws(StoreError) -> Bool
    ) throws(StoreError) {
        let hash = SnapshotFormat.hash(name, value, seed0: seed0, seed1: seed1)
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = UInt64(littleEndian: table[position])
            if slot == 0 { return }
            if slot >> 40 == hash >> 40, try matches(try decode(at: (slot & (1 << 40 - 1)) - 1)) { return }
            position = (position + 1) & mask
        }
    }

    /// The fields of an added entry that lookups compare.
    private struct DecodedEntry {
        var collection: UInt16
        var id: String
        var version: UInt64
        var indexes: [(isUnique: Bool, name: UInt16, value: String)]
    }

    /// Decodes an entry this builder wrote (see ``SnapshotFormat/appendEntry(key:sequence:version:collection:location:indexes:to:)``).
    private func decode(at offset: UInt64) throws(StoreError) -> DecodedEntry {
        let decoded: DecodedEntry? = records.withUnsafeBytes { raw in
            var reader = ByteReader(raw, at: Int(offset))
            do throws(ByteReader.Truncated) {
                _ = try reader.u64()
                let version = try reader.u64()
                let collection = try reader.u16()
                let id = try reader.string16()
                _ = try reader.skip(16)
                var indexes: [(isUnique: Bool, name: UInt16, value: String)] = []
                for _ in 0..<Int(try reader.u8()) {
                    let flags = try reader.u8()
                    indexes.append((flags & 1 != 0, try reader.u16(), try reader.string16()))
                }
                return DecodedEntry(collection: collection, id: id, version: version, indexes: indexes)
            } catch {
                return nil
            }
        }
        guard let decoded else {
            throw .corrupted(
                file: "snapshot-\(generation)", offset: offset,
                Damage("entri yang sedang ditulis tidak terbaca", "an entry being written is unreadable"))
        }
        return decoded
    }

    /// Sets the members of a non-unique index: entry offsets in (value, key) order.
    mutating func setMembers(_ offsets: [UInt64], of number: UInt16) {
        members[Int(number)] = offsets.map(\.littleEndian)
    }

    /// Writes the section (after the values) and the footer through `output`, and returns the index
    /// the new generation opens with.
    consuming func finish(path: String, output: inout BufferedFileWriter) throws(StoreError) -> SnapshotIndex {
        var nameBytes = ByteWriter()
        var ranges: [Range<Int>] = []
        var start = 0
        for (number, name) in names.enumerated() {
            nameBytes.u64(UInt64(start))
            nameBytes.u64(UInt64(members[number].count))
            nameBytes.string8(name)
            ranges.append(start..<start + members[number].count)
            start += members[number].count
        }
        let nonUnique = Array(members.joined())
        members = []
        primaryHashes = []
        uniqueHashes = []
        let header = SnapshotFormat.SectionHeader(
            recordCount: UInt64(order.count), uniqueCount: uniqueCount, liveValueBytes: liveValueBytes,
            seed0: seed0, seed1: seed1, namesLength: UInt64(nameBytes.count), nameCount: UInt64(names.count),
            recordsLength: UInt64(records.count), primarySlots: UInt64(primary.count),
            uniqueSlots: UInt64(unique.count), nonUniqueCount: UInt64(nonUnique.count))
        try output.flush()
        let sectionOffset = output.position
        output.startChecksum()
        try output.append(header.encoded())
        try output.append(nameBytes.bytes)
        try output.appendLarge(contentsOf: records)
        for array in [order, primary, unique, nonUnique] { try output.appendLarge(contentsOf: array) }
        let checksum = output.stopChecksum()
        let sectionLength = output.position - sectionOffset
        try output.append(
            SnapshotFormat.footer(
                .init(
                    sectionOffset: sectionOffset, sectionLength: sectionLength, recordCount: UInt64(order.count),
                    lastSequence: lastSequence, sectionChecksum: checksum)))
        try output.flush()
        return SnapshotIndex(
            path: path, generation: generation, lastSequence: lastSequence, sectionOffset: sectionOffset,
            header: header, names: names, nameNumbers: numbers, nonUniqueRanges: ranges, records: records,
            order: order, primary: primary, unique: unique, nonUnique: nonUnique)
    }
}

/// Sequential writes through a 4 MiB buffer, with an optional running CRC-32C.
struct BufferedFileWriter {
    let fd: Int32
    let path: String
    private var buffer: [UInt8] = []
    private var flushed: UInt64 = 0
    private var checksum: UInt32?

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
        buffer.reserveCapacity(Self.capacity)
    }

    static let capacity = 4 << 20

    var position: UInt64 { flushed + UInt64(buffer.count) }

    mutating func append(_ bytes: some Collection<UInt8>) throws(StoreError) {
        if let running = checksum { checksum = CRC32C.checksum(bytes, continuing: running) }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.capacity { try flush() }
    }

    /// Appends a large region without copying it into the buffer.
    mutating func appendLarge(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard bytes.count >= Self.capacity else {
            try append(bytes)
            return
        }
        try flush()
        if let running = checksum { checksum = CRC32C.checksum(bytes, continuing: running) }
        try SystemCalls.write(fd, bytes, at: flushed, path: path)
        flushed += UInt64(bytes.count)
    }

    /// Appends an array's bytes as they lie in memory (the words are already little-endian).
    mutating func appendLarge<Element: BitwiseCopyable>(contentsOf array: [Element]) throws(StoreError) {
        var failure: StoreError?
        array.withUnsafeBytes { raw in
            do throws(StoreError) {
                try appendLarge(raw)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    mutating func startChecksum() { checksum = 0 }

    mutating func stopChecksum() -> UInt32 {
        defer { checksum = nil }
        return checksum ?? 0
    }

    mutating func flush() throws(StoreError) {
        guard !buffer.isEmpty else { return }
        try SystemCalls.write(fd, buffer, at: flushed, path: path)
        flushed += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }
}
