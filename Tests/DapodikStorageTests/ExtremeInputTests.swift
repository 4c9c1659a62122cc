import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// Numbers from a caller or from a file never trap (issue 10, defect 6): a trap in a library takes
/// down the server embedding it.
@Suite("Stores on extreme input", .timeLimit(.minutes(10)))
struct ExtremeInputTests {
    @Test("changes(after:limit:) with a limit near Int.max returns what there is", arguments: StoreFactory.all)
    func hugeLimit(factory: StoreFactory) async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try factory.make(scratch)
        for n in 1...3 { try await store.commit(.put(key("item", "\(n)"), value: Data(), expecting: .mustNotExist)) }
        for limit in [Int.max, Int.max - 1, Int.max / 2] {
            #expect(try await store.changes(after: 0, limit: limit).map(\.sequence) == [1, 2, 3])
            #expect(try await store.changes(after: 2, limit: limit).map(\.sequence) == [3])
            #expect(try await store.changes(after: .max, limit: limit).isEmpty)
        }
    }

    /// A compacted store of a few records, closed; returns the snapshot's path.
    func compactedStore(_ scratch: TemporaryDirectory) async throws -> URL {
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...4 {
            try await store.commit(
                .put(
                    key("item", "\(n)"), value: bytes("v\(n)"), indexes: [.unique("item.number", "\(n)")],
                    expecting: .mustNotExist))
        }
        try await store.compact()
        store.close()
        return scratch.store.appendingPathComponent("snapshot-2")
    }

    func u64(_ bytes: [UInt8], _ offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
    }

    func put64(_ value: UInt64, _ bytes: inout [UInt8], _ offset: Int) {
        for index in 0..<8 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))) }
    }

    func put32(_ value: UInt32, _ bytes: inout [UInt8], _ offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(index))) }
    }

    /// Recomputes the section's and the footer's checksums, as a writer of a hostile file would.
    func reseal(_ bytes: inout [UInt8]) {
        let footer = bytes.count - SnapshotFormat.footerSize
        let sectionOffset = Int(u64(bytes, footer + 8))
        put32(CRC32C.checksum(bytes[sectionOffset..<footer]), &bytes, footer + 40)
        put32(CRC32C.checksum(bytes[footer..<footer + 44]), &bytes, footer + 44)
    }

    @Test("a snapshot footer whose section length overflows when added is refused as corrupted")
    func overflowingFooter() async throws {
        let scratch = try TemporaryDirectory("storage")
        let snapshot = try await compactedStore(scratch)
        var bytes = [UInt8](try Data(contentsOf: snapshot))
        put64(.max - 5, &bytes, bytes.count - SnapshotFormat.footerSize + 16)
        reseal(&bytes)
        try Data(bytes).write(to: snapshot)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.file == snapshot.path)
    }

    @Test("a hash slot without an entry offset is reported as corrupted when looked up, not trapped on")
    func slotWithoutOffset() async throws {
        let scratch = try TemporaryDirectory("storage")
        let snapshot = try await compactedStore(scratch)
        var bytes = [UInt8](try Data(contentsOf: snapshot))
        let footer = bytes.count - SnapshotFormat.footerSize
        let section = Int(u64(bytes, footer + 8))
        let header = SnapshotFormat.SectionHeader(Array(bytes[section..<section + SnapshotFormat.sectionHeaderSize]))
        let primary =
            section + SnapshotFormat.sectionHeaderSize + Int(header.namesLength) + Int(header.recordsLength)
            + 8 * Int(header.recordCount)
        for slot in 0..<Int(header.primarySlots) {
            let value = u64(bytes, primary + 8 * slot)
            if value != 0 { put64((value >> 40) << 40, &bytes, primary + 8 * slot) }
        }
        reseal(&bytes)
        try Data(bytes).write(to: snapshot)
        let store = try FileRecordStore(directory: scratch.store)
        let error = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "2")) }
        #expect(error?.code == .corrupted)
    }

    @Test("an entry whose value offset and length overflow when added is refused as corrupted")
    func overflowingValueLocation() async throws {
        let scratch = try TemporaryDirectory("storage")
        let snapshot = try await compactedStore(scratch)
        var bytes = [UInt8](try Data(contentsOf: snapshot))
        let footer = bytes.count - SnapshotFormat.footerSize
        let section = Int(u64(bytes, footer + 8))
        let header = SnapshotFormat.SectionHeader(Array(bytes[section..<section + SnapshotFormat.sectionHeaderSize]))
        let records = section + SnapshotFormat.sectionHeaderSize + Int(header.namesLength)
        // The first entry: u64 sequence | u64 version | u16 collection | str16 id | u64 value offset | u32 length.
        let idLength = Int(bytes[records + 18]) | Int(bytes[records + 19]) << 8
        let valueOffset = records + 20 + idLength
        put64(.max - 1, &bytes, valueOffset)
        reseal(&bytes)
        try Data(bytes).write(to: snapshot)
        let store = try FileRecordStore(directory: scratch.store)
        let error = await #expect(throws: StoreError.self) { _ = try await store.changes(after: 0, limit: 10) }
        #expect(error?.code == .corrupted)
    }
}
