import DapodikLanguage
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// A `LOCK` removed or shortened under a store (by hand, by a cleaner of old files, by a backup
/// copied back over it) never gives two processes two locks, and never ends a process with `SIGBUS`:
/// the store stops writing with `lockFileMissing`, a new open refuses to make `LOCK` again, and
/// `recoverManifest`, once every process has stopped, does.
@Suite("File store LOCK removed or shortened", .timeLimit(.minutes(10)))
struct LockFileRemovalTests {
    func put(_ n: Int) -> Mutation {
        .put(
            key("item", "\(n)"), value: bytes("value \(n)"), indexes: [.unique("item.number", "\(n)")], expecting: .any)
    }

    @Test("LOCK removed while open: the next commit and every new open are refused; recoverManifest makes it again")
    func removedWhileOpen() async throws {
        let scratch = try TemporaryDirectory("storage")
        let lock = scratch.store.appendingPathComponent("LOCK")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(put(1))
        try FileManager.default.removeItem(at: lock)

        let commit = await #expect(throws: StoreError.self) { try await store.commit(put(2)) }
        #expect(commit?.code == .lockFileMissing)
        #expect(commit?.message.english.contains("was removed or shortened while the store was open") == true)
        #expect(commit?.recovery == .recoverManifest)
        // Another process would make a LOCK of its own and lock that: refused, nothing made.
        let open = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(open?.code == .lockFileMissing)
        #expect(open?.message.indonesian.contains("tidak ada, padahal penyimpanannya ada") == true)
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        store.close()

        _ = try FileRecordStore.recoverManifest(directory: scratch.store)
        #expect(FileManager.default.fileExists(atPath: lock.path))
        let reopened = try FileRecordStore(directory: scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "1"))) == "value 1")
        #expect(try await reopened.record(for: key("item", "2")) == nil, "the refused commit wrote nothing")
        #expect(try await reopened.commit(put(2)) == 2)
    }

    @Test("LOCK shortened below its counter while open: the next commit is refused, the process goes on")
    func shortenedWhileOpen() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        defer { store.close() }
        try await store.commit(put(1))
        try Data().write(to: scratch.store.appendingPathComponent("LOCK"))

        let commit = await #expect(throws: StoreError.self) { try await store.commit(put(2)) }
        #expect(commit?.code == .lockFileMissing)
    }

    @Test("a new store makes its LOCK; an existing one whose LOCK is missing is refused before anything is made")
    func newStoreMakesLock() async throws {
        let scratch = try TemporaryDirectory("storage")
        do {
            let store = try FileRecordStore(directory: scratch.store)
            try await store.commit(put(1))
            store.close()
        }
        try FileManager.default.removeItem(at: scratch.store.appendingPathComponent("LOCK"))
        let before = try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted()
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .lockFileMissing)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.store.path).sorted() == before)
    }
}
