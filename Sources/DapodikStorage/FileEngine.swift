#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The state and file work of one open ``FileRecordStore``: the current generation's files, the
/// in-memory index of every record, and the rules of `Documentation/StorageFormat.md`.
///
/// `@unchecked Sendable` is safe because the only reference lives inside ``FileRecordStore``'s
/// `LockedValue<FileEngine>` and every use of it happens inside that mutex's `withLock`; the type itself
/// is not thread-safe and is never handed out. (A group's flush runs outside the mutex, but on the
/// values of a ``PreparedGroup`` only, never on the engine.)
final class FileEngine: @unchecked Sendable {
    enum LockMode {
        case none
        case shared
        case exclusive
    }

    let directory: String
    let options: FileRecordStore.Options
    private var lockFD: Int32
    var generation: UInt64 = 0
    var logFD: Int32 = -1
    var snapshotFD: Int32 = -1
    var table = GenerationTable(snapshot: .empty)
    /// The offset just after the last log frame applied to `table`.
    var appliedEnd: UInt64 = 0
    /// The last sequence in the snapshot; the log continues after it.
    var baseSequence: UInt64 = 0
    var logSequences: [UInt64] = []
    var logOffsets: [UInt64] = []
    /// Set when the store is closed or poisoned: every later call fails with it.
    var failure: StoreError?
    /// Set while a commit group is flushed, or a compaction writes the next generation, outside the
    /// store's mutex: this process holds the exclusive lock meanwhile, so no other process changes
    /// the files, and the bytes past `appliedEnd` are the group's own, not yet durable: readers
    /// must not catch up with them (nor follow the compaction before it is installed).
    var flushInFlight = false
    /// Set when ``close()`` came during a flush or compaction: the files are closed after it.
    var closeRequested = false

    static let lockName = "LOCK"
    static let manifestName = "CURRENT"
    static let scanChunk = 8 << 20
    /// The store format named in `CURRENT`: 2 since snapshots carry their hash tables.
    static let storeFormat: UInt32 = 2

    private init(directory: String, options: FileRecordStore.Options, lockFD: Int32) {
        self.directory = directory
        self.options = options
        self.lockFD = lockFD
    }

    deinit { closeAll() }

    func path(_ name: String) -> String { directory + "/" + name }
    static func snapshotName(_ generation: UInt64) -> String { "snapshot-\(generation)" }
    static func logName(_ generation: UInt64) -> String { "log-\(generation)" }
    var logPath: String { path(Self.logName(generation)) }
    var snapshotPath: String { path(Self.snapshotName(generation)) }

    // MARK: Opening

    static func open(directory: String, options: FileRecordStore.Options) throws(StoreError) -> FileEngine {
        if try SystemCalls.makeDirectory(directory) {
            try SystemCalls.syncDirectory(parent(of: directory))
        }
        let lockFD = try SystemCalls.open(directory + "/" + lockName, O_RDWR | O_CREAT)
        let engine = FileEngine(directory: directory, options: options, lockFD: lockFD)
        try engine.withLock(exclusive: true) { () throws(StoreError) in
            if !SystemCalls.exists(engine.path(manifestName)) {
                try engine.createFirstGeneration()
            }
            let current = try engine.readManifest()
            try engine.removeLeftovers(keeping: current)
            try engine.load(generation: current, mode: .exclusive)
        }
        return engine
    }

    private static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    func lockExclusively() throws(StoreError) {
        try SystemCalls.lock(lockFD, exclusive: true, path: path(Self.lockName))
    }

    func unlock() {
        SystemCalls.unlock(lockFD)
    }

    func withLock<T>(exclusive: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try SystemCalls.lock(lockFD, exclusive: exclusive, path: path(Self.lockName))
        defer { SystemCalls.unlock(lockFD) }
        return try body()
    }

