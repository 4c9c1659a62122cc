/// The snapshot file of a generation: every live record at compaction time, values first, then an
/// index region that loads without reading the values. Byte layouts in `Documentation/StorageFormat.md`.
///
///     header (32 bytes): magic "DPKSSNP1" | u32 format version | u32 zero | u64 generation
///                        | u64 last sequence
///     values:            the values, back to back
///     index region:      one entry per record, in (sequence, key) order:
///                        u64 sequence | u64 version | str8 collection | str16 id | u64 value offset
///                        | u32 value length | u32 value CRC-32C | u8 index count | indexes
///     footer (48 bytes): magic "DPKSEND1" | u64 index offset | u64 index length | u64 record count
///                        | u64 last sequence | u32 CRC-32C of the index region | u32 CRC-32C of the
///                        footer's first 44 bytes
enum SnapshotFormat {
    static let magic: [UInt8] = Array("DPKSSNP1".utf8)
    static let footerMagic: [UInt8] = Array("DPKSEND1".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 32
    static let footerSize = 48

    static func header(generation: UInt64, lastSequence: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: headerSize)
        writer.raw(magic)
        writer.u32(formatVersion)
        writer.u32(0)
        writer.u64(generation)
        writer.u64(lastSequence)
        return writer.bytes
    }

    struct Footer {
        var indexOffset: UInt64
        var indexLength: UInt64
        var recordCount: UInt64
        var lastSequence: UInt64
        var indexChecksum: UInt32
    }

