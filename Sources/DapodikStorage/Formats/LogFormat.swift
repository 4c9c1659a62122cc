#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The log file: a header, then frames. Byte layouts in `Documentation/StorageFormat.md`.
///
///     header (32 bytes):  magic "DPKSLOG1" | u32 format version | u32 CRC-32C of the header with
///                         this field zero | u64 generation | u64 base sequence
///     frame:              u32 payload length | u32 CRC-32C of (length field + payload) | payload
///     payload, version 2: u64 first sequence | u32 commit count | per commit: u32 mutation count
///                         | mutations (one frame per commit group: a group is one checksummed unit)
///     payload, version 1: u64 sequence | u32 mutation count | mutations (one frame per commit)
///     mutation:           u8 kind (1 put, 2 delete) | str8 collection | str16 id
///                         put only: u64 version | u8 index count | indexes | u32 value length | value
///     index:              u8 flags (bit 0: unique) | str8 name | str16 value
///
/// All integers are little-endian; strN is an N-bit length and that many UTF-8 bytes.
enum LogFormat {
    static let magic: [UInt8] = Array("DPKSLOG1".utf8)
    /// The version new logs are written in: 3, frames as in version 2 (one per commit group, issue
    /// 10, defect 3), in a preallocated, zero-filled file written in place (issue 15).
    static let formatVersion: UInt32 = 3
    /// The versions read: 1 (one frame per commit), 2 (appended frames, one per commit group) and 3.
    static let readableVersions: ClosedRange<UInt32> = 1...3
    /// The first version whose file is preallocated: zero after the last frame, its size no longer
    /// where the log ends, its frames synced with `fdatasync`.
    static let preallocatedVersion: UInt32 = 3
    static let headerSize = 32
    static let frameHeaderSize = 8
    /// The smallest payload: a sequence and a mutation count.
    static let minimumPayload = 12
    /// The largest payload a frame may announce; larger lengths are damage.
    static let maximumPayload = 1 << 30
    /// An upper bound of one commit's encoding within a frame (StoreLimits: values, and per mutation
    /// its key and every index entry at their longest): about 490 MB, so a commit always fits a frame.
    static let maximumCommitEncoding =
        4 + StoreLimits.maximumCommitBytes + StoreLimits.maximumMutationsPerCommit
        * (1 + 1 + StoreLimits.maximumCollectionBytes + 2 + StoreLimits.maximumIdentifierBytes + 8 + 1 + 4
            + StoreLimits.maximumIndexesPerRecord
            * (1 + 1 + StoreLimits.maximumIndexNameBytes + 2 + StoreLimits.maximumIndexValueBytes))

    static func header(generation: UInt64, baseSequence: UInt64, version: UInt32 = formatVersion) -> [UInt8] {
        var writer = ByteWriter(capacity: headerSize)
        writer.raw(magic)
        writer.u32(version)
        writer.u32(0)
        writer.u64(generation)
        writer.u64(baseSequence)
        writer.patch32(CRC32C.checksum(writer.bytes), at: 12)
        return writer.bytes
    }

    /// Parses and checks a log header.
    /// - Returns: The generation, base sequence and format version.
    static func parseHeader(_ bytes: [UInt8], path: String) throws(StoreError) -> (
        generation: UInt64, base: UInt64, version: UInt32
    ) {
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == magic else {
            throw .corrupted(file: path, offset: 0, Damage("kepala log tidak valid", "bad log header"))
        }
        let version = littleEndian32(bytes, at: 8)
        guard readableVersions.contains(version) else { throw .unsupportedFormat(file: path, version: version) }
        var zeroed = Array(bytes[0..<headerSize])
        for index in 12..<16 { zeroed[index] = 0 }
        guard CRC32C.checksum(zeroed) == littleEndian32(bytes, at: 12) else {
            throw .corrupted(
                file: path, offset: 0, Damage("checksum kepala log tidak cocok", "log header checksum mismatch"))
        }
        return (littleEndian64(bytes, at: 16), littleEndian64(bytes, at: 24), version)
    }

    /// Whether the log ends at `start` (a preallocated log): eight zero bytes where the next frame's
    /// length and checksum would be (no frame has a zero length), or fewer zero bytes up to the end
    /// of the file.
    /// - Parameter bytesEndTheFile: Whether `bytes` reach the end of the file.
    static func isEndOfLog(_ bytes: UnsafeRawBufferPointer, at start: Int, bytesEndTheFile: Bool) -> Bool {
        let remaining = bytes.count - start
        guard remaining >= frameHeaderSize || bytesEndTheFile else { return false }
        for index in start..<start + min(remaining, frameHeaderSize) where bytes[index] != 0 { return false }
        return true
    }

    /// Where each put's value lies inside an encoded frame.
    struct ValueSpan {
        var offset: Int
        var length: Int
        var checksum: UInt32
    }

