/// The log file: a header, then one frame per commit. Byte layouts in `Documentation/StorageFormat.md`.
///
///     header (32 bytes): magic "DPKSLOG1" | u32 format version | u32 CRC-32C of the header with this
///                        field zero | u64 generation | u64 base sequence
///     frame:             u32 payload length | u32 CRC-32C of (length field + payload) | payload
///     payload:           u64 sequence | u32 mutation count | mutations
///     mutation:          u8 kind (1 put, 2 delete) | str8 collection | str16 id
///                        put only: u64 version | u8 index count | indexes | u32 value length | value
///     index:             u8 flags (bit 0: unique) | str8 name | str16 value
///
/// All integers are little-endian; strN is an N-bit length and that many UTF-8 bytes.
enum LogFormat {
    static let magic: [UInt8] = Array("DPKSLOG1".utf8)
    static let formatVersion: UInt32 = 1
    static let headerSize = 32
    static let frameHeaderSize = 8
    /// The smallest payload: a sequence and a mutation count.
    static let minimumPayload = 12
    /// The largest payload a frame may announce; larger lengths are damage.
    static let maximumPayload = 1 << 30

    static func header(generation: UInt64, baseSequence: UInt64) -> [UInt8] {
        var writer = ByteWriter(capacity: headerSize)
        writer.raw(magic)
        writer.u32(formatVersion)
        writer.u32(0)
        writer.u64(generation)
        writer.u64(baseSequence)
        writer.patch32(CRC32C.checksum(writer.bytes), at: 12)
        return writer.bytes
    }

