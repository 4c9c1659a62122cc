/// Reads values at mostly increasing offsets through an 8 MiB window, so copying a snapshot's or a
/// log's values takes a few large reads instead of one `pread` per value. Every value is checked
/// against its CRC-32C.
///
/// A value outside the window moves the window to it only when it lies beyond every value read so
/// far; one behind that (a commit's values are visited in key order, not in the order they were
/// written) is read by itself. So the windows never go backwards: whatever the order, they read the
/// file about once (a window overlaps the one before it only by the value that did not fit), and a
/// value behind costs one `pread` of its own length, as it would without the window.
struct SequentialReader {
    let fd: Int32
    let path: String
    private var window: [UInt8] = []
    private var windowStart: UInt64 = 0
    /// The end of the furthest value read so far.
    private var furthestEnd: UInt64 = 0
    /// How many bytes the reader has read from the file so far (tests bound it).
    private(set) var bytesRead: UInt64 = 0

    /// The window's size, unless a value is larger.
    static let windowBytes = 8 << 20

    /// A reader of an open file.
    /// - Parameters:
    ///   - fd: The file, open for reading; the reader does not close it.
    ///   - path: Its path, for errors.
    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// The value at `location`, checked against its checksum.
    /// - Throws: ``StoreError`` `corrupted` when the value lies beyond the end of the file or fails
    ///   its checksum; `ioFailure` when a read fails.
    mutating func read(_ location: ValueLocation) throws(StoreError) -> ArraySlice<UInt8> {
        let length = UInt64(location.length)
        let windowEnd = windowStart + UInt64(window.count)
        if location.offset < windowStart || location.offset > windowEnd || length > windowEnd - location.offset {
            guard location.offset >= furthestEnd else {
                bytesRead += length
                return try FileEngine.readValue(
                    location, snapshotFD: fd, snapshotPath: path, logFD: fd, logPath: path)[...]
            }
            windowStart = location.offset
            window = try SystemCalls.read(
                fd, count: max(Self.windowBytes, Int(length)), at: location.offset, path: path)
            bytesRead += UInt64(window.count)
        }
        furthestEnd = max(furthestEnd, location.offset + length)
        guard location.offset >= windowStart, length <= windowStart + UInt64(window.count) - location.offset else {
            throw .corrupted(
                file: path, offset: location.offset,
                Damage("nilai melewati akhir berkas", "value beyond the end of the file"))
        }
        let start = Int(location.offset - windowStart)
        let value = window[start..<start + Int(length)]
        guard CRC32C.checksum(value) == location.checksum else {
            throw .corrupted(
                file: path, offset: location.offset, Damage("checksum nilai tidak cocok", "value checksum mismatch"))
        }
        return value
    }
}
