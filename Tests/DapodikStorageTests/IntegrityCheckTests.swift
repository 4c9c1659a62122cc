import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// ``FileRecordStore/checkIntegrity()``: every byte the current generation relies on, read and
/// checked, with damage named where it is. (Its sweep of injected I/O errors is in the fault suite.)
@Suite("File store integrity check", .timeLimit(.minutes(5)))
struct IntegrityCheckTests {
    /// A store of ten items in its snapshot and three more in its log, open.
    static func snapshotAndLog(_ directory: URL) async throws -> FileRecordStore {
        try await FaultInjectionTests.makeStore(directory, count: 10)
        let store = try FileRecordStore(directory: directory)
        try await store.compact()
        for n in 11...13 {
            try await store.commit(.put(key("item", "\(n)"), value: bytes("value \(n)"), expecting: .mustNotExist))
        }
        return store
    }

    /// The one file of `directory` whose name starts with `prefix`.
    static func file(_ prefix: String, in directory: URL) throws -> URL {
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasPrefix(prefix) })
        return directory.appendingPathComponent(name)
    }

    /// Flips one bit of the first occurrence of `text` in `file`.
    /// - Returns: The offset of the flipped byte.
    static func flipBit(of text: String, in file: URL) throws -> Int {
        var data = try Data(contentsOf: file)
        let found = try #require(data.range(of: Data(text.utf8)))
        data[found.lowerBound + text.utf8.count - 1] ^= 0x01
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(found.lowerBound))
        try handle.write(contentsOf: data[found.lowerBound..<found.lowerBound + text.utf8.count])
        return found.lowerBound
    }

    @Test("an intact store is read whole: every snapshot value and every log commit, also another process's")
    func intactStoreIsReadWhole() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.snapshotAndLog(scratch.store)
        defer { store.close() }
        let other = try FileRecordStore(directory: scratch.store)
        try await other.commit(.put(key("item", "14"), value: bytes("value 14"), expecting: .mustNotExist))
        other.close()

        let report = try await store.checkIntegrity()
        #expect(report.generation == 2)
        #expect(report.snapshotValues == 10)
        #expect(report.logCommits == 4)
        #expect(report.lastSequence == 14)
        let sizes = try [Self.file("snapshot-", in: scratch.store), Self.file("log-", in: scratch.store)].map {
            try #require(try FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? UInt64)
        }
        // The values' bytes (not the snapshot's index, which opening read) and the log's used part.
        #expect(report.bytesRead > 10 * 8 && report.bytesRead <= sizes[0] + sizes[1], "\(report) \(sizes)")
    }

    @Test("a damaged snapshot value, which opening does not read, is found and named, and the store is left as it was")
    func damagedSnapshotValue() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.snapshotAndLog(scratch.store).close()
        let snapshot = try Self.file("snapshot-", in: scratch.store)
        let offset = try Self.flipBit(of: "value 7", in: snapshot)
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        #expect(text(try await store.record(for: key("item", "1"))) == "value 1")
        let before = try FaultInjectionTests.listing(scratch.store)
        let error = await #expect(throws: StoreError.self) { _ = try await store.checkIntegrity() }
        #expect(error?.code == .corrupted)
        #expect(error?.recovery == .restoreBackup)
        #expect(error?.file == snapshot.path)
        #expect(error?.offset == UInt64(offset))
        #expect(error?.message.english.contains("value checksum mismatch") == true, "\(String(describing: error))")
        #expect(error?.message.indonesian.contains("checksum nilai tidak cocok") == true)
        // Nothing changed, and the records that are whole are still served.
        #expect(try FaultInjectionTests.listing(scratch.store) == before)
        #expect(text(try await store.record(for: key("item", "8"))) == "value 8")
        #expect(
            try await store.commit(.put(key("item", "15"), value: bytes("value 15"), expecting: .mustNotExist)) == 14)
    }

    @Test("a log frame damaged after the store read it is found, with salvage as its repair")
    func logDamagedAfterOpening() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.snapshotAndLog(scratch.store)
        defer { store.close() }
        _ = try await store.checkIntegrity()
        let log = try Self.file("log-", in: scratch.store)
        let offset = try Self.flipBit(of: "value 12", in: log)

        let error = await #expect(throws: StoreError.self) { _ = try await store.checkIntegrity() }
        #expect(error?.code == .corrupted)
        #expect(error?.recovery == .salvage)
        #expect(error?.file == log.path)
        // The offset is the damaged frame's start: before the flipped byte, after the log's header.
        #expect(error.flatMap(\.offset).map { $0 >= UInt64(LogFormat.headerSize) && $0 < UInt64(offset) } == true)
        #expect(error?.message.english.contains("a log frame is damaged or cut short") == true)
    }

    @Test(
        "the log is read in pieces: frames across pieces and frames larger than a piece are read whole, damage is found at the same frame"
    )
    func logReadInPieces() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.snapshotAndLog(scratch.store)
        defer { store.close() }
        for (n, size) in [(20, 5_000), (21, 7), (22, 300), (23, 20_000), (24, 1)] {
            try await store.commit(
                .put(key("item", "\(n)"), value: Data(repeating: UInt8(n), count: size), expecting: .mustNotExist))
        }
        try await store.commit(.put(key("item", "25"), value: bytes("value 25"), expecting: .mustNotExist))
        let pieceSizes = [1, 16, 64, 100, 1_000, 4_096, FileRecordStore.integrityCheckPiece]
        var files = try store.integrityCheckFiles()
        for pieceSize in pieceSizes {
            #expect(throws: Never.self, "piece of \(pieceSize) bytes") {
                try FileRecordStore.checkLog(of: files, pieceSize: pieceSize)
            }
        }
        files.close()

        let flipped = try Self.flipBit(of: "value 25", in: Self.file("log-", in: scratch.store))
        files = try store.integrityCheckFiles()
        defer { files.close() }
        var offsets: Set<UInt64> = []
        for pieceSize in pieceSizes {
            let error = #expect(throws: StoreError.self, "piece of \(pieceSize) bytes") {
                try FileRecordStore.checkLog(of: files, pieceSize: pieceSize)
            }
            #expect(error?.code == .corrupted)
            if let offset = error?.offset { offsets.insert(offset) }
        }
        #expect(offsets.count == 1, "the same damaged frame whatever the piece size: \(offsets)")
        // The last frame's start: after the 20,000-byte value, before the flipped byte.
        #expect(offsets.first.map { $0 > 20_000 && $0 < UInt64(flipped) } == true, "\(offsets) \(flipped)")
    }

    @Test("a log cut short under the store is named at the cut frame's start, whatever the piece size")
    func logCutShort() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.snapshotAndLog(scratch.store)
        defer { store.close() }
        try await store.commit(
            .put(key("item", "20"), value: Data(repeating: 7, count: 3_000), expecting: .mustNotExist))
        let files = try store.integrityCheckFiles()
        defer { files.close() }
        // The last frame loses its last three bytes (the file may be preallocated: cut at the end in use).
        let log = try Self.file("log-", in: scratch.store)
        try #require(truncate(log.path, off_t(files.logEnd) - 3) == 0)
        var offsets: Set<UInt64> = []
        for pieceSize in [1, 16, 1_000, FileRecordStore.integrityCheckPiece] {
            let error = #expect(throws: StoreError.self, "piece of \(pieceSize) bytes") {
                try FileRecordStore.checkLog(of: files, pieceSize: pieceSize)
            }
            #expect(error?.code == .corrupted)
            if let offset = error?.offset { offsets.insert(offset) }
        }
        #expect(offsets.count == 1, "\(offsets)")
        // The cut frame holds the 3,000-byte value: it starts that far before the end, after the header.
        #expect(
            offsets.first.map { $0 > UInt64(LogFormat.headerSize) && $0 < files.logEnd - 3_000 } == true,
            "\(offsets) \(files.logEnd)")
    }

    @Test(
        "a check goes on against its generation while a compaction replaces and removes it; the next check reads the new one"
    )
    func compactionDuringTheCheck() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await Self.snapshotAndLog(scratch.store)
        defer { store.close() }
        let files = try store.integrityCheckFiles()
        defer { files.close() }
        let other = try FileRecordStore(directory: scratch.store)
        try await other.compact()
        other.close()
        #expect(!FileManager.default.fileExists(atPath: files.snapshotPath), "the compaction kept the old snapshot")
        let first = try store.checkIntegrity(of: files)
        #expect(first.generation == 2 && first.snapshotValues == 10 && first.lastSequence == 13, "\(first)")
        let second = try await store.checkIntegrity()
        #expect(second.generation == 3)
        #expect(second.snapshotValues == 13)
        #expect(second.logCommits == 0)
    }
}