    static func footer(_ footer: Footer) -> [UInt8] {
        var writer = ByteWriter(capacity: footerSize)
        writer.raw(footerMagic)
        writer.u64(footer.indexOffset)
        writer.u64(footer.indexLength)
        writer.u64(footer.recordCount)
        writer.u64(footer.lastSequence)
        writer.u32(footer.indexChecksum)
        writer.u32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    static func appendEntry(
        _ key: RecordKey, _ record: StoredRecord<ValueLocation>, valueOffset: UInt64, to writer: inout ByteWriter
    ) {
        writer.u64(record.sequence)
        writer.u64(record.version)
        writer.string8(key.collection)
        writer.string16(key.id)
        writer.u64(valueOffset)
        writer.u32(record.payload.length)
        writer.u32(record.payload.checksum)
        writer.u8(UInt8(record.indexes.count))
        for entry in record.indexes {
            writer.u8(entry.isUnique ? 1 : 0)
            writer.string8(entry.name)
            writer.string16(entry.value)
        }
    }

    static func decodeEntry(_ reader: inout ByteReader) throws(ByteReader.Truncated) -> (
        RecordKey, StoredRecord<ValueLocation>
    ) {
        let sequence = try reader.u64()
        let version = try reader.u64()
        let key = RecordKey(collection: try reader.string8(), id: try reader.string16())
        let offset = try reader.u64()
        let length = try reader.u32()
        let checksum = try reader.u32()
        let count = Int(try reader.u8())
        var indexes: [IndexEntry] = []
        indexes.reserveCapacity(count)
        for _ in 0..<count {
            let flags = try reader.u8()
            indexes.append(
                IndexEntry(name: try reader.string8(), value: try reader.string16(), isUnique: flags & 1 != 0))
        }
        let location = ValueLocation(inSnapshot: true, offset: offset, length: length, checksum: checksum)
        return (key, StoredRecord(version: version, sequence: sequence, indexes: indexes, payload: location))
    }

    /// What loading a snapshot yields besides the table.
    struct Loaded {
        var generation: UInt64
        var lastSequence: UInt64
        /// The sequence of each entry, in file order (the change feed's summarized history).
        var sequences: [UInt64]
        /// The file offset of each entry, in file order, then the end of the index region.
        var entryOffsets: [UInt64]
        var liveBytes: UInt64
    }

    /// Loads a snapshot's index region into `table`, checking every checksum and bound.
    static func load(fd: Int32, path: String, into table: inout RecordTable<ValueLocation>) throws(StoreError) -> Loaded
    {
        let size = try SystemCalls.status(fd, path: path).size
        guard size >= UInt64(headerSize + footerSize) else {
            throw .corrupted(file: path, offset: 0, "snapshot too short")
        }
        let head = try SystemCalls.read(fd, count: headerSize, at: 0, path: path)
        guard head.count == headerSize, Array(head[0..<8]) == magic else {
            throw .corrupted(file: path, offset: 0, "bad snapshot header")
        }
        let version = littleEndian32(head, at: 8)
        guard version == formatVersion else { throw .unsupportedFormat(file: path, version: version) }
        let footerOffset = size - UInt64(footerSize)
        let tail = try SystemCalls.read(fd, count: footerSize, at: footerOffset, path: path)
        guard tail.count == footerSize, Array(tail[0..<8]) == footerMagic,
            CRC32C.checksum(tail[0..<44]) == littleEndian32(tail, at: 44)
        else {
            throw .corrupted(file: path, offset: footerOffset, "bad snapshot footer")
        }
        let footer = Footer(
            indexOffset: littleEndian64(tail, at: 8), indexLength: littleEndian64(tail, at: 16),
            recordCount: littleEndian64(tail, at: 24), lastSequence: littleEndian64(tail, at: 32),
            indexChecksum: littleEndian32(tail, at: 40))
        guard footer.indexOffset >= UInt64(headerSize), footer.indexOffset + footer.indexLength == footerOffset,
            footer.lastSequence == littleEndian64(head, at: 24), footer.recordCount <= footer.indexLength
        else {
            throw .corrupted(file: path, offset: footerOffset, "inconsistent snapshot footer")
        }
        var loaded = Loaded(
            generation: littleEndian64(head, at: 16), lastSequence: footer.lastSequence, sequences: [],
            entryOffsets: [], liveBytes: 0)
        table.reserveCapacity(Int(footer.recordCount))
        loaded.sequences.reserveCapacity(Int(footer.recordCount))
        loaded.entryOffsets.reserveCapacity(Int(footer.recordCount) + 1)

        let chunkSize = 16 << 20
        var carry: [UInt8] = []
        var carryOffset = footer.indexOffset
        var readOffset = footer.indexOffset
        var checksum: UInt32 = 0
        var previousSequence: UInt64 = 0
        while readOffset < footerOffset || !carry.isEmpty {
            let count = Int(min(UInt64(chunkSize), footerOffset - readOffset))
            let fresh = try SystemCalls.read(fd, count: count, at: readOffset, path: path)
            guard fresh.count == count else { throw .corrupted(file: path, offset: readOffset, "snapshot truncated") }
            checksum = CRC32C.checksum(fresh, continuing: checksum)
            readOffset += UInt64(count)
            let isLast = readOffset == footerOffset
            var chunk = carry
            chunk.append(contentsOf: fresh)
            var consumed = 0
            var failure: StoreError?
            chunk.withUnsafeBytes { raw in
                var reader = ByteReader(raw)
                while reader.remaining > 0 {
                    let start = reader.position
                    let entryOffset = carryOffset + UInt64(start)
                    guard let (key, record) = try? decodeEntry(&reader) else {
                        if isLast { failure = .corrupted(file: path, offset: entryOffset, "truncated snapshot entry") }
                        return
                    }
                    let location = record.payload
                    guard record.sequence >= previousSequence, record.sequence <= footer.lastSequence,
                        location.offset >= UInt64(headerSize),
                        location.offset + UInt64(location.length) <= footer.indexOffset
                    else {
                        failure = .corrupted(file: path, offset: entryOffset, "inconsistent snapshot entry")
                        return
                    }
                    previousSequence = record.sequence
                    loaded.sequences.append(record.sequence)
                    loaded.entryOffsets.append(entryOffset)
                    loaded.liveBytes += UInt64(location.length) + liveOverhead
                    table.put(key, record)
                    consumed = reader.position
                }
                consumed = reader.position
            }
            if let failure { throw failure }
            carry = Array(chunk[consumed...])
            carryOffset += UInt64(consumed)
            if isLast { break }
        }
        guard checksum == footer.indexChecksum else {
            throw .corrupted(file: path, offset: footer.indexOffset, "snapshot index checksum mismatch")
        }
        guard carry.isEmpty, UInt64(loaded.sequences.count) == footer.recordCount else {
            throw .corrupted(file: path, offset: carryOffset, "snapshot record count mismatch")
        }
        loaded.entryOffsets.append(footerOffset)
        return loaded
    }

    /// The bytes a record is reckoned to cost beyond its value, for the compaction trigger.
    static let liveOverhead: UInt64 = 64
}
