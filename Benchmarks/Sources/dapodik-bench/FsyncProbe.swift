import BenchmarkHarness
import BenchmarkReport

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The disk's own durable-write rate: 4 KiB written and `fsync`ed in a loop, in the directory the
/// stores use. No store can acknowledge durable commits faster than this with one writer; a store that
/// does is either batching several commits into one `fsync` (group commit) or not durable.
enum FsyncProbe {
    /// How each write lands in the probe file.
    enum Placement: String {
        /// Every write overwrites the first 4 KiB: the file's size never changes, so `fsync` flushes
        /// data only (the cheapest durable write the file system offers).
        case overwrite
        /// Every write appends 4 KiB, as a log does: `fsync` also commits the size change to the
        /// file system's journal.
        case append
    }

    /// How each write is made durable.
    enum Flush: String {
        /// `fsync` (`F_FULLFSYNC` on Darwin): data and all metadata.
        case fsync
        /// `fdatasync`: data and the metadata needed to read it back (the size), not the times; what
        /// SQLite uses on Linux.
        case fdatasync
    }

    static func run(
        directory: String, placement: Placement, flush: Flush = .fsync, operations: Int, round: Int
    ) throws -> BenchmarkResult {
        let path = directory + "/fsync-probe-\(placement.rawValue).tmp"
        let descriptor = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw SystemCallError("open \(path)") }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0xA5, count: 4096)
        var offset: off_t = 0
        let statistics = try Measure.serial(warmUp: min(20, operations / 10), operations: operations) {
            let written = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, offset) }
            guard written == block.count else { throw SystemCallError("pwrite") }
            #if canImport(Darwin)
                guard fcntl(descriptor, F_FULLFSYNC) == 0 else { throw SystemCallError("F_FULLFSYNC") }
            #else
                switch flush {
                case .fsync: guard fsync(descriptor) == 0 else { throw SystemCallError("fsync") }
                case .fdatasync: guard fdatasync(descriptor) == 0 else { throw SystemCallError("fdatasync") }
                }
            #endif
            if placement == .append { offset += off_t(block.count) }
        }
        return BenchmarkResult(
            scenario: "fsync", variant: "4 KiB \(placement.rawValue) + \(flush.rawValue)", subject: "disk",
            round: round,
            statistics: statistics)
    }
}

/// A failed system call, with its `errno`.
struct SystemCallError: Error, CustomStringConvertible {
    var call: String
    var number: Int32

    init(_ call: String) {
        self.call = call
        number = errno
    }

    var description: String { "\(call) failed: \(String(cString: strerror(number))) (errno \(number))" }
}
