import DapodikLocking
import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

/// Reads never wait for another process's lock (issue 10, defect 4): a committer waits for `LOCK`
/// before it takes the store's mutex, and a reader that needs the lock only tries it.
@Suite("File store lock order", .serialized, .timeLimit(.minutes(10)))
struct LockOrderTests {
    /// Polls `isDone` for up to 20 s (the machine may be very busy): true once it holds.
    static func eventually(_ isDone: () -> Bool) async -> Bool {
        for _ in 0..<400 {
            if isDone() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return isDone()
    }

    /// Starts a probe holding `LOCK` exclusively and waits until it holds it.
    static func holdLock(_ store: URL) throws -> CrashTests.ProbeProcess {
        let holder = try CrashTests.ProbeProcess(["hold-lock", store.path])
        #expect(holder.nextLine() == "locked")
        return holder
    }

    @Test("while another process holds LOCK, a commit waits but reads in this process go on")
    func readsGoOnWhileACommitWaits() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(.put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        let holder = try Self.holdLock(scratch.store)

        let committed = LockedValue<UInt64?>(nil)
        let commit = Task {
            let sequence = try await store.commit(.put(key("item", "2"), value: bytes("two"), expecting: .mustNotExist))
            committed.withLock { $0 = sequence }
        }
        // The commit is taken from the queue and waits for the lock.
        #expect(await Self.eventually { store.isCommittingGroup })
        let read = LockedValue<String?>(nil)
        let reader = Task.detached {
            let record = try await store.record(for: key("item", "1"))
            read.withLock { $0 = text(record) }
        }
        let readFinished = await Self.eventually { read.withLock { $0 } != nil }
        #expect(readFinished, "a read waited for another process's lock")
        #expect(committed.withLock { $0 } == nil, "the commit waits for the lock")

        holder.closeInput()
        _ = holder.remainingLines()
        try await commit.value
        try await reader.value
        #expect(read.withLock { $0 } == "one")
        #expect(committed.withLock { $0 } == 2)
        #expect(text(try await store.record(for: key("item", "2"))) == "two")
    }

    @Test("after another process compacted, reads follow the new generation while a third holds LOCK")
    func readsFollowACompactionWithoutTheLock() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(.put(key("item", "1"), value: bytes("one"), expecting: .mustNotExist))
        #expect(text(try await store.record(for: key("item", "1"))) == "one")
        let compactor = try CrashTests.ProbeProcess(["compact", scratch.store.path])
        #expect(compactor.remainingLines() == ["compacted 2"], "\(compactor.standardError)")
        let holder = try Self.holdLock(scratch.store)
        defer {
            holder.closeInput()
            _ = holder.remainingLines()
        }

        let read = LockedValue<String?>(nil)
        let reader = Task.detached {
            let record = try await store.record(for: key("item", "1"))
            read.withLock { $0 = text(record) }
        }
        #expect(await Self.eventually { read.withLock { $0 } != nil }, "a read waited for another process's lock")
        holder.closeInput()
        try await reader.value
        #expect(read.withLock { $0 } == "one")
        #expect(store.generation == 2)
    }
}
