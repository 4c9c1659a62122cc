#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension SnapshotIndex {
    /// Reads every value of the snapshot at `path` and checks it against its CRC-32C, as opening
    /// does not (opening reads the index; a value is checked when it is read): a damaged value is
    /// found before a copy of the snapshot is called a backup, not when a sync reads that record.
    /// One sequential pass through an 8 MiB window.
    /// - Parameter path: A snapshot file.
    /// - Throws: `corrupted` naming the file and the offset of the first damage (in the index or a
    ///   value), `unsupportedFormat`, `ioFailure`.
    static func verifyEveryValue(ofSnapshotAt path: String) throws(StoreError) {
        let fd = try SystemCalls.open(path, O_RDONLY)
        defer { SystemCalls.close(fd) }
        let index = try load(fd: fd, path: path)
        _ = try index.verifyEveryValue(fd: fd, path: path)
    }

    /// Reads every value of this index's snapshot, open as `fd`, and checks it against its CRC-32C.
    /// - Parameters:
    ///   - fd: The snapshot file this index was loaded from, open for reading (not closed here).
    ///   - path: Its path, for errors.
    /// - Returns: How many bytes were read.
    /// - Throws: `corrupted` naming the file and the offset of the first damaged value, `ioFailure`.
    func verifyEveryValue(fd: Int32, path: String) throws(StoreError) -> UInt64 {
        var values = SequentialReader(fd: fd, path: path)
        for ordinal in 0..<count {
            let (_, record) = try entry(at: UInt64(littleEndian: order[ordinal]))
            _ = try values.read(record.payload)
        }
        return values.bytesRead
    }
}
