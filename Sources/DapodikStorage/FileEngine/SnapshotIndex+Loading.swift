extension SnapshotIndex {
    /// Reads a snapshot's header, footer and index section (one sequential read, checked against the
    /// section's CRC-32C and every bound); the values stay on disk.
    /// - Throws: `corrupted` naming the file and offset, `unsupportedFormat` for another format
    ///   version (format 1 snapshots included: there is no conversion), `ioFailure`.
    static func load(fd: Int32, path: String) throws(StoreError) -> SnapshotIndex {
        let size = try SystemCalls.status(fd, path: path).size
        let headerSize = SnapshotFormat.headerSize
        let footerSize = SnapshotFormat.footerSize
        guard size >= UInt64(headerSize + footerSize) else {
            throw .corrupted(file: path, offset: 0, Damage("snapshot terlalu pendek", "snapshot too short"))
        }
        let head = try SystemCalls.read(fd, count: headerSize, at: 0, path: path)
        guard head.count == headerSize, Array(head[0..<8]) == SnapshotFormat.magic else {
            throw .corrupted(file: path, offset: 0, Damage("kepala snapshot tidak valid", "bad snapshot header"))
        }
        let version = littleEndian32(head, at: 8)
        guard version == SnapshotFormat.formatVersion else { throw .unsupportedFormat(file: path, version: version) }
        let footerOffset = size - UInt64(footerSize)
        let tail = try SystemCalls.read(fd, count: footerSize, at: footerOffset, path: path)
        guard tail.count == footerSize, Array(tail[0..<8]) == SnapshotFormat.footerMagic,
            CRC32C.checksum(tail[0..<44]) == littleEndian32(tail, at: 44)
        else {
            throw .corrupted(
                file: path, offset: footerOffset, Damage("penutup snapshot tidak valid", "bad snapshot footer"))
        }
        let footer = SnapshotFormat.Footer(
            sectionOffset: littleEndian64(tail, at: 8), sectionLength: littleEndian64(tail, at: 16),
            recordCount: littleEndian64(tail, at: 24), lastSequence: littleEndian64(tail, at: 32),
            sectionChecksum: littleEndian32(tail, at: 40))
        guard footer.sectionOffset >= UInt64(headerSize), footer.sectionOffset <= footerOffset,
            footer.sectionLength == footerOffset - footer.sectionOffset,
            footer.lastSequence == littleEndian64(head, at: 24),
            footer.sectionLength >= UInt64(SnapshotFormat.sectionHeaderSize)
        else {
            throw .corrupted(
                file: path, offset: footerOffset,
                Damage("penutup snapshot tidak konsisten", "inconsistent snapshot footer"))
        }

        var reader = SectionReader(fd: fd, path: path, position: footer.sectionOffset, end: footerOffset)
        let header = SnapshotFormat.SectionHeader(try reader.bytes(SnapshotFormat.sectionHeaderSize))
        let bad = StoreError.corrupted(
            file: path, offset: footer.sectionOffset,
            Damage("bagian indeks snapshot tidak konsisten", "inconsistent snapshot section"))
        // Every size is checked against what is left before it is used, so no sum can overflow.
        let available = footer.sectionLength - UInt64(SnapshotFormat.sectionHeaderSize)
        guard header.recordCount == footer.recordCount,
            header.primarySlots.nonzeroBitCount == 1, header.primarySlots > header.recordCount,
            header.uniqueSlots.nonzeroBitCount == 1, header.uniqueSlots > header.uniqueCount,
            header.namesLength <= available, header.recordsLength <= available,
            header.recordCount <= available / 8, header.primarySlots <= available / 8,
            header.uniqueSlots <= available / 8, header.nonUniqueCount <= available / 8,
            checkedSum([
                header.namesLength, header.recordsLength, 8 * header.recordCount, 8 * header.primarySlots,
                8 * header.uniqueSlots, 8 * header.nonUniqueCount,
            ]) == available,
            header.nameCount <= UInt64(UInt16.max) + 1
        else { throw bad }

        let nameBytes = try reader.bytes(Int(header.namesLength))
        var names: [String] = []
        var ranges: [Range<Int>] = []
        let parsed: Bool = nameBytes.withUnsafeBytes { raw in
            var names_ = ByteReader(raw)
            for _ in 0..<header.nameCount {
                guard let start = try? names_.u64(), let count = try? names_.u64(),
                    let name = try? names_.string8(),
                    start <= header.nonUniqueCount, count <= header.nonUniqueCount - start
                else { return false }
                names.append(name)
                ranges.append(Int(start)..<Int(start + count))
            }
            return names_.remaining == 0
        }
        guard parsed else { throw bad }
        var numbers: [ExactString: UInt16] = [:]
        for (number, name) in names.enumerated() { numbers[ExactString(name)] = UInt16(number) }
        guard numbers.count == names.count else { throw bad }

        let records = try reader.bytes(Int(header.recordsLength))
        let order = try reader.words(Int(header.recordCount))
        let primary = try reader.words(Int(header.primarySlots))
        let unique = try reader.words(Int(header.uniqueSlots))
        let nonUnique = try reader.words(Int(header.nonUniqueCount))
        guard reader.checksum == footer.sectionChecksum else {
            throw .corrupted(
                file: path, offset: footer.sectionOffset,
                Damage("checksum indeks snapshot tidak cocok", "snapshot index checksum mismatch"))
        }
        var previous: UInt64?
        for word in order {
            let offset = UInt64(littleEndian: word)
            guard offset < header.recordsLength, previous.map({ $0 < offset }) ?? true else { throw bad }
            previous = offset
        }
        return SnapshotIndex(
            path: path, generation: littleEndian64(head, at: 16), lastSequence: footer.lastSequence,
            sectionOffset: footer.sectionOffset, header: header, names: names, nameNumbers: numbers,
            nonUniqueRanges: ranges, records: records, order: order, primary: primary, unique: unique,
            nonUnique: nonUnique)
    }
}

