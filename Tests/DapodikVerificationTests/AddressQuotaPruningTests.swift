import DapodikLocking
import DapodikStorage
import DapodikStorageContract
import Foundation
import Testing

@testable import DapodikVerification

/// Every address sent a code gets a quota record counting its sends of the last 24 hours: quotas
/// that count no send any more are removed by later code requests, so the store does not keep one
/// record per address ever sent a code; a quota that still counts a send is kept, and the daily limit
/// per address holds at the edge of its window.
@Suite(.timeLimit(.minutes(5)))
struct AddressQuotaPruningTests {
    static let collection = AddressQuota.collection

    /// Registers PTK `guru<index>@gmail.com` for each index, by `manager`.
    static func registerPTK(
        _ indexes: some Sequence<Int>, prefix: String = "guru", in harness: Harness, by manager: Account
    ) async throws -> [Account] {
        var accounts: [Account] = []
        for index in indexes {
            accounts.append(
                try await harness.registerPTK(
                    "Guru \(prefix) \(index)", username: "\(prefix)\(index)", email: "\(prefix)\(index)@gmail.com",
                    by: manager))
        }
        return accounts
    }

    static func requestCode(_ service: VerificationService, for account: Account) async throws {
        _ = try await service.requestCode(for: account.id, by: account.id)
    }

    @Test(
        "quotas a day past their last send are removed by later requests; one still counting is kept",
        arguments: StoreKind.allCases)
    func idleQuotasRemoved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let first = try await Self.registerPTK(0..<5, in: harness, by: manager)
        for ptk in first { try await Self.requestCode(harness.service, for: ptk) }
        let later = try await Self.registerPTK(5..<10, in: harness, by: manager)
        // The operator's own address and five PTK addresses, each sent one code.
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 6)

        // Within the window every send still counts: a new request removes nothing.
        harness.clock.advance(by: 23 * 3600)
        try await Self.requestCode(harness.service, for: later[0])
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 7)

        // Past their window but within the hour of grace (a clock ahead of the others' by up to an
        // hour removes nothing that still counts there): nothing is removed yet.
        harness.clock.advance(by: 3600 + 1800)
        try await Self.requestCode(harness.service, for: later[1])
        #expect(try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection).count == 8)

        // Idle for more than the grace, each request adds its own quota and removes two idle ones.
        harness.clock.advance(by: 3600 + 1800)
        for ptk in later.dropFirst(2) { try await Self.requestCode(harness.service, for: ptk) }
        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection)
        #expect(live == Set(later.map { $0.email!.mailbox }), "\(live.sorted())")
    }

    @Test(
        "the daily limit per address holds at the edge of its window while idle quotas are removed",
        arguments: StoreKind.allCases)
    func limitHoldsAtTheEdge(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = try harness.sibling {
            $0.policy = try VerificationPolicy(resendCooldown: .zero, maximumMailsPerAddressPerDay: 2)
        }
        let manager = try await harness.verifiedOperator()
        let idle = try await Self.registerPTK(0..<3, in: harness, by: manager)
        let others = try await Self.registerPTK(0..<2, prefix: "lain", in: harness, by: manager)
        let budi = try await harness.registerPTK(by: manager)
        for ptk in idle { try await Self.requestCode(service, for: ptk) }
        // The idle ones' sends two hours before budi's first: idle for longer than the grace at its edge.
        harness.clock.advance(by: 2 * 3600)
        let start = harness.clock.now
        try await Self.requestCode(service, for: budi)
        harness.clock.advance(by: 3600)
        try await Self.requestCode(service, for: budi)
        harness.clock.advance(by: 1)
        let full = await #expect(throws: VerificationError.self) { try await Self.requestCode(service, for: budi) }
        #expect(full?.code == .resendNotAllowed && full?.retryAt == start.addingTimeInterval(24 * 3600))

        // Just past the first send's window: the second still counts, so budi's quota is not idle.
        // Other requests remove idle quotas (the first three PTK's and the operator's), never budi's.
        harness.clock.set(start.addingTimeInterval(24 * 3600 + 1))
        for ptk in others { try await Self.requestCode(service, for: ptk) }
        let live = try await ThrottlePruningTests.liveKeys(harness.store, collection: Self.collection)
        #expect(live == Set((others + [budi]).map { $0.email!.mailbox }), "\(live.sorted())")
        // One more send fits beside the second, and no more.
        try await Self.requestCode(service, for: budi)
        harness.clock.advance(by: 1)
        let again = await #expect(throws: VerificationError.self) { try await Self.requestCode(service, for: budi) }
        #expect(again?.code == .resendNotAllowed && again?.retryAt == start.addingTimeInterval(25 * 3600))
    }

    @Test(
        "a quota written without the index is kept, and removable once a code to its address rewrites it",
        arguments: StoreKind.allCases)
    func quotaWithoutTheIndex(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let manager = try await harness.verifiedOperator()
        let ptk = try await Self.registerPTK(0..<5, in: harness, by: manager)
        // As a version before the index wrote it: the same document, no index entry.
        let old = AddressQuota(sends: [harness.clock.now])
        let key = AddressQuota.storedKey(ptk[0].email!)
        try await harness.store.commit([
            .put(key.recordKey, value: try old.encodedRecord(), indexes: [], expecting: .mustNotExist)
        ])

        harness.clock.advance(by: 25 * 3600)
        for other in ptk[1...2] { try await Self.requestCode(harness.service, for: other) }
        #expect(try await harness.store.load(key)?.value.sends == old.sends, "not found, so never removed")
        // Its send is out of the window: a code to its address is sent and rewrites it with the index.
        try await Self.requestCode(harness.service, for: ptk[0])
        #expect(try await harness.store.load(key)?.value.sends == [harness.clock.now.atStoredPrecision])

        harness.clock.advance(by: 26 * 3600)
        for other in ptk[3...4] { try await Self.requestCode(harness.service, for: other) }
        #expect(try await harness.store.load(key) == nil)
    }
}

