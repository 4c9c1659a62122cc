import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// ``FileRecordStore/backup(directory:to:lockWait:)`` and opening, against stores that were damaged
/// or copied carelessly: each refusal names the file that is at fault and the repair, and a store
/// without `LOCK` is copied into a backup that opens (found by attacking the store).
@Suite("File store backup and opening under attack", .timeLimit(.minutes(10)))
struct BackupAttackTests {
    @Test("a store without LOCK is backed up without a lock; the copy has a LOCK of its own and opens for writing")
    func storeWithoutLock() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("LOCK"))

        let backup = scratch.url.appendingPathComponent("backup", isDirectory: true)
        #expect(try FileRecordStore.backup(directory: scratch.store, to: backup).generation == 2)
        #expect(!FileManager.default.fileExists(atPath: scratch.store.appendingPathComponent("LOCK").path))
        let restored = try FileRecordStore(directory: backup)
        try await ReadOnlyOpeningTests.expectItems(restored, through: 13)
        try await restored.commit(.put(key("item", "14"), value: bytes("value 14"), expecting: .mustNotExist))
        restored.close()
    }

    @Test(
        "a backup whose own name is as long as a file name may be (255 bytes, non-ASCII) is made and opens",
        arguments: [255, 254, 227])
    func longDestinationName(bytes: Int) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        // "é" is two bytes: the name ends in one or two ASCII letters to make the length exact.
        let name = String(repeating: "é", count: (bytes - 1) / 2) + String(repeating: "x", count: 1 + (bytes - 1) % 2)
        try #require(name.utf8.count == bytes)
        let backup = scratch.url.appendingPathComponent(name, isDirectory: true)
        #expect(try FileRecordStore.backup(directory: scratch.store, to: backup).generation == 2)
        let restored = try FileRecordStore(directory: backup)
        try await ReadOnlyOpeningTests.expectItems(restored, through: 13)
        restored.close()
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted() == [name, "store"].sorted())
    }

    @Test("a damaged value of the store is reported in the store's snapshot, not in the copy a caller removes")
    func damagedSourceNamesTheSource() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        let snapshot = try IntegrityCheckTests.file("snapshot-", in: scratch.store)
        let flipped = try IntegrityCheckTests.flipBit(of: "value 7", in: snapshot)

        let backup = scratch.url.appendingPathComponent("backup", isDirectory: true)
        let damage = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.backup(directory: scratch.store, to: backup)
        }
        #expect(damage?.code == .corrupted)
        #expect(damage?.file == snapshot.path, "\(String(describing: damage?.message.english))")
        #expect(damage?.offset == UInt64(flipped))
        #expect(damage?.recovery == .restoreBackup)
        // The copy stays marked incomplete, as before.
        #expect(FileManager.default.fileExists(atPath: backup.appendingPathComponent("BACKUP-INCOMPLETE").path))
    }

    @Test(
        "a manifest naming a generation whose files are missing is damage that store recovery repairs, when opening, reading only and backing up"
    )
    func manifestNamingMissingGeneration() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        let manifest = scratch.store.appendingPathComponent("CURRENT")
        try Data(FileEngine.manifestText(generation: 99).utf8).write(to: manifest)
        var readOnly = FileRecordStore.Options()
        readOnly.readOnly = true

        let backup = scratch.url.appendingPathComponent("backup", isDirectory: true)
        let refusals: [(String, () throws -> Void)] = [
            ("open", { _ = try FileRecordStore(directory: scratch.store) }),
            ("read-only open", { _ = try FileRecordStore(directory: scratch.store, options: readOnly) }),
            ("backup", { _ = try FileRecordStore.backup(directory: scratch.store, to: backup) }),
        ]
        for (name, refusal) in refusals {
            let error = #expect(throws: StoreError.self, "\(name)") { try refusal() }
            #expect(error?.code == .corrupted, "\(name): \(String(describing: error))")
            #expect(error?.file == manifest.path, "\(name)")
            #expect(error?.recovery == .recoverManifest, "\(name)")
            #expect(error?.message.english.contains("names generation 99, but snapshot-99 is missing") == true)
            #expect(error?.message.indonesian.contains("menunjuk generasi 99, tetapi snapshot-99 tidak ada") == true)
        }
        // The advice holds: recovery finds the intact generation, and every commit is there.
        #expect(try FileRecordStore.recoverManifest(directory: scratch.store).generation == 2)
        let store = try FileRecordStore(directory: scratch.store)
        try await ReadOnlyOpeningTests.expectItems(store, through: 13)
        store.close()
    }

    @Test("a manifest of an unknown format version says that nothing changed and which release to open it with")
    func unknownFormatVersion() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        try Data(FileEngine.manifestText(generation: 2, format: 3).utf8).write(
            to: scratch.store.appendingPathComponent("CURRENT"))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .unsupportedFormat)
        #expect(error?.message.english.contains("Nothing was changed; open the store with the release") == true)
        #expect(error?.message.indonesian.contains("Tidak ada yang diubah; buka penyimpanan dengan versi") == true)
    }
}