    /// Parses and checks a log header.
    /// - Returns: The generation and base sequence.
    static func parseHeader(_ bytes: [UInt8], path: String) throws(StoreError) -> (generation: UInt64, base: UInt64) {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            throw .corrupted(file: path, offset: 0, Damage("kepala log tidak valid", "bad log header"))
        }
        let version = littleEndian32(bytes, at: 8)
        guard version == formatVersion else { throw .unsupportedFormat(file: path, version: version) }
        var zeroed = Array(bytes[0..<headerSize])
        for index in 12..<16 { zeroed[index] = 0 }
        guard CRC32C.checksum(zeroed) == littleEndian32(bytes, at: 12) else {
            throw .corrupted(
                file: path, offset: 0, Damage("checksum kepala log tidak cocok", "log header checksum mismatch"))
        }
        return (littleEndian64(bytes, at: 16), littleEndian64(bytes, at: 24))
    }

    /// Where each put's value lies inside an encoded frame.
    struct ValueSpan {
        var offset: Int
        var length: Int
        var checksum: UInt32
    }

    /// Appends one commit's frame to `writer`.
    /// - Returns: The location of each write's value relative to the start of `writer` (deletes: nil).
    static func appendFrame(sequence: UInt64, writes: [PlannedWrite], to writer: inout ByteWriter) -> [ValueSpan?] {
        let frameStart = writer.count
        writer.u32(0)
        writer.u32(0)
        writer.u64(sequence)
        writer.u32(UInt32(writes.count))
        var spans: [ValueSpan?] = []
        spans.reserveCapacity(writes.count)
        for write in writes {
            if let version = write.version, case .put(let value, let indexes) = write.mutation.kind {
                writer.u8(1)
                writer.string8(write.key.collection)
                writer.string16(write.key.id)
                writer.u64(version)
                writer.u8(UInt8(indexes.count))
                for entry in indexes {
                    writer.u8(entry.isUnique ? 1 : 0)
                    writer.string8(entry.name)
                    writer.string16(entry.value)
                }
                writer.u32(UInt32(value.count))
                spans.append(ValueSpan(offset: writer.count, length: value.count, checksum: CRC32C.checksum(value)))
                writer.raw(value)
            } else {
                writer.u8(2)
                writer.string8(write.key.collection)
                writer.string16(write.key.id)
                spans.append(nil)
            }
        }
        let payloadLength = writer.count - frameStart - frameHeaderSize
        writer.patch32(UInt32(payloadLength), at: frameStart)
        let checksum = writer.bytes.withUnsafeBytes { raw in
            let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[frameStart..<frameStart + 4]))
            return CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[(frameStart + frameHeaderSize)...]), continuing: lengthCRC)
        }
        writer.patch32(checksum, at: frameStart + 4)
        return spans
    }

    /// One mutation as read back from a frame.
    struct DecodedMutation {
        var key: RecordKey
        /// The record's new version; `nil` for a delete.
        var version: UInt64?
        var indexes: [IndexEntry]
        /// The value's offset from the start of the frame.
        var valueOffset: Int
        var valueLength: Int
    }

    /// One commit as read back from a frame.
    struct DecodedCommit {
        var sequence: UInt64
        var mutations: [DecodedMutation]
    }

    /// Checks and decodes the frame starting at `start` in `frame`.
    /// - Returns: The frame's total size and commit, `.incomplete` when the bytes end inside it, or
    ///   `.damaged` when it fails its checksum or does not parse.
    static func decodeFrame(_ bytes: UnsafeRawBufferPointer, at start: Int) -> FrameResult {
        guard bytes.count - start >= frameHeaderSize else { return .incomplete }
        var reader = ByteReader(bytes, at: start)
        let length = Int(try! reader.u32())
        let stored = try! reader.u32()
        guard length >= minimumPayload, length <= maximumPayload else {
            return .damaged(Damage("panjang frame \(length) tidak wajar", "frame length \(length)"))
        }
        guard bytes.count - start - frameHeaderSize >= length else { return .incomplete }
        let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<start + 4]))
        let payload = UnsafeRawBufferPointer(
            rebasing: bytes[start + frameHeaderSize..<start + frameHeaderSize + length])
        guard CRC32C.checksum(payload, continuing: lengthCRC) == stored else {
            return .damaged(Damage("checksum tidak cocok", "checksum mismatch"))
        }
        do {
            var reader = ByteReader(payload)
            let sequence = try reader.u64()
            let count = Int(try reader.u32())
            var mutations: [DecodedMutation] = []
            mutations.reserveCapacity(min(count, StoreLimits.maximumMutationsPerCommit))
            for _ in 0..<count {
                let kind = try reader.u8()
                let key = RecordKey(collection: try reader.string8(), id: try reader.string16())
                switch kind {
                case 1:
                    let version = try reader.u64()
                    let indexCount = Int(try reader.u8())
                    var indexes: [IndexEntry] = []
                    indexes.reserveCapacity(indexCount)
                    for _ in 0..<indexCount {
                        let flags = try reader.u8()
                        indexes.append(
                            IndexEntry(
                                name: try reader.string8(), value: try reader.string16(), isUnique: flags & 1 != 0))
                    }
                    let valueLength = Int(try reader.u32())
                    let valueStart = try reader.skip(valueLength)
                    mutations.append(
                        DecodedMutation(
                            key: key, version: version, indexes: indexes,
                            valueOffset: frameHeaderSize + valueStart, valueLength: valueLength))
                case 2:
                    mutations.append(
                        DecodedMutation(key: key, version: nil, indexes: [], valueOffset: 0, valueLength: 0))
                default:
                    return .damaged(Damage("jenis mutasi \(kind) tidak dikenal", "unknown mutation kind \(kind)"))
                }
            }
            guard reader.remaining == 0 else {
                return .damaged(Damage("ada byte sisa di dalam frame", "trailing bytes in frame"))
            }
            return .frame(size: frameHeaderSize + length, DecodedCommit(sequence: sequence, mutations: mutations))
        } catch {
            return .damaged(Damage("isi frame tidak valid", "malformed payload"))
        }
    }

    enum FrameResult {
        case frame(size: Int, DecodedCommit)
        case incomplete
        case damaged(Damage)
    }
}

extension LogFormat {
    /// The valid frames at the start of a log's frames: each complete, checksummed, parsed, and
    /// continuing the sequence from `base`.
    /// - Parameters:
    ///   - bytes: The whole log file.
    ///   - base: The log header's base sequence.
    /// - Returns: Where the valid frames end and the last sequence they hold.
    static func validPrefix(of bytes: [UInt8], base: UInt64) -> (end: Int, lastSequence: UInt64) {
        var offset = headerSize
        var sequence = base
        bytes.withUnsafeBytes { raw in
            while offset < raw.count, case .frame(let frameSize, let commit) = decodeFrame(raw, at: offset),
                commit.sequence == sequence + 1
            {
                offset += frameSize
                sequence = commit.sequence
            }
        }
        return (offset, sequence)
    }
}
