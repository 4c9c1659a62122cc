// What follows the log's last valid frame: refused when it hides acknowledged commits, removed
// (cut off or zeroed) when it is a torn write.
extension FileEngine {
    /// Under the exclusive lock, where the valid frames end (at `offset`): refuses a log whose last
    /// valid commit is older than the last one acknowledged (``LockFile/acknowledgedSequence``).
    /// What follows is then not a torn write that nobody was told of but lost or damaged commits
    /// (the log cut short, or damage at its end), kept as they are for salvage, never removed.
    func requireAcknowledgedCommits(endingAt offset: UInt64, damage: Damage? = nil) throws(StoreError) {
        let acknowledged = lockFile.acknowledgedSequence
        let last = table.lastSequence
        guard last < acknowledged else { return }
        var indonesian = "log berakhir pada commit \(last), padahal commit sampai \(acknowledged) sudah dikonfirmasi"
        var english = "the log ends at commit \(last), but commits up to \(acknowledged) were acknowledged"
        if let damage {
            indonesian += " (\(damage.indonesian))"
            english += " (\(damage.english))"
        }
        throw .corrupted(file: logPath, offset: offset, Damage(indonesian, english))
    }

    /// Removes what follows the last valid frame, at `offset`, durably: an appended log is cut
    /// there; a preallocated log keeps its size and has every non-zero byte after `offset` zeroed
    /// (a crash may leave bytes of an unfinished write anywhere in the tail, even after zeros), so
    /// that nothing but zeros ever follows its last frame.
    func removeTail(from offset: UInt64, size: UInt64) throws(StoreError) {
        guard isPreallocated else {
            guard offset < size else { return }
            // A frame is written only after the one before it is durable, so a crash tears the last
            // frame only. A frame that seems to run past the end (a damaged length) followed by frames
            // that continue the history is damage in the middle: refuse, never cut acknowledged commits.
            if try validFrameExists(after: offset, size: size) {
                throw .corrupted(
                    file: logPath, offset: offset,
                    Damage(
                        "frame yang terpotong diikuti frame yang valid", "torn frame followed by valid frames"))
            }
            try SystemCalls.truncate(logFD, to: offset, path: logPath)
            try SystemCalls.sync(logFD, path: logPath)
            return
        }
        guard let dirtyEnd = try lastNonZeroEnd(from: offset, to: size) else { return }
        // Eight zero bytes where a frame's header was (damage, not a crash: the writer never
        // writes a frame's end before its start) followed by frames that continue the history:
        // refuse, as for any damage in the middle, rather than zero acknowledged commits.
        if try validFrameExists(after: offset, size: size) {
            throw .corrupted(
                file: logPath, offset: offset,
                Damage("frame berisi nol diikuti frame yang valid", "zeroed frame followed by valid frames"))
        }
        try Self.writeZeros(logFD, path: logPath, from: offset, to: dirtyEnd)
        try SystemCalls.syncData(logFD, path: logPath)
    }

    /// Where the log's bytes in `start ..< end` stop being zero: one past the last byte that is not,
    /// or `nil` when all are zero. Read in chunks of ``scanChunk``; a short file ends the scan.
    func lastNonZeroEnd(from start: UInt64, to end: UInt64) throws(StoreError) -> UInt64? {
        var position = start
        var dirtyEnd: UInt64?
        while position < end {
            let chunk = try SystemCalls.read(
                logFD, count: Int(min(end - position, UInt64(Self.scanChunk))), at: position, path: logPath)
            if chunk.isEmpty { break }
            if let last = chunk.lastIndex(where: { $0 != 0 }) { dirtyEnd = position + UInt64(last) + 1 }
            position += UInt64(chunk.count)
        }
        return dirtyEnd
    }

    /// Writes zeros over `start ..< end` (in pieces of at most 4 MiB), without syncing.
    static func writeZeros(_ fd: Int32, path: String, from start: UInt64, to end: UInt64) throws(StoreError) {
        let zeros = [UInt8](repeating: 0, count: Int(min(end - start, 4 << 20)))
        var position = start
        while position < end {
            let count = Int(min(end - position, UInt64(zeros.count)))
            try SystemCalls.write(fd, count == zeros.count ? zeros : Array(zeros[0..<count]), at: position, path: path)
            position += UInt64(count)
        }
    }
}
