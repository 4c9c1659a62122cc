import DapodikTestSupport
import Foundation
import Testing

@testable import DapodikStorage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Injected failures of a pipelined group commit (issue 15): a group prepared behind one in flight.
extension FaultInjectionTests {
    @Test("an fdatasync failing for group n fails group n + 1, prepared behind it and never written")
    func pipelinedSyncFailure() async throws {
        let (fixture, second) = try await PipelinedGroupCommitTests.storeWithQueuedGroupHeld()
        let (witness, store) = (fixture.witness, fixture.store)
        let third = blockingCommit(store, itemPut(3))
        let fourth = blockingCommit(store, itemPut(4))
        await PipelinedGroupCommitTests.waitForPreparedAhead(store, 2)
        // Group {2} is written and waits in the hook, before its fdatasync: that call fails.
        SystemCallFaults.arm(
            directory: fixture.scratch.store.path, only: .syncData, target: 1, action: .fail(errno: EIO))
        witness.gate.release(failing: false)
        for commit in [second, third, fourth] {
            let error = await #expect(throws: StoreError.self) { try await commit.value }
            #expect(error?.errno == EIO)
        }
        let tally = SystemCallFaults.disarm()
        #expect(tally.hitKind == .syncData)
        #expect(witness.ranInTask == [true, false])
        let poisoned = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "1")) }
        #expect(poisoned?.code == .poisoned)
        store.close()
        let reopened = try FileRecordStore(directory: fixture.scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "1"))) == "value 1")
        for n in 2...4 { #expect(try await reopened.record(for: key("item", "\(n)")) == nil) }
        #expect(try await reopened.commit(itemPut(3)) == 2)
    }

    @Test("a pwrite failing for group n + 1 keeps group n, acknowledged before it, and nothing of n + 1")
    func pipelinedWriteFailure() async throws {
        let (fixture, second) = try await PipelinedGroupCommitTests.storeWithQueuedGroupHeld()
        let (witness, store) = (fixture.witness, fixture.store)
        let third = blockingCommit(store, itemPut(3))
        let fourth = blockingCommit(store, itemPut(4))
        await PipelinedGroupCommitTests.waitForPreparedAhead(store, 2)
        // Group {2}'s frame is written already: the next write is group {3, 4}'s.
        SystemCallFaults.arm(directory: fixture.scratch.store.path, only: .write, target: 1, action: .fail(errno: EIO))
        witness.gate.release(failing: false)
        #expect(try await second.value == 2)
        for commit in [third, fourth] {
            let error = await #expect(throws: StoreError.self) { try await commit.value }
            #expect(error?.errno == EIO)
        }
        let tally = SystemCallFaults.disarm()
        #expect(tally.hitKind == .write)
        let poisoned = await #expect(throws: StoreError.self) { _ = try await store.record(for: key("item", "2")) }
        #expect(poisoned?.code == .poisoned)
        store.close()
        let reopened = try FileRecordStore(directory: fixture.scratch.store)
        defer { reopened.close() }
        #expect(text(try await reopened.record(for: key("item", "2"))) == "value 2")
        for n in 3...4 { #expect(try await reopened.record(for: key("item", "\(n)")) == nil) }
        #expect(try await reopened.commit(itemPut(3)) == 3)
    }
}
