/// Where a record's value lies in the current generation's files, and its CRC-32C, so that reading
/// it back is one `pread` and a checksum; the value itself is not kept in memory.
struct ValueLocation: Sendable {
    /// The offset in the file, with the top bit set when the file is the snapshot (not the log).
    private var packedOffset: UInt64
    var length: UInt32
    var checksum: UInt32

    private static let snapshotBit: UInt64 = 1 << 63

    init(inSnapshot: Bool, offset: UInt64, length: UInt32, checksum: UInt32) {
        self.packedOffset = inSnapshot ? offset | Self.snapshotBit : offset
        self.length = length
        self.checksum = checksum
    }

    var inSnapshot: Bool { packedOffset & Self.snapshotBit != 0 }
    var offset: UInt64 { packedOffset & ~Self.snapshotBit }
}