extension AddressQuotaPruningTests {
    @Test(
        "a request whose removal of an idle quota loses a race to a new send is not retried, and the send stays counted"
    )
    func removalLosesARace() async throws {
        let harness = try Harness.make(.memory)
        let manager = try await harness.verifiedOperator()
        let ptk = try await Self.registerPTK(0..<2, in: harness, by: manager)
        try await Self.requestCode(harness.service, for: ptk[0])
        harness.clock.advance(by: 26 * 3600)
        // One try only: a conflict the request retried would fail it as busy.
        let racing = SendingBeforeRemovalStore(harness.store, at: harness.clock.now)
        let service = harness.sibling {
            $0.store = racing
            $0.maximumConflictRetries = 1
        }
        try await Self.requestCode(service, for: ptk[1])
        let raced = try #require(racing.raced)
        #expect(try await harness.store.load(StoredKey<AddressQuota>(raced.id))?.value.sends.count == 1)
        #expect(try await harness.store.load(AddressQuota.storedKey(ptk[1].email!)) != nil)
    }
}

/// A store that, before the first commit removing an address quota, puts a new send in that quota,
/// as a code request to that address committing first does.
final class SendingBeforeRemovalStore: ForwardingRecordStore {
    let base: any RecordStore
    private let time: Date
    private let racedKey = LockedValue<RecordKey?>(nil)

    init(_ base: any RecordStore, at time: Date) {
        self.base = base
        self.time = time
    }

    /// The quota the concurrent send went to, once it has.
    var raced: RecordKey? { racedKey.withLock { $0 } }

    func commit(_ mutations: [Mutation]) async throws -> UInt64 {
        if raced == nil,
            let removal = mutations.first(where: { $0.key.collection == AddressQuota.collection && $0.kind == .delete }
            ),
            let current = try await base.record(for: removal.key)
        {
            let quota = AddressQuota(sends: [time])
            _ = try await base.commit([
                .put(
                    removal.key, value: try quota.encodedRecord(), indexes: quota.indexEntries,
                    expecting: .version(current.version))
            ])
            racedKey.withLock { $0 = removal.key }
        }
        return try await base.commit(mutations)
    }
}
