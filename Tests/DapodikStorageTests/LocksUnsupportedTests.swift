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

/// ``StoreError/Code-swift.struct/locksUnsupported``: a file system that refuses `flock` (NFS without
/// its lock service, a network or FUSE mount without locks) is named as such, with what to do, in
/// both languages, wherever the store takes its lock. The refusal is injected at the `flock` call
/// (``SystemCallFaults``, armed for each test's own directory).
@Suite("File store on a file system without locks", .serialized, .timeLimit(.minutes(5)))
struct LocksUnsupportedTests {
    @Test(
        "flock refused by the file system (ENOLCK, EOPNOTSUPP, EINVAL: NFS without locking) is store.locksUnsupported, with advice in both languages",
        arguments: [ENOLCK, EOPNOTSUPP, EINVAL] as [Int32])
    func locksUnsupported(errno code: Int32) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        let lock = scratch.store.appendingPathComponent("LOCK").path
        func expectUnsupported(_ error: StoreError?, _ what: String) {
            #expect(error?.code == .locksUnsupported, "\(what): \(String(describing: error))")
            #expect(error?.errno == code, "\(what)")
            #expect(error?.file == lock, "\(what)")
            let message = error?.message ?? LocalizedText(indonesian: "", english: "")
            #expect(message.english.contains("does not support file locks"), "\(what): \(message.english)")
            #expect(message.english.contains("Move the directory \(scratch.store.path) to a local file system"))
            #expect(message.english.contains("errno \(code)"))
            #expect(message.indonesian.contains("tidak mendukung penguncian berkas"), "\(message.indonesian)")
            #expect(message.indonesian.contains("ke sistem berkas lokal"))
            #expect(!message.indonesian.contains("locks available") && !message.indonesian.contains("not supported"))
            #expect(error?.problem.english.contains("Move") == false, "the problem without the advice")
        }
        let before = try ReadOnlyOpeningTests.listing(scratch.store)

        SystemCallFaults.arm(directory: scratch.store.path, only: .lock, target: 1, action: .fail(errno: code))
        let readOnly = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(directory: scratch.store, options: ReadOnlyOpeningTests.readOnly())
        }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .lock)
        expectUnsupported(readOnly, "read-only open")
        #expect(try ReadOnlyOpeningTests.listing(scratch.store) == before)

        let destination = scratch.url.appendingPathComponent("backup")
        SystemCallFaults.arm(directory: scratch.store.path, only: .lock, target: 1, action: .fail(errno: code))
        let backup = #expect(throws: StoreError.self) {
            _ = try FileRecordStore.backup(directory: scratch.store, to: destination)
        }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .lock)
        expectUnsupported(backup, "backup")
        #expect(!FileManager.default.fileExists(atPath: destination.path))

        SystemCallFaults.arm(directory: scratch.store.path, only: .lock, target: 1, action: .fail(errno: code))
        let writable = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .lock)
        expectUnsupported(writable, "open for writing")

        // A commit, whose lock the file system refuses after opening allowed it (a remount, say).
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        SystemCallFaults.arm(directory: scratch.store.path, only: .lock, target: 1, action: .fail(errno: code))
        let commit = await #expect(throws: StoreError.self) {
            try await store.commit(.put(key("item", "14"), value: bytes("value 14"), expecting: .mustNotExist))
        }
        #expect(SystemCallFaults.disarm(directory: scratch.store.path).hitKind == .lock)
        expectUnsupported(commit, "commit")
        #expect(try await store.record(for: key("item", "14")) == nil)
    }

    @Test("a failed flock of another kind (EIO) stays an ioFailure")
    func otherLockFailure() async throws {
        let scratch = try TemporaryDirectory("storage")
        try await IntegrityCheckTests.snapshotAndLog(scratch.store).close()
        SystemCallFaults.arm(directory: scratch.store.path, only: .lock, target: 1, action: .fail(errno: EIO))
        let error = #expect(throws: StoreError.self) {
            _ = try FileRecordStore(directory: scratch.store, options: ReadOnlyOpeningTests.readOnly())
        }
        _ = SystemCallFaults.disarm(directory: scratch.store.path)
        #expect(error?.code == .ioFailure && error?.errno == EIO, "\(String(describing: error))")
    }
}
