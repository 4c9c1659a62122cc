#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A commit's log bytes made before its group is (issue 15): every byte of its mutations, and the
/// checksums of its values, depend only on the mutations, except each put's version, which only the
/// group's check against the store's state decides. So the caller's thread encodes them, and the
/// thread committing the group (with many clients, the limit) only copies them into the frame and
/// writes the versions in. The bytes are those ``LogFormat``'s layout has always given.
extension LogFormat {
    /// One commit's mutations, encoded with each put's version left as eight zero bytes.
    struct EncodedCommit: Sendable {
        /// The mutations' encodings, in batch order, one after the other.
        let bytes: [UInt8]
        /// Where each mutation's encoding ends in ``bytes``.
        let ends: [Int]
        /// Where each put's version lies in ``bytes`` (a delete: -1).
        let versionOffsets: [Int]
        /// Where each put's value lies in ``bytes``, with its CRC-32C (a delete: `nil`).
        let values: [ValueSpan?]

        /// Encodes validated mutations (``StoreLimits``).
        init(_ mutations: [Mutation]) {
            var writer = ByteWriter(capacity: Self.encodedSize(of: mutations))
            var ends: [Int] = []
            var versionOffsets: [Int] = []
            var values: [ValueSpan?] = []
            ends.reserveCapacity(mutations.count)
            versionOffsets.reserveCapacity(mutations.count)
            values.reserveCapacity(mutations.count)
            for mutation in mutations {
                if case .put(let value, let indexes) = mutation.kind {
                    writer.u8(1)
                    writer.string8(mutation.key.collection)
                    writer.string16(mutation.key.id)
                    versionOffsets.append(writer.count)
                    writer.u64(0)
                    writer.u8(UInt8(indexes.count))
                    for entry in indexes {
                        writer.u8(entry.isUnique ? 1 : 0)
                        writer.string8(entry.name)
                        writer.string16(entry.value)
                    }
                    writer.u32(UInt32(value.count))
                    let offset = writer.count
                    let checksum = value.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> UInt32 in
                        writer.raw(raw)
                        return CRC32C.checksum(raw)
                    }
                    values.append(ValueSpan(offset: offset, length: value.count, checksum: checksum))
                } else {
                    writer.u8(2)
                    writer.string8(mutation.key.collection)
                    writer.string16(mutation.key.id)
                    versionOffsets.append(-1)
                    values.append(nil)
                }
                ends.append(writer.count)
            }
            bytes = writer.bytes
            self.ends = ends
            self.versionOffsets = versionOffsets
            self.values = values
        }

        /// The exact size of the mutations' encoding (so the buffer is allocated once).
        private static func encodedSize(of mutations: [Mutation]) -> Int {
            var size = 0
            for mutation in mutations {
                size += 1 + 1 + mutation.key.collection.utf8.count + 2 + mutation.key.id.utf8.count
                guard case .put(let value, let indexes) = mutation.kind else { continue }
                size += 8 + 1 + 4 + value.count
                for entry in indexes { size += 1 + 1 + entry.name.utf8.count + 2 + entry.value.utf8.count }
            }
            return size
        }
    }

    /// Appends one commit to an open frame (a version 1 frame holds exactly one): its mutation count,
    /// then the encoding of each mutation that writes (a delete of a missing key writes nothing), its
    /// version written in. The bytes are those of encoding the planned writes field by field.
    /// - Parameter changes: What each mutation of `commit` writes, in batch order (``CommitPlanning/check(_:)``).
    /// - Returns: The location of each mutation's value relative to the start of `writer` (a delete,
    ///   or a mutation that writes nothing: `nil`), in batch order.
    static func appendCommit(
        _ commit: EncodedCommit, changes: [PlannedChange], to frame: inout OpenFrame, _ writer: inout ByteWriter
    ) -> [ValueSpan?] {
        frame.commits += 1
        let written = changes.count { $0 != .none }
        writer.u32(UInt32(written))
        // Where byte 0 of `commit.bytes` lies in `writer`; a mutation left out moves those after it back.
        let base = writer.count
        if written == changes.count {
            writer.raw(commit.bytes)
        } else {
            var start = 0
            for (position, change) in changes.enumerated() {
                let end = commit.ends[position]
                if change != .none {
                    commit.bytes.withUnsafeBytes { writer.raw(UnsafeRawBufferPointer(rebasing: $0[start..<end])) }
                }
                start = end
            }
        }
        var spans: [ValueSpan?] = []
        spans.reserveCapacity(changes.count)
        var shift = 0
        var start = 0
        for (position, change) in changes.enumerated() {
            let end = commit.ends[position]
            defer { start = end }
            switch change {
            case .put(let version):
                writer.patch64(version, at: base + shift + commit.versionOffsets[position])
                var span = commit.values[position]!
                span.offset += base + shift
                spans.append(span)
            case .delete:
                spans.append(nil)
            case .none:
                // The mutations after it moved back by its length.
                shift -= end - start
                spans.append(nil)
            }
        }
        return spans
    }
}
