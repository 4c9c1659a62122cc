import DapodikLanguage
import DapodikLocking
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// Waiting for another process that holds the store's `LOCK` is bounded: every operation that
/// needs the lock gives up after ``LockWaitPolicy/limit`` with `lockTimeout`, having changed
/// nothing, and reports a long wait once.
@Suite("File store lock waits", .serialized, .timeLimit(.minutes(10)))
struct LockWaitTests {
    /// A policy with a short limit that counts its reports.
    static func policy(limit: Duration, reports: LockedValue<[String]>) -> LockWaitPolicy {
        LockWaitPolicy(
            limit: limit, noticeAfter: .milliseconds(100), onLongWait: { path in reports.withLock { $0.append(path) } })
    }

    /// Every file of the store with its size and contents' hash, to show that nothing changed.
    static func listing(_ store: URL) throws -> [String: Int] {
        var files: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
            files[name] = try Data(contentsOf: store.appendingPathComponent(name)).hashValue
        }
        return files
    }

    @Test("a commit waits at most the limit for another process, fails with lockTimeout, and commits once it is free")
    func commitGivesUp() async throws {
        let scratch = try TemporaryDirectory("storage")
        let reports = LockedValue<[String]>([])
        var options = FileRecordStore.Options()
        options.lockWait = Self.policy(limit: .milliseconds(400), reports: reports)
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(.put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        let holder = try LockOrderTests.holdLock(scratch.store)

        let started = ContinuousClock.now
        let error = await #expect(throws: StoreError.self) {
            try await store.commit(.put(key("item", "2"), value: bytes("two"), expecting: .mustNotExist))
        }
        let waited = ContinuousClock.now - started
        #expect(error?.code == .lockTimeout)
        #expect(error?.file == scratch.store.appendingPathComponent("LOCK").path)
        #expect(error?.message.indonesian.contains("Tidak ada yang berubah") == true, "\(String(describing: error))")
        #expect(error?.message.english.contains("400 milliseconds") == true, "\(String(describing: error))")
        #expect(waited >= .milliseconds(400), "gave up before the limit")
        #expect(reports.withLock { $0 } == [scratch.store.appendingPathComponent("LOCK").path], "one report")
        #expect(try await store.record(for: key("item", "2")) == nil)
        #expect(try await store.record(for: key("item", "1")) != nil, "reads go on")

        holder.closeInput()
        _ = holder.remainingLines()
        // Not poisoned: the same commit goes through, at the next sequence.
        #expect(try await store.commit(.put(key("item", "2"), value: bytes("two"), expecting: .mustNotExist)) == 2)
        store.close()
        let reopened = try FileRecordStore(directory: scratch.store)
        #expect(text(try await reopened.record(for: key("item", "2"))) == "two")
    }

    @Test("opening, compaction, import, salvage, manifest recovery and backup give up the same way, changing nothing")
    func everyOperationGivesUp() async throws {
        let scratch = try TemporaryDirectory("storage")
        let reports = LockedValue<[String]>([])
        let policy = Self.policy(limit: .milliseconds(200), reports: reports)
        var options = FileRecordStore.Options()
        options.lockWait = policy
        let store = try FileRecordStore(directory: scratch.store, options: options)
        try await store.commit(.put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        let before = try Self.listing(scratch.store)
        let holder = try LockOrderTests.holdLock(scratch.store)
        let destination = scratch.url.appendingPathComponent("backup")

        let operations: [(String, () async throws -> Void)] = [
            ("open", { _ = try FileRecordStore(directory: scratch.store, options: options) }),
            ("compact", { try await store.compact() }),
            (
                "import",
                {
                    try await store.importRecords([
                        [.put(key("item", "9"), value: bytes("nine"), expecting: .mustNotExist)]
                    ])
                }
            ),
            ("salvage", { _ = try FileRecordStore.salvage(directory: scratch.store, lockWait: policy) }),
            ("recover", { _ = try FileRecordStore.recoverManifest(directory: scratch.store, lockWait: policy) }),
            ("backup", { _ = try FileRecordStore.backup(directory: scratch.store, to: destination, lockWait: policy) }),
        ]
        for (name, operation) in operations {
            let error = await #expect(throws: StoreError.self, "\(name)") { try await operation() }
            #expect(error?.code == .lockTimeout, "\(name): \(String(describing: error))")
            #expect(try Self.listing(scratch.store) == before, "\(name) changed the store")
        }
        #expect(reports.withLock { $0.count } == operations.count, "one report per wait")
        #expect(!FileManager.default.fileExists(atPath: destination.path), "the backup created its destination")
        #expect(try await store.record(for: key("item", "9")) == nil)

        holder.closeInput()
        _ = holder.remainingLines()
        // Nothing was left half done: the store commits and compacts again.
        #expect(try await store.commit(.put(key("item", "2"), value: bytes("two"), expecting: .mustNotExist)) == 2)
        try await store.compact()
        #expect(text(try await store.record(for: key("item", "2"))) == "two")
    }
}