    private func createFirstGeneration() throws(StoreError) {
        try removeLeftovers(keeping: nil)
        let snapshot = path(Self.snapshotName(1))
        let fd = try SystemCalls.open(snapshot, O_RDWR | O_CREAT | O_TRUNC)
        defer { SystemCalls.close(fd) }
        var output = BufferedFileWriter(fd: fd, path: snapshot)
        try output.append(SnapshotFormat.header(generation: 1, lastSequence: 0))
        let builder = SnapshotBuilder(generation: 1, lastSequence: 0, names: [], recordBound: 0, uniqueBound: 0)
        _ = try builder.finish(path: snapshot, output: &output)
        try SystemCalls.sync(fd, path: snapshot)
        try Self.writeNewFile(path(Self.logName(1)), LogFormat.header(generation: 1, baseSequence: 0))
        try SystemCalls.syncDirectory(directory)
        try writeManifest(generation: 1)
    }

    static func writeNewFile(_ path: String, _ bytes: [UInt8]) throws(StoreError) {
        let fd = try SystemCalls.open(path, O_RDWR | O_CREAT | O_TRUNC)
        defer { SystemCalls.close(fd) }
        try SystemCalls.write(fd, bytes, at: 0, path: path)
        try SystemCalls.sync(fd, path: path)
    }

    // MARK: Manifest

    static func manifestText(generation: UInt64, format: UInt32 = storeFormat) -> String {
        let body = "dapodik-store format=\(format) generation=\(generation)"
        let checksum = String(CRC32C.checksum(Array(body.utf8)), radix: 16)
        return body + " crc32c=" + String(repeating: "0", count: 8 - checksum.count) + checksum + "\n"
    }

    /// Reads `CURRENT`. A manifest of another format is refused as `unsupportedFormat` only when its
    /// checksum holds; otherwise it is damage.
    func readManifest() throws(StoreError) -> UInt64 {
        let manifest = path(Self.manifestName)
        let fd = try SystemCalls.open(manifest, O_RDONLY)
        defer { SystemCalls.close(fd) }
        let bytes = try SystemCalls.read(fd, count: 256, at: 0, path: manifest)
        let text = String(decoding: bytes, as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count == 4, fields[0] == "dapodik-store", fields[1].hasPrefix("format="),
            let format = UInt32(fields[1].dropFirst("format=".count)),
            fields[2].hasPrefix("generation="), let generation = UInt64(fields[2].dropFirst("generation=".count)),
            generation > 0, Self.manifestText(generation: generation, format: format) == text
        else {
            throw .corrupted(file: manifest, offset: 0, "unreadable manifest")
        }
        guard format == Self.storeFormat else { throw .unsupportedFormat(file: manifest, version: format) }
        return generation
    }

    /// Switches the store to a generation: writes `CURRENT.tmp`, syncs it, renames it over `CURRENT`
    /// and syncs the directory. The rename is the commit point.
    func writeManifest(generation: UInt64) throws(StoreError) {
        try Self.writeManifest(directory: directory, generation: generation, hook: nil)
    }

    /// ``writeManifest(generation:)`` for a compaction, which runs outside the engine's mutex and
    /// reports the step in between to `hook`.
    static func writeManifest(
        directory: String, generation: UInt64, hook: (@Sendable (CompactionStep) -> Void)?
    ) throws(StoreError) {
        let temporary = directory + "/" + manifestName + ".tmp"
        try writeNewFile(temporary, Array(manifestText(generation: generation).utf8))
        hook?(.manifestWritten)
        try SystemCalls.rename(temporary, directory + "/" + manifestName)
        try SystemCalls.syncDirectory(directory)
    }

    /// Removes the files of other generations and temporary files: what a crash during creation or
    /// compaction left behind. Only under the exclusive lock.
    private func removeLeftovers(keeping generation: UInt64?) throws(StoreError) {
        var removed = false
        for name in try SystemCalls.listDirectory(directory) {
            let isOurs: Bool
            if name == Self.manifestName + ".tmp" {
                isOurs = true
            } else if let number = Self.generationNumber(of: name) {
                isOurs = number != generation
            } else {
                isOurs = false
            }
            if isOurs {
                try SystemCalls.remove(path(name))
                removed = true
            }
        }
        if removed { try SystemCalls.syncDirectory(directory) }
    }

    private static func generationNumber(of name: String) -> UInt64? {
        for prefix in ["snapshot-", "log-"] where name.hasPrefix(prefix) {
            let digits = name.dropFirst(prefix.count)
            if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) { return UInt64(digits) }
        }
        return nil
    }

