import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// A missing or damaged manifest never makes the store delete anything (issue 10, defect 2): opening
/// refuses with an error naming what is there, and `recoverManifest` rebuilds it on purpose.
@Suite("FileRecordStore manifest recovery", .timeLimit(.minutes(10)))
struct ManifestRecoveryTests {
    /// A store with `count` items, compacted once when `compacted` (so generation 2 holds a snapshot).
    func makeStore(_ scratch: TemporaryDirectory, count: Int, compacted: Bool) async throws {
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...count {
            try await store.commit(
                .put(
                    key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
                    expecting: .mustNotExist))
            if compacted && n == count / 2 { try await store.compact() }
        }
        store.close()
    }

    /// Every file's name and size.
    func listing(_ scratch: TemporaryDirectory) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: scratch.store.path) {
            let attributes = try FileManager.default.attributesOfItem(
                atPath: scratch.store.appendingPathComponent(name).path)
            sizes[name] = (attributes[.size] as! NSNumber).intValue
        }
        return sizes
    }

    func expectItems(_ scratch: TemporaryDirectory, count: Int) async throws {
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        for n in 1...count {
            #expect(text(try await store.record(for: key("item", "\(n)"))) == "value \(n)")
        }
        #expect(try await store.changes(after: UInt64(count - 1)).map(\.sequence) == [UInt64(count)])
    }

    @Test(
        "a missing CURRENT beside generation files refuses to open, names them and deletes nothing",
        arguments: [false, true])
    func missingManifestRefuses(compacted: Bool) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 6, compacted: compacted)
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))
        let before = try listing(scratch)

        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .manifestMissing)
        #expect(error?.recovery == .recoverManifest)
        let generation = compacted ? 2 : 1
        #expect(error?.message.english.contains("log-\(generation)") == true, "\(error?.message.english ?? "")")
        #expect(error?.message.indonesian.contains("tidak ada yang dihapus") == true)
        #expect(try listing(scratch) == before)
    }

    @Test("recoverManifest rebuilds a missing CURRENT from the newest intact generation; every commit is back")
    func recoverMissingManifest() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 6, compacted: true)
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))

        let recovery = try FileRecordStore.recoverManifest(directory: scratch.store)
        #expect(recovery.rewritten)
        #expect(recovery.generation == 2)
        #expect(recovery.lastSequence == 6)
        #expect(recovery.damagedManifest == nil)
        try await expectItems(scratch, count: 6)
        // A second call finds nothing to do.
        #expect(try FileRecordStore.recoverManifest(directory: scratch.store).rewritten == false)
    }

    @Test("a damaged CURRENT refuses to open; recovery keeps the damaged copy and sets other generations aside")
    func damagedManifest() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 6, compacted: true)
        // A leftover older generation, as a crash after the switch would leave it.
        try Data(repeating: 7, count: 100).write(to: scratch.store.appendingPathComponent("log-1"))
        let manifest = scratch.store.appendingPathComponent("CURRENT")
        try Data("dapodik-store format=2 generation=2 crc32c=00000000\n".utf8).write(to: manifest)
        let before = try listing(scratch)

        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.recovery == .recoverManifest)
        #expect(try listing(scratch) == before)

        let recovery = try FileRecordStore.recoverManifest(directory: scratch.store)
        #expect(recovery.generation == 2)
        #expect(recovery.damagedManifest == manifest.path + ".damaged-1")
        #expect(recovery.setAside == [scratch.store.appendingPathComponent("log-1.set-aside").path])
        #expect(FileManager.default.fileExists(atPath: manifest.path + ".damaged-1"))
        try await expectItems(scratch, count: 6)
        #expect(FileManager.default.fileExists(atPath: scratch.store.appendingPathComponent("log-1.set-aside").path))
    }

    @Test("a CURRENT naming a generation whose files are gone fails to open and keeps the other generation")
    func manifestNamingMissingGeneration() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 6, compacted: true)
        try Data(FileEngine.manifestText(generation: 3).utf8).write(to: scratch.store.appendingPathComponent("CURRENT"))
        let before = try listing(scratch)

        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        // Damage of the manifest, with the repair named (no longer a bare ENOENT: BackupAttackTests).
        #expect(error?.code == .corrupted)
        #expect(error?.recovery == .recoverManifest)
        #expect(try listing(scratch) == before)
        #expect(try FileRecordStore.recoverManifest(directory: scratch.store).generation == 2)
        try await expectItems(scratch, count: 6)
    }

    @Test("an intact store missing only LOCK: recovery changes nothing but says it made LOCK anew")
    func lockRecreated() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 2, compacted: false)
        let intact = try FileRecordStore.recoverManifest(directory: scratch.store)
        #expect(!intact.rewritten && !intact.lockRecreated)
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("LOCK"))
        let recovery = try FileRecordStore.recoverManifest(directory: scratch.store)
        #expect(!recovery.rewritten)
        #expect(recovery.lockRecreated)
        #expect(FileManager.default.fileExists(atPath: scratch.store.appendingPathComponent("LOCK").path))
        try await expectItems(scratch, count: 2)
    }

    @Test("no intact generation: recovery refuses, changes nothing, and says to restore a backup")
    func nothingIntact() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 3, compacted: false)
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))
        try Data(repeating: 1, count: 64).write(to: scratch.store.appendingPathComponent("snapshot-1"))
        let before = try listing(scratch)
        let error = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.recoverManifest(directory: scratch.store)
        }
        #expect(error?.code == .noIntactGeneration)
        #expect(error?.recovery == .restoreBackup)
        #expect(try listing(scratch) == before)
        // Why each generation is not intact, in words of the person's language, not the error's code.
        let indonesian = error?.problem.indonesian ?? ""
        #expect(indonesian.contains("log-1/snapshot-1: "), "\(indonesian)")
        #expect(!indonesian.contains("corrupted") && !indonesian.contains("Code("), "\(indonesian)")
        #expect(error?.problem.english.contains("log-1/snapshot-1: ") == true)
    }

    @Test("a creation cut short before CURRENT (an empty generation 1) opens as a new store")
    func interruptedCreation() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await makeStore(scratch, count: 1, compacted: false)
        let log = scratch.store.appendingPathComponent("log-1")
        let header = try Data(contentsOf: log).prefix(LogFormat.headerSize)
        try header.write(to: log)
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))
        // A creation cut short never acknowledged a commit.
        try setAcknowledgedSequence(0, in: scratch.store)
        let store = try FileRecordStore(directory: scratch.store)
        #expect(try await store.changes(after: 0).isEmpty)
        #expect(try await store.commit(.put(key("item", "1"), value: Data(), expecting: .mustNotExist)) == 1)
    }
}
