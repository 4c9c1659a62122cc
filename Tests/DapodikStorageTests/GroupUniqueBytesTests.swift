import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// A commit's unique index values are checked by their bytes whether it is committed alone or in a
/// group with others: the group's pending claims follow the same rule as the durable table.
@Suite("FileRecordStore group: unique values by bytes", .timeLimit(.minutes(10)))
struct GroupUniqueBytesTests {
    func put(_ id: String, _ value: String) -> [Mutation] {
        [.put(key("u", id), value: bytes(id), indexes: [.unique("u.name", value)], expecting: .mustNotExist)]
    }

    /// Commits the batches as one group (held, then resumed), returning whether each succeeded.
    func commitAsOneGroup(_ store: FileRecordStore, _ batches: [[Mutation]]) async -> [StoreError.Code?] {
        store.holdCommits()
        var tasks: [Task<StoreError.Code?, Never>] = []
        for batch in batches {
            let queued = store.queuedCommitCount
            tasks.append(
                Task {
                    do {
                        try await store.commit(batch)
                        return nil
                    } catch {
                        return (error as? StoreError)?.code
                    }
                })
            // One at a time, so that the group's order is the batches' order.
            while store.queuedCommitCount == queued { await Task.yield() }
        }
        store.resumeCommits()
        var codes: [StoreError.Code?] = []
        for task in tasks { codes.append(await task.value) }
        return codes
    }

    @Test("canonically equivalent spellings do not conflict in one group, as when committed apart; equal bytes do")
    func equivalentSpellings() async throws {
        let composed = "caf\u{E9}"
        let decomposed = "cafe\u{301}"
        let scratch = try TemporaryDirectory("storage")
        let grouped = try FileRecordStore(directory: scratch.url.appendingPathComponent("grouped"))
        let codes = await commitAsOneGroup(
            grouped, [put("a", composed), put("b", decomposed), put("c", "same"), put("d", "same")])
        #expect(codes == [nil, nil, nil, .uniqueConstraint])
        let apart = try FileRecordStore(directory: scratch.url.appendingPathComponent("apart"))
        try await apart.commit(put("a", composed))
        try await apart.commit(put("b", decomposed))
        try await apart.commit(put("c", "same"))
        let error = await #expect(throws: StoreError.self) { try await apart.commit(put("d", "same")) }
        #expect(error?.code == .uniqueConstraint)
        for store in [grouped, apart] {
            #expect(try await store.record(whereUnique: "u.name", equals: composed)?.key == key("u", "a"))
            #expect(try await store.record(whereUnique: "u.name", equals: decomposed)?.key == key("u", "b"))
        }
    }
}
