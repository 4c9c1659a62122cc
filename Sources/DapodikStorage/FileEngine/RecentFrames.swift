#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The bytes of the last commit groups this process wrote to the current log, kept after their flush
/// so that reading back a value just committed costs no `pread` (the verification cycle rereads the
/// challenge and the account it wrote a moment earlier: 1.5 `pread` per commit before).
///
/// Kept by place in the log, not by key, which is what makes it safe across processes: the bytes of
/// a log at an offset never change once a frame there is durable (frames are only ever written after
/// the last one; a torn tail removed or a failed group zeroed was never published), so a value found
/// here is the one on disk at the location the table names. Which location is current stays the
/// table's business, refreshed from the files by the existing rules: when another process changes a
/// record, the table names its new location after catching up, and these bytes are not asked for.
/// A new generation (one loaded, or a compaction installed) names other files: everything is dropped.
/// A value served from here is still checked against the location's CRC-32C; a mismatch falls back
/// to the file.
struct RecentFrames {
    /// The most bytes held; the oldest groups are dropped first. A group larger than this is not kept.
    let capacity: Int
    /// Where each group kept starts in the log, increasing, from `first` on.
    private var starts: [UInt64] = []
    private var groups: [[UInt8]] = []
    /// The index of the oldest group still kept (the ones before it were dropped).
    private var first = 0
    /// The bytes of the groups kept.
    private(set) var byteCount = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
    }

    /// How many groups are kept.
    var count: Int { starts.count - first }

    /// Keeps a group's bytes, written durably at `start` in the current log, after every group kept.
    mutating func add(start: UInt64, bytes: [UInt8]) {
        if let last = starts.last, first < starts.count, start < last + UInt64(groups[groups.count - 1].count) {
            // Not after the last group: the log is not the one the kept groups came from.
            removeAll()
        }
        guard bytes.count <= capacity, !bytes.isEmpty else { return }
        starts.append(start)
        groups.append(bytes)
        byteCount += bytes.count
        while byteCount > capacity {
            byteCount -= groups[first].count
            groups[first] = []
            first += 1
        }
        if first >= 64, first * 2 >= starts.count {
            starts.removeFirst(first)
            groups.removeFirst(first)
            first = 0
        }
    }

    /// Drops every group (a new generation, or a log not continued).
    mutating func removeAll() {
        starts.removeAll()
        groups.removeAll()
        first = 0
        byteCount = 0
    }

    /// The value at a location in the current log, if a kept group holds it and it matches the
    /// location's checksum.
    func value(at location: ValueLocation) -> Data? {
        guard !location.inSnapshot, first < starts.count else { return nil }
        let offset = location.offset
        // The last group starting at or before the offset.
        var low = first
        var high = starts.count
        while low < high {
            let middle = (low + high) / 2
            if starts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > first else { return nil }
        let index = low - 1
        let bytes = groups[index]
        let begin = offset - starts[index]
        guard begin + UInt64(location.length) <= UInt64(bytes.count) else { return nil }
        return bytes.withUnsafeBytes { raw -> Data? in
            let value = UnsafeRawBufferPointer(rebasing: raw[Int(begin)..<Int(begin) + Int(location.length)])
            guard CRC32C.checksum(value) == location.checksum else { return nil }
            return Data(value)
        }
    }
}
