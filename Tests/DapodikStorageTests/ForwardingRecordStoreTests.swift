import DapodikStorage
import DapodikStorageContract
import Foundation
import Testing

/// A forwarding store hands the change signals on too, so a dispatcher waiting on it wakes with its
/// base store instead of polling.
@Suite("ForwardingRecordStore", .timeLimit(.minutes(10)))
struct ForwardingRecordStoreTests {
    private struct PlainForwarder: ForwardingRecordStore {
        let base: any RecordStore
    }

    @Test("a commit through the forwarding store moves its signal mark and ends a wait at once")
    func signalsAreForwarded() async throws {
        let store = PlainForwarder(base: InMemoryRecordStore())
        let before = store.changeSignalMark(for: "outbox")
        _ = try await store.commit([
            .put(
                RecordKey(collection: "outbox", id: "m1"), value: Data("{}".utf8), indexes: [], expecting: .mustNotExist
            )
        ])
        // The default of a store that cannot hear changes keeps every mark the same.
        #expect(store.changeSignalMark(for: "outbox") != before)
        // With the default, this wait would last the whole hour and the suite's time limit would end it.
        await store.waitForChanges(in: "outbox", since: before, atMost: .seconds(3600))
    }
}
