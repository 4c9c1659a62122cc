/// The snapshot file of a generation (format 2): every live record at compaction time, values first,
/// then an **index section** that opens without decoding any record: the record entries, and the
/// hash tables and sorted arrays that find them, built at compaction time. Byte layouts in
/// `Documentation/StorageFormat.md`.
///
///     header (32 bytes):  magic "DPKSSNP1" | u32 format version (2) | u32 zero | u64 generation
///                         | u64 last sequence
///     values:             the values, back to back
///     index section:      section header (88 bytes) | names | record entries | order | primary table
///                         | unique table | non-unique arrays
///     footer (48 bytes):  magic "DPKSEND1" | u64 section offset | u64 section length | u64 record count
///                         | u64 last sequence | u32 CRC-32C of the section | u32 CRC-32C of the footer's
///                         first 44 bytes
enum SnapshotFormat {
    static let magic: [UInt8] = Array("DPKSSNP1".utf8)
    static let footerMagic: [UInt8] = Array("DPKSEND1".utf8)
    static let formatVersion: UInt32 = 2
    static let headerSize = 32
    static let footerSize = 48
    static let sectionHeaderSize = 88
    /// Entry offsets are kept in 40 bits of a hash slot (the other 24 hold a tag of the hash).
    static let maximumRecordsBytes: UInt64 = 1 << 40 - 2

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
        var sectionOffset: UInt64
        var sectionLength: UInt64
        var recordCount: UInt64
        var lastSequence: UInt64
        var sectionChecksum: UInt32
    }

    static func footer(_ footer: Footer) -> [UInt8] {
        var writer = ByteWriter(capacity: footerSize)
        writer.raw(footerMagic)
        writer.u64(footer.sectionOffset)
        writer.u64(footer.sectionLength)
        writer.u64(footer.recordCount)
        writer.u64(footer.lastSequence)
        writer.u32(footer.sectionChecksum)
        writer.u32(CRC32C.checksum(writer.bytes))
        return writer.bytes
    }

    /// The fixed fields at the start of the index section; the regions follow in this order, their
    /// sizes derived from these counts.
    struct SectionHeader {
        var recordCount: UInt64
        /// Unique index entries over all records (the unique table holds each once).
        var uniqueCount: UInt64
        /// The sum of the value lengths (for the compaction trigger).
        var liveValueBytes: UInt64
        /// The SipHash key of both hash tables.
        var seed0: UInt64
        var seed1: UInt64
        var namesLength: UInt64
        var nameCount: UInt64
        var recordsLength: UInt64
        var primarySlots: UInt64
        var uniqueSlots: UInt64
        var nonUniqueCount: UInt64

        func encoded() -> [UInt8] {
            var writer = ByteWriter(capacity: sectionHeaderSize)
            for field in [
                recordCount, uniqueCount, liveValueBytes, seed0, seed1, namesLength, nameCount, recordsLength,
                primarySlots, uniqueSlots, nonUniqueCount,
            ] {
                writer.u64(field)
            }
            return writer.bytes
        }

        init(
            recordCount: UInt64, uniqueCount: UInt64, liveValueBytes: UInt64, seed0: UInt64, seed1: UInt64,
            namesLength: UInt64, nameCount: UInt64, recordsLength: UInt64, primarySlots: UInt64,
            uniqueSlots: UInt64, nonUniqueCount: UInt64
        ) {
            self.recordCount = recordCount
            self.uniqueCount = uniqueCount
            self.liveValueBytes = liveValueBytes
            self.seed0 = seed0
            self.seed1 = seed1
            self.namesLength = namesLength
            self.nameCount = nameCount
            self.recordsLength = recordsLength
            self.primarySlots = primarySlots
            self.uniqueSlots = uniqueSlots
            self.nonUniqueCount = nonUniqueCount
        }

        init(_ bytes: [UInt8]) {
            func field(_ index: Int) -> UInt64 { littleEndian64(bytes, at: index * 8) }
            self.init(
                recordCount: field(0), uniqueCount: field(1), liveValueBytes: field(2), seed0: field(3),
                seed1: field(4), namesLength: field(5), nameCount: field(6), recordsLength: field(7),
                primarySlots: field(8), uniqueSlots: field(9), nonUniqueCount: field(10))
        }
    }

    /// Appends one record entry:
    /// `u64 sequence | u64 version | u16 collection name | str16 id | u64 value offset | u32 value length
    /// | u32 value CRC-32C | u8 index count | per index: u8 flags (bit 0 unique) | u16 name | str16 value`.
    /// Names are numbers into the section's name list.
    static func appendEntry(
        key: RecordKey, sequence: UInt64, version: UInt64, collection: UInt16, location: ValueLocation,
        indexes: [(entry: IndexEntry, name: UInt16)], to bytes: inout [UInt8]
    ) {
        var writer = ByteWriter()
        swap(&writer.bytes, &bytes)
        defer { swap(&writer.bytes, &bytes) }
        writer.u64(sequence)
        writer.u64(version)
        writer.u16(collection)
        writer.string16(key.id)
        writer.u64(location.offset)
        writer.u32(location.length)
        writer.u32(location.checksum)
        writer.u8(UInt8(indexes.count))
        for (entry, name) in indexes {
            writer.u8(entry.isUnique ? 1 : 0)
            writer.u16(name)
            writer.string16(entry.value)
        }
    }

    /// The key parts of a hash table: the collection or index name, then the id or value; 0xFF
    /// (never a byte of UTF-8) separates them.
    static func hash(_ name: String, _ value: String, seed0: UInt64, seed1: UInt64) -> UInt64 {
        var hasher = SipHasher(key0: seed0, key1: seed1)
        hasher.append(name)
        hasher.append(0xFF)
        hasher.append(value)
        return hasher.finalize()
    }

    /// Power-of-two slot count keeping the load at most one half, so probe chains stay short.
    static func slotCount(for count: Int) -> Int {
        var slots = 16
        while slots < 2 * count { slots <<= 1 }
        return slots
    }

    /// A hash slot: 0 when empty; else the top 24 bits of the hash, then the entry offset + 1.
    static func slot(hash: UInt64, entryOffset: UInt64) -> UInt64 {
        (hash >> 40) << 40 | (entryOffset + 1)
    }

    /// The bytes a record is reckoned to cost beyond its value, for the compaction trigger.
    static let liveOverhead: UInt64 = 64
}