    // MARK: Loading and catching up

    private func closeGenerationFiles() {
        if logFD >= 0 { SystemCalls.close(logFD) }
        if snapshotFD >= 0 { SystemCalls.close(snapshotFD) }
        logFD = -1
        snapshotFD = -1
    }

    func closeAll() {
        closeGenerationFiles()
        if lockFD >= 0 { SystemCalls.close(lockFD) }
        lockFD = -1
    }

    func close() {
        if failure?.code != .closed { failure = .closed }
        if flushInFlight {
            closeRequested = true
        } else {
            closeAll()
        }
    }

    /// Loads a generation from scratch: its snapshot, then its log.
    private func load(generation: UInt64, mode: LockMode) throws(StoreError) {
        closeGenerationFiles()
        self.generation = generation
        snapshotFD = try SystemCalls.open(snapshotPath, O_RDONLY)
        logFD = try SystemCalls.open(logPath, O_RDWR)
        let snapshot = try SnapshotIndex.load(fd: snapshotFD, path: snapshotPath)
        guard snapshot.generation == generation else {
            throw .corrupted(file: snapshotPath, offset: 16, "snapshot of another generation")
        }
        let header = try LogFormat.parseHeader(
            SystemCalls.read(logFD, count: LogFormat.headerSize, at: 0, path: logPath), path: logPath)
        guard header.generation == generation, header.base == snapshot.lastSequence else {
            throw .corrupted(file: logPath, offset: 16, "log does not continue the snapshot")
        }
        table = GenerationTable(snapshot: snapshot)
        baseSequence = snapshot.lastSequence
        logSequences = []
        logOffsets = []
        appliedEnd = UInt64(LogFormat.headerSize)
        try catchUp(mode: mode)
    }

    /// Before a commit or compaction, under the exclusive lock: follow a compaction another process
    /// made, then apply the frames other processes appended (truncating a torn tail).
    func refreshExclusive() throws(StoreError) {
        let current = try readManifest()
        if current != generation {
            try removeLeftovers(keeping: current)
            try load(generation: current, mode: .exclusive)
        } else {
            try catchUp(mode: .exclusive)
        }
    }

    /// Before a read, without the lock: cheap when nothing changed (one `fstat`).
    func refresh() throws(StoreError) {
        if let failure { throw failure }
        guard !flushInFlight else { return }
        let status = try SystemCalls.status(logFD, path: logPath)
        if status.links == 0 {
            // Another process compacted: our log was removed after its manifest switched.
            try withLock(exclusive: false) { () throws(StoreError) in
                try load(generation: try readManifest(), mode: .shared)
            }
        } else if status.size != appliedEnd {
            try catchUp(mode: .none)
        }
    }

    private enum ScanStop {
        case end
        case incomplete(UInt64)
        case damaged(UInt64, String)
    }

    private func catchUp(mode: LockMode) throws(StoreError) {
        let size = try SystemCalls.status(logFD, path: logPath).size
        guard size >= appliedEnd else {
            throw .corrupted(file: logPath, offset: size, "the log is shorter than what was read from it")
        }
        guard size > appliedEnd else { return }
        switch try scan(to: size) {
        case .end, .incomplete:
            if mode == .exclusive, appliedEnd < size {
                // Under the exclusive lock nobody is writing: the bytes are a torn tail.
                try SystemCalls.truncate(logFD, to: appliedEnd, path: logPath)
                try SystemCalls.sync(logFD, path: logPath)
            }
        case .damaged(let offset, let reason):
            switch mode {
            case .none:
                // Possibly a frame being written right now; look again while no one may write.
                try withLock(exclusive: false) { () throws(StoreError) in try catchUp(mode: .shared) }
            case .shared, .exclusive:
                if try validFrameExists(after: offset, size: size) {
                    throw .corrupted(file: logPath, offset: offset, reason)
                }
                if mode == .exclusive {
                    try SystemCalls.truncate(logFD, to: offset, path: logPath)
                    try SystemCalls.sync(logFD, path: logPath)
                }
            }
        }
    }

