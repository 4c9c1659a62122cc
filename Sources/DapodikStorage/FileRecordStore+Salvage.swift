#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

extension FileRecordStore {
    /// What ``salvage(directory:)`` did.
    public struct SalvageReport: Sendable, Hashable {
        /// The log that was cut, or `nil` when there was nothing to salvage.
        public var file: String?
        /// Where the log was cut: the first damaged byte.
        public var offset: UInt64?
        /// How many bytes were cut off (damaged and everything after it).
        public var removedBytes: UInt64
        /// The untouched copy of the damaged log, kept for inspection (never removed by the store).
        public var damagedCopy: String?
        /// The last commit kept.
        public var lastSequence: UInt64
    }

    /// Makes a store whose log is damaged in the middle openable again, by cutting the log at the
    /// first damaged frame. **Commits after that point are lost** from the store (they remain in the
    /// copy); run it only after deciding that is acceptable, e.g. when no backup is newer.
    ///
    /// Steps: take the exclusive lock; copy the current log byte for byte to
    /// `log-<generation>.damaged-<offset>` and `fsync` it; truncate the log at the damage and `fsync`
    /// it and the directory. A damaged snapshot or manifest cannot be salvaged this way: restore the
    /// directory from a backup.
    /// - Parameter directory: The store's directory. No process may have it open.
    /// - Returns: What was cut; `file == nil` when the log had no damage (then nothing changed).
    /// - Throws: ``StoreError``: `corrupted` for a damaged log header, snapshot or manifest,
    ///   `ioFailure`.
    public static func salvage(directory: URL) throws(StoreError) -> SalvageReport {
        let directoryPath = directory.path
        let lockFD = try SystemCalls.open(directoryPath + "/" + FileEngine.lockName, O_RDWR | O_CREAT)
        defer { SystemCalls.close(lockFD) }
        try SystemCalls.lock(lockFD, exclusive: true, path: directoryPath + "/" + FileEngine.lockName)
        defer { SystemCalls.unlock(lockFD) }

        let manifest = directoryPath + "/" + FileEngine.manifestName
        let generation = try FileEngine.readManifest(at: manifest)
        let logPath = directoryPath + "/" + FileEngine.logName(generation)
        let fd = try SystemCalls.open(logPath, O_RDWR)
        defer { SystemCalls.close(fd) }
        let size = try SystemCalls.status(fd, path: logPath).size
        let bytes = try SystemCalls.read(fd, count: Int(size), at: 0, path: logPath)
        let header = try LogFormat.parseHeader(bytes, path: logPath)
        var offset = LogFormat.headerSize
        var sequence = header.base
        bytes.withUnsafeBytes { raw in
            while offset < raw.count, case .frame(let frameSize, let commit) = LogFormat.decodeFrame(raw, at: offset),
                commit.sequence == sequence + 1
            {
                offset += frameSize
                sequence = commit.sequence
            }
        }
        guard offset < bytes.count else {
            return SalvageReport(file: nil, offset: nil, removedBytes: 0, damagedCopy: nil, lastSequence: sequence)
        }
        let copy = logPath + ".damaged-\(offset)"
        try FileEngine.writeNewFile(copy, bytes)
        try SystemCalls.truncate(fd, to: UInt64(offset), path: logPath)
        try SystemCalls.sync(fd, path: logPath)
        try SystemCalls.syncDirectory(directoryPath)
        return SalvageReport(
            file: logPath, offset: UInt64(offset), removedBytes: size - UInt64(offset), damagedCopy: copy,
            lastSequence: sequence)
    }
}
