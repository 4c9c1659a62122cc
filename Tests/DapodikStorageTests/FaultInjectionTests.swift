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

/// Injected I/O failures (``SystemCallFaults``): each test arms the injector for its own directory,
/// which keeps one plan per armed directory, so suites that inject run beside one another.
@Suite("File store I/O faults", .serialized, .timeLimit(.minutes(10)))
struct FaultInjectionTests {
    /// A store with items 1...count, closed.
    static func makeStore(_ directory: URL, count: Int) async throws {
        let store = try FileRecordStore(directory: directory)
        defer { store.close() }
        for n in 1...count {
            try await store.commit(
                .put(
                    key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")],
                    expecting: .mustNotExist))
        }
    }

    struct SwitchFault: Sendable, CustomTestStringConvertible {
        let kind: SystemCallFaults.Kind
        let target: Int
        let errno: Int32
        /// The generation CURRENT names afterwards.
        let generation: UInt64
        var testDescription: String { "\(kind) #\(target) errno \(errno)" }
    }

    @Test(
        "an I/O error at or after the compaction's manifest switch keeps both generations and poisons the store",
        arguments: [
            SwitchFault(kind: .syncDirectory, target: 2, errno: EIO, generation: 2),
            SwitchFault(kind: .openDirectory, target: 2, errno: EMFILE, generation: 2),
            SwitchFault(kind: .rename, target: 1, errno: EIO, generation: 1),
            SwitchFault(kind: .unlink, target: 1, errno: EIO, generation: 2),
        ])
    func compactionSwitchFailure(fault: SwitchFault) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 10)
        let store = try FileRecordStore(directory: scratch.store)
        SystemCallFaults.arm(
            directory: scratch.store.path, only: fault.kind, target: fault.target, action: .fail(errno: fault.errno))
        let error = await #expect(throws: StoreError.self) { try await store.compact() }
        let tally = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(tally.hitKind == fault.kind)
        #expect(error?.errno == fault.errno)
        // The store stops: whichever generation CURRENT names, this handle no longer knows it.
        let poisoned = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "1")) }
        #expect(poisoned?.code == .poisoned)
        store.close()

        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(reopened.generation == fault.generation)
        for n in 1...10 {
            #expect(text(try await reopened.record(for: key("item", "\(n)"))) == "value \(n)")
        }
        #expect(try await reopened.commit(.put(key("item", "11"), value: Data(), expecting: .mustNotExist)) == 11)
    }

    @Test(
        "a failed read of the directory's listing is an error, not its end: a lost CURRENT never makes the store look new"
    )
    func listingReadFailure() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 5)
        let compacting = try FileRecordStore(directory: scratch.store)
        try await compacting.compact()
        compacting.close()
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("CURRENT"))
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted()
        SystemCallFaults.arm(directory: scratch.store.path, only: .readDirectory, target: 1, action: .fail(errno: EIO))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        let tally = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(tally.hitKind == .readDirectory)
        #expect(error?.code == .ioFailure)
        #expect(error?.errno == EIO)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted() == before)
        // Without the fault, the same directory is refused as it should be, and still nothing is deleted.
        let missing = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(missing?.code == .manifestMissing)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted() == before)
    }

    @Test(
        "an I/O error says what it means in both languages; a refused permission names the file's owner and our user",
        arguments: [
            (EACCES, "izin ditolak, padahal berkas itu milik", "permission denied, though the file belongs to"),
            (ENOSPC, "disk penuh", "no space left on the disk"),
            (EROFS, "sistem berkas hanya-baca", "the file system is read-only"),
            (EIO, "kesalahan masukan/keluaran perangkat", "an input/output error of the device"),
        ] as [(Int32, String, String)])
    func ioFailureWording(errno: Int32, indonesian: String, english: String) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 1)
        SystemCallFaults.arm(directory: scratch.store.path, only: .open, target: 1, action: .fail(errno: errno))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        _ = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(error?.code == .ioFailure)
        #expect(error?.message.indonesian.contains(indonesian) == true, "\(String(describing: error?.message))")
        #expect(error?.message.english.contains(english) == true, "\(String(describing: error?.message))")
        #expect(error?.message.english.contains("(errno \(errno))") == true)
        if errno == EACCES, let message = error?.message.english {
            let user = String(cString: getpwuid(geteuid()).pointee.pw_name)
            // The store's own file, whose mode allows it: neither chown nor chmod would help.
            #expect(message.contains("belongs to \(user), who runs the program, and its mode allows it"), "\(message)")
            #expect(!message.contains("chown") && !message.contains("chmod"), "\(message)")
        }
    }

    @Test("a backup cut short at any system call is never opened or recovered as a store, and nothing is changed")
    func backupCutShort() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 10)
        // Each backup in a directory of its own, where it is made under another name and renamed:
        // every call inside that directory, the renaming's too, counts.
        let backups = scratch.url.appendingPathComponent("backups")
        var target = 1
        var outcomes: Set<String> = []
        while true {
            let parent = backups.appendingPathComponent("\(target)")
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            let destination = parent.appendingPathComponent("backup")
            SystemCallFaults.arm(directory: parent.path, target: target, action: .fail(errno: EIO))
            let failed: Bool
            do {
                _ = try FileRecordStore.backup(directory: scratch.store, to: destination)
                failed = false
            } catch {
                failed = true
            }
            let tally = SystemCallFaults.disarm(directory: parent.path)
            if !failed {
                #expect(tally.hitKind == nil, "the backup succeeded although call \(target) failed")
                break
            }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? []
            if names.isEmpty {
                // Not even an empty directory, which opening would take for a new store; nothing left.
                #expect(!FileManager.default.fileExists(atPath: destination.path), "call \(target)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == [], "call \(target)")
                outcomes.insert("nothing written")
            } else if names.contains(FileEngine.incompleteBackupMarkerName) && !names.contains(FileEngine.manifestName)
            {
                let before = try Self.listing(destination)
                let recovering = #expect(throws: StoreError.self) {
                    _ = try FileRecordStore.recoverManifest(directory: destination)
                }
                #expect(recovering?.code == .backupIncomplete, "call \(target): \(String(describing: recovering))")
                #expect(recovering?.recovery == .backUpAgain)
                let opening = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: destination) }
                #expect(opening?.code == .backupIncomplete, "call \(target): \(String(describing: opening))")
                #expect(try Self.listing(destination) == before, "call \(target) changed the copy")
                outcomes.insert("refused")
            } else {
                // Failed after its manifest: the copy is whole; opening it removes the marker.
                #expect(names.contains(FileEngine.manifestName), "call \(target): \(names)")
                let copy = try FileRecordStore(directory: destination)
                for n in 1...10 { #expect(text(try await copy.record(for: key("item", "\(n)"))) == "value \(n)") }
                copy.close()
                #expect(
                    !FileManager.default.fileExists(
                        atPath: destination.appendingPathComponent(FileEngine.incompleteBackupMarkerName).path))
                outcomes.insert("whole")
            }
            target += 1
        }
        #expect(outcomes == ["nothing written", "refused", "whole"], "\(outcomes) over \(target) calls")
    }

    @Test("a store with a damaged value in its snapshot is not copied into a backup that looks whole")
    func backupOfDamagedSnapshot() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await Self.makeStore(scratch.store, count: 10)
        let store = try FileRecordStore(directory: scratch.store)
        try await store.compact()
        store.close()
        let snapshot = try #require(
            try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).first {
                $0.hasPrefix("snapshot-")
            })
        let path = scratch.store.appendingPathComponent(snapshot)
        var data = try Data(contentsOf: path)
        let value = try #require(data.range(of: Data("value 7".utf8)))
        data[value.lowerBound + 6] ^= 0x01
        try data.write(to: path)
        // Opening does not read the values: the damage is only found when that record is read.
        let damaged = try FileRecordStore(directory: scratch.store)
        #expect(text(try await damaged.record(for: key("item", "1"))) == "value 1")
        damaged.close()

        let destination = scratch.url.appendingPathComponent("backup")
        let error = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.backup(directory: scratch.store, to: destination)
        }
        #expect(error?.code == .corrupted, "\(String(describing: error))")
        #expect(error?.message.english.contains("value checksum mismatch") == true)
        let names = try FileManager.default.contentsOfDirectory(atPath: destination.path)
        #expect(names.contains(FileEngine.incompleteBackupMarkerName) && !names.contains(FileEngine.manifestName))
        let opening = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: destination) }
        #expect(opening?.code == .backupIncomplete)
    }

    /// Every file of a directory and its bytes.
    static func listing(_ directory: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = try Data(contentsOf: directory.appendingPathComponent(name))
        }
        return files
    }
}