    /// Applies the complete, valid frames from `appliedEnd` on.
    private func scan(to size: UInt64) throws(StoreError) -> ScanStop {
        var position = appliedEnd
        var wanted = Self.scanChunk
        while position < size {
            let count = Int(min(size - position, UInt64(max(wanted, Self.scanChunk))))
            let chunk = try SystemCalls.read(logFD, count: count, at: position, path: logPath)
            var offset = 0
            var stop: ScanStop?
            var needMore = false
            var failure: StoreError?
            chunk.withUnsafeBytes { raw in
                while offset < raw.count {
                    switch LogFormat.decodeFrame(raw, at: offset) {
                    case .frame(let frameSize, let commit):
                        guard commit.sequence == table.lastSequence + 1 else {
                            stop = .damaged(position + UInt64(offset), "sequence \(commit.sequence) out of order")
                            return
                        }
                        do throws(StoreError) {
                            try apply(
                                commit, frame: UnsafeRawBufferPointer(rebasing: raw[offset..<offset + frameSize]),
                                at: position + UInt64(offset))
                        } catch {
                            failure = error
                            return
                        }
                        offset += frameSize
                        appliedEnd = position + UInt64(offset)
                    case .incomplete:
                        let frameStart = position + UInt64(offset)
                        guard raw.count - offset >= 4 else {
                            if frameStart + 8 > size { stop = .incomplete(frameStart) } else { needMore = true }
                            return
                        }
                        let length = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                        if frameStart + 8 + length > size {
                            stop = .incomplete(frameStart)
                        } else {
                            needMore = true
                            wanted = Int(8 + length)
                        }
                        return
                    case .damaged(let reason):
                        stop = .damaged(position + UInt64(offset), reason)
                        return
                    }
                }
            }
            if let failure { throw failure }
            if let stop { return stop }
            position += UInt64(offset)
            if !needMore { wanted = Self.scanChunk }
        }
        return .end
    }

    private func apply(_ commit: LogFormat.DecodedCommit, frame: UnsafeRawBufferPointer, at frameOffset: UInt64)
        throws(StoreError)
    {
        // Every earlier state is read before anything changes, so a failed read changes nothing.
        let previous = try commit.mutations.map { (mutation) throws(StoreError) in try table[mutation.key] }
        for (mutation, old) in zip(commit.mutations, previous) {
            if let version = mutation.version {
                let value = UnsafeRawBufferPointer(
                    rebasing: frame[mutation.valueOffset..<mutation.valueOffset + mutation.valueLength])
                let location = ValueLocation(
                    inSnapshot: false, offset: frameOffset + UInt64(mutation.valueOffset),
                    length: UInt32(mutation.valueLength), checksum: CRC32C.checksum(value))
                table.put(
                    mutation.key,
                    StoredRecord(
                        version: version, sequence: commit.sequence, indexes: mutation.indexes, payload: location))
            } else if old != nil {
                table.remove(mutation.key)
            }
        }
        table.lastSequence = commit.sequence
        logSequences.append(commit.sequence)
        logOffsets.append(frameOffset)
    }

    /// Whether a valid frame continuing the history starts anywhere after a damaged one: then the
    /// damage is corruption in the middle of the log, not a torn tail.
    private func validFrameExists(after offset: UInt64, size: UInt64) throws(StoreError) -> Bool {
        let bytes = try SystemCalls.read(logFD, count: Int(size - offset), at: offset, path: logPath)
        let last = table.lastSequence
        return bytes.withUnsafeBytes { raw in
            var start = 1
            while start + LogFormat.frameHeaderSize + LogFormat.minimumPayload <= raw.count {
                defer { start += 1 }
                let length = Int(raw.loadUnaligned(fromByteOffset: start, as: UInt32.self).littleEndian)
                guard length >= LogFormat.minimumPayload, length <= raw.count - start - LogFormat.frameHeaderSize else {
                    continue
                }
                let sequence = raw.loadUnaligned(fromByteOffset: start + 8, as: UInt64.self).littleEndian
                guard sequence > last, sequence - last < 1 << 32 else { continue }
                if case .frame = LogFormat.decodeFrame(raw, at: start) { return true }
            }
            return false
        }
    }

    // MARK: Reading