    /// A frame being written: where it starts, and its commits so far.
    struct OpenFrame {
        let start: Int
        let version: UInt32
        var commits: UInt32 = 0
    }

    /// Starts a frame at the end of `writer`: placeholders for the length and checksum, the first
    /// sequence and (version 2) a placeholder for the commit count.
    static func beginFrame(firstSequence: UInt64, version: UInt32, to writer: inout ByteWriter) -> OpenFrame {
        let frame = OpenFrame(start: writer.count, version: version)
        writer.u32(0)
        writer.u32(0)
        writer.u64(firstSequence)
        if version >= 2 { writer.u32(0) }
        return frame
    }

    /// How many payload bytes an open frame holds so far.
    static func payloadLength(of frame: OpenFrame, _ writer: ByteWriter) -> Int {
        writer.count - frame.start - frameHeaderSize
    }

    /// Closes a frame: its length, commit count and checksum.
    static func endFrame(_ frame: OpenFrame, _ writer: inout ByteWriter) {
        let frameStart = frame.start
        writer.patch32(UInt32(payloadLength(of: frame, writer)), at: frameStart)
        if frame.version >= 2 { writer.patch32(frame.commits, at: frameStart + frameHeaderSize + 8) }
        let checksum = writer.bytes.withUnsafeBytes { raw in
            let lengthCRC = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[frameStart..<frameStart + 4]))
            return CRC32C.checksum(
                UnsafeRawBufferPointer(rebasing: raw[(frameStart + frameHeaderSize)...]), continuing: lengthCRC)
        }
        writer.patch32(checksum, at: frameStart + 4)
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

    /// Checks and decodes the frame starting at `start` in `bytes`.
    /// - Parameters:
    ///   - version: The log's format version.
    ///   - verifyingChecksum: `false` only to read what a damaged frame held (salvage's report).
    /// - Returns: The frame's total size and commits (at least one, with consecutive sequences),
    ///   `.incomplete` when the bytes end inside it, or `.damaged` when it fails its checksum or does
    ///   not parse.
    static func decodeFrame(
        _ bytes: UnsafeRawBufferPointer, at start: Int, version: UInt32, verifyingChecksum: Bool = true
    ) -> FrameResult {
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
        guard !verifyingChecksum || CRC32C.checksum(payload, continuing: lengthCRC) == stored else {
            return .damaged(Damage("checksum tidak cocok", "checksum mismatch"))
        }
        do {
            var reader = ByteReader(payload)
            let firstSequence = try reader.u64()
            let commitCount = version >= 2 ? Int(try reader.u32()) : 1
            // Every commit takes at least its 4-byte mutation count.
            guard commitCount >= 1, commitCount <= length / 4, firstSequence <= UInt64.max - UInt64(commitCount) else {
                return .damaged(Damage("jumlah commit \(commitCount) tidak wajar", "commit count \(commitCount)"))
            }
            var commits: [DecodedCommit] = []
            commits.reserveCapacity(commitCount)
            for index in 0..<commitCount {
                guard let mutations = try decodeMutations(&reader) else {
                    return .damaged(Damage("jenis mutasi tidak dikenal", "unknown mutation kind"))
                }
                commits.append(DecodedCommit(sequence: firstSequence + UInt64(index), mutations: mutations))
            }
            guard reader.remaining == 0 else {
                return .damaged(Damage("ada byte sisa di dalam frame", "trailing bytes in frame"))
            }
            return .frame(size: frameHeaderSize + length, commits)
        } catch {
            return .damaged(Damage("isi frame tidak valid", "malformed payload"))
        }
    }

    /// Decodes one commit's mutations; `nil` for an unknown mutation kind.
    private static func decodeMutations(_ reader: inout ByteReader) throws -> [DecodedMutation]? {
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
                        IndexEntry(name: try reader.string8(), value: try reader.string16(), isUnique: flags & 1 != 0))
                }
                let valueLength = Int(try reader.u32())
                let valueStart = try reader.skip(valueLength)
                mutations.append(
                    DecodedMutation(
                        key: key, version: version, indexes: indexes, valueOffset: frameHeaderSize + valueStart,
                        valueLength: valueLength))
            case 2:
                mutations.append(DecodedMutation(key: key, version: nil, indexes: [], valueOffset: 0, valueLength: 0))
            default:
                return nil
            }
        }
        return mutations
    }

    enum FrameResult {
        case frame(size: Int, [DecodedCommit])
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
    static func validPrefix(of bytes: [UInt8], base: UInt64, version: UInt32) -> (end: Int, lastSequence: UInt64) {
        var offset = headerSize
        var sequence = base
        bytes.withUnsafeBytes { raw in
            while offset < raw.count,
                case .frame(let frameSize, let commits) = decodeFrame(raw, at: offset, version: version),
                commits[0].sequence == sequence + 1
            {
                offset += frameSize
                sequence = commits[commits.count - 1].sequence
            }
        }
        return (offset, sequence)
    }
}