/// The sum of `terms`, or `nil` when it overflows.
private func checkedSum(_ terms: [UInt64]) -> UInt64? {
    var total: UInt64 = 0
    for term in terms {
        let (sum, overflow) = total.addingReportingOverflow(term)
        if overflow { return nil }
        total = sum
    }
    return total
}

/// Sequential reads of the index section straight into the arrays that keep it, with a running
/// CRC-32C.
private struct SectionReader {
    let fd: Int32
    let path: String
    var position: UInt64
    let end: UInt64
    var checksum: UInt32 = 0

    init(fd: Int32, path: String, position: UInt64, end: UInt64) {
        self.fd = fd
        self.path = path
        self.position = position
        self.end = end
    }

    private mutating func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(StoreError) {
        guard UInt64(buffer.count) <= end - position else {
            throw .corrupted(
                file: path, offset: position, Damage("bagian indeks snapshot terpotong", "snapshot section truncated"))
        }
        let read = try SystemCalls.read(fd, into: buffer, at: position, path: path)
        guard read == buffer.count else {
            throw .corrupted(file: path, offset: position, Damage("snapshot terpotong", "snapshot truncated"))
        }
        checksum = CRC32C.checksum(UnsafeRawBufferPointer(buffer), continuing: checksum)
        position += UInt64(buffer.count)
    }

    mutating func bytes(_ count: Int) throws(StoreError) -> [UInt8] { try array(count) }

    /// Little-endian 64-bit words, stored as read (callers convert with `UInt64(littleEndian:)`).
    mutating func words(_ count: Int) throws(StoreError) -> [UInt64] { try array(count) }

    /// `count` elements filled straight from the file, with no intermediate copy.
    private mutating func array<Element: BitwiseCopyable>(_ count: Int) throws(StoreError) -> [Element] {
        var failure: StoreError?
        let result = [Element](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            do throws(StoreError) {
                try fill(raw)
            } catch {
                failure = error
                raw.initializeMemory(as: UInt8.self, repeating: 0)
            }
            initialized = count
        }
        if let failure { throw failure }
        return result
    }
}