// Arms `SystemCallFaults` for this test's own directory (one plan per directory, so other suites
// injecting meanwhile do not touch it).
extension FaultInjectionTests {
    @Test("an I/O error at any system call of a check is an error that changes nothing, and the store works on")
    func ioErrorAtEveryCall() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try await IntegrityCheckTests.snapshotAndLog(scratch.store)
        defer { store.close() }
        let before = try FaultInjectionTests.listing(scratch.store)
        var target = 1
        while true {
            SystemCallFaults.arm(directory: scratch.store.path, target: target, action: .fail(errno: EIO))
            let outcome: Result<FileRecordStore.IntegrityReport, any Error>
            do { outcome = .success(try await store.checkIntegrity()) } catch { outcome = .failure(error) }
            let tally = SystemCallFaults.disarm(directory: scratch.store.path)
            if case .success(let report) = outcome {
                #expect(tally.hitKind == nil, "the check succeeded although call \(target) failed")
                #expect(report.lastSequence == 13)
                break
            }
            let error = try #require(outcome.failureValue as? StoreError)
            #expect(error.code == .ioFailure && error.errno == EIO, "call \(target): \(error)")
            #expect(try Self.listing(scratch.store) == before, "call \(target) changed a file")
            #expect(text(try await store.record(for: key("item", "12"))) == "value 12")
            target += 1
        }
        #expect(target > 3, "the check made only \(target - 1) system calls")
    }
}

extension Result {
    /// The error of a failure, `nil` for a success.
    fileprivate var failureValue: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