    func readValue(_ location: ValueLocation) throws(StoreError) -> Data {
        Data(
            try Self.readValue(
                location, snapshotFD: snapshotFD, snapshotPath: snapshotPath, logFD: logFD, logPath: logPath))
    }

    static func readValue(
        _ location: ValueLocation, snapshotFD: Int32, snapshotPath: String, logFD: Int32, logPath: String
    ) throws(StoreError) -> [UInt8] {
        let fd = location.inSnapshot ? snapshotFD : logFD
        let file = location.inSnapshot ? snapshotPath : logPath
        let bytes = try SystemCalls.read(fd, count: Int(location.length), at: location.offset, path: file)
        guard bytes.count == Int(location.length), CRC32C.checksum(bytes) == location.checksum else {
            throw .corrupted(file: file, offset: location.offset, "value checksum mismatch")
        }
        return bytes
    }

    func record(_ key: RecordKey) throws(StoreError) -> Record? {
        guard let stored = try table[key] else { return nil }
        return Record(
            key: key, version: stored.version, value: try readValue(stored.payload), indexes: stored.indexes,
            sequence: stored.sequence)
    }

    func records(_ keys: [RecordKey]) throws(StoreError) -> [Record] {
        var records: [Record] = []
        records.reserveCapacity(keys.count)
        for key in keys {
            if let record = try record(key) { records.append(record) }
        }
        return records
    }

    func keys(in index: String, from lower: String, to upper: String, limit: Int) throws(StoreError) -> [RecordKey] {
        try table.members(in: index, from: lower, to: upper, limit: limit).map(\.1)
    }

    // MARK: Change feed

    func changes(after sequence: UInt64, limit: Int) throws(StoreError) -> [ChangeBatch] {
        var batches: [ChangeBatch] = []
        if sequence < baseSequence, limit > 0 {
            batches = try snapshotChanges(after: sequence, limit: limit)
        }
        var index = Self.firstIndex(in: logSequences, after: max(sequence, batches.last?.sequence ?? 0))
        while index < logSequences.count, batches.count < limit {
            let start = logOffsets[index]
            let end = index + 1 < logOffsets.count ? logOffsets[index + 1] : appliedEnd
            let bytes = try SystemCalls.read(logFD, count: Int(end - start), at: start, path: logPath)
            let result = bytes.withUnsafeBytes { LogFormat.decodeFrame($0, at: 0) }
            guard case .frame(_, let commit) = result else {
                throw .corrupted(file: logPath, offset: start, "log frame changed since it was read")
            }
            var batch = ChangeBatch(sequence: commit.sequence, puts: [], deletes: [])
            for mutation in commit.mutations {
                if let version = mutation.version {
                    let value = Data(bytes[mutation.valueOffset..<mutation.valueOffset + mutation.valueLength])
                    batch.puts.append(
                        Record(
                            key: mutation.key, version: version, value: value, indexes: mutation.indexes,
                            sequence: commit.sequence))
                } else {
                    batch.deletes.append(mutation.key)
                }
            }
            batch.puts.sort { $0.key < $1.key }
            batch.deletes.sort()
            batches.append(batch)
            index += 1
        }
        return batches
    }

    private func snapshotChanges(after sequence: UInt64, limit: Int) throws(StoreError) -> [ChangeBatch] {
        let snapshot = table.snapshot
        var batches: [ChangeBatch] = []
        var ordinal = try snapshot.firstOrdinal(after: sequence)
        while ordinal < snapshot.count {
            let (key, stored) = try snapshot.entry(at: UInt64(littleEndian: snapshot.order[ordinal]))
            if batches.last?.sequence != stored.sequence {
                if batches.count == limit { break }
                batches.append(ChangeBatch(sequence: stored.sequence, puts: [], deletes: []))
            }
            batches[batches.count - 1].puts.append(
                Record(
                    key: key, version: stored.version, value: try readValue(stored.payload), indexes: stored.indexes,
                    sequence: stored.sequence))
            ordinal += 1
        }
        return batches
    }

    private static func firstIndex(in sequences: [UInt64], after sequence: UInt64) -> Int {
        var low = 0
        var high = sequences.count
        while low < high {
            let middle = (low + high) / 2
            if sequences[middle] <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
