import DapodikStorage
import DapodikStorageContract
import DapodikTestSupport
import Testing

/// The shipped contract (``RecordStoreContract``) run against each built-in store.
@Suite("RecordStore contract", .timeLimit(.minutes(10)))
struct RecordStoreContractTests {
    @Test("every store keeps the contract", arguments: StoreFactory.all, RecordStoreContract.checks)
    func contract(factory: StoreFactory, check: RecordStoreContract.Check) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await check.run(on: factory.subject(scratch))
    }

    @Test(
        "every store keeps the contract of compaction", arguments: StoreFactory.all,
        RecordStoreContract.compactionChecks)
    func compaction(factory: StoreFactory, check: RecordStoreContract.Check) async throws {
        let scratch = try TemporaryDirectory("storage")
        try await check.run(on: factory.subject(scratch))
    }

    @Test("a store that breaks a rule is caught: a feed that skips a sequence fails the contract")
    func contractCatchesABrokenStore() async throws {
        let check = try #require(RecordStoreContract.checks.first { $0.name.hasPrefix("a put creates version 1") })
        let subject = RecordStoreContractSubject(store: SkippingStore())
        await #expect(throws: RecordStoreContractViolation.self) { try await check.run(on: subject) }
    }
}

extension StoreFactory {
    /// A fresh store of this kind, with its compaction, as the contract takes it.
    func subject(_ scratch: TemporaryDirectory) throws -> RecordStoreContractSubject {
        let store = try make(scratch)
        return RecordStoreContractSubject(store: store, compact: { try await store.compact() })
    }
}

/// A store that numbers its commits 1, 3, 5, …: wrong, and the contract must say so.
private struct SkippingStore: ForwardingRecordStore {
    let base: any RecordStore = InMemoryRecordStore()

    func commit(_ mutations: [Mutation]) async throws -> UInt64 { try await base.commit(mutations) * 2 - 1 }
}
