import DapodikStorage
import Foundation
import Testing

@testable import DapodikVerification

/// Anyone can type any identifier with a wrong password, and each gets a throttle record: idle ones
/// are removed by later failed logins, so the store does not grow by one record per identifier ever
/// typed; the records that still decide something (recent failures, locks until unlocked, the
/// per-account counts) are kept.
@Suite(.timeLimit(.minutes(5)))
struct ThrottlePruningTests {
    /// The keys of the live records of `collection`, from the whole change feed.
    static func liveKeys(_ store: any RecordStore, collection: String) async throws -> Set<String> {
        var live = Set<String>()
        for batch in try await store.changes(after: 0, limit: 1_000_000) {
            for record in batch.puts where record.key.collection == collection { live.insert(record.key.id) }
            for key in batch.deletes where key.collection == collection { live.remove(key.id) }
        }
        return live
    }

    /// A service over `harness`'s store whose login throttle is the harness's, changed by `change`.
    static func service(
        _ harness: Harness, throttle change: (inout LoginThrottlePolicy) -> Void
    ) -> VerificationService {
        var policy = harness.service.configuration.loginThrottle
        change(&policy)
        return harness.sibling { $0.loginThrottle = policy }
    }

    static func failLogin(_ service: VerificationService, as identifier: String) async {
        _ = try? await service.login(identifier: identifier, password: "Salah-Sandi-2026")
    }

    @Test("identifiers typed once and idle for a day are removed by later failed logins", arguments: StoreKind.allCases)
    func idleIdentifiersRemoved(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let collection = LoginThrottlePolicy.State.collection
        for index in 0..<10 { await Self.failLogin(harness.service, as: "tamu\(index)@contoh.id") }
        let first = try await Self.liveKeys(harness.store, collection: collection)
        #expect(first.count == 10)
        // Within the window nothing is idle: a new identifier removes nothing.
        harness.clock.advance(by: 23 * 3600)
        await Self.failLogin(harness.service, as: "baru0@contoh.id")
        #expect(try await Self.liveKeys(harness.store, collection: collection).count == 11)
        // A day after their failures and within the hour of grace (for clocks that disagree), a new
        // identifier removes nothing.
        harness.clock.advance(by: 3600 + 1800)
        await Self.failLogin(harness.service, as: "anyar@contoh.id")
        #expect(try await Self.liveKeys(harness.store, collection: collection).count == 12)
        // Idle for more than the grace, each new identifier removes two idle records and adds one.
        harness.clock.advance(by: 3600)
        for index in 1...6 { await Self.failLogin(harness.service, as: "baru\(index)@contoh.id") }
        let after = try await Self.liveKeys(harness.store, collection: collection)
        #expect(after.count == 8, "\(after.count)")
        #expect(after.isDisjoint(with: first), "every idle record is gone")
        // The records kept still count: the latest identifier's second failure is its second.
        let kept = harness.service.identifierThrottleKey("baru5@contoh.id")
        #expect(try await harness.store.load(kept)?.value.failures == 1)
        await Self.failLogin(harness.service, as: "baru5@contoh.id")
        #expect(try await harness.store.load(kept)?.value.failures == 2)
    }

    @Test(
        "an identifier locked until unlocked and the per-account counts are kept, however long idle",
        arguments: StoreKind.allCases)
    func locksAndAccountsKept(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = Self.service(harness) { policy in
            policy.maximumConsecutiveFailures = 3
            policy.freeFailures = 10
            policy.lockAfter = 50
        }
        let manager = try await harness.verifiedOperator()
        let ptk = try await harness.registerPTK(by: manager)
        // An unknown identifier locked until unlocked, and two failures of a real account.
        for _ in 0..<3 { await Self.failLogin(service, as: "penyusup@contoh.id") }
        for _ in 0..<2 { await Self.failLogin(service, as: "budi.santoso") }
        let locked = service.identifierThrottleKey("penyusup@contoh.id")
        let account = service.accountThrottleKey(ptk.id)
        #expect(try await harness.store.load(locked)?.value.consecutiveFailures == 3)
        #expect(try await harness.store.load(account)?.value.consecutiveFailures == 2)

        harness.clock.advance(by: 30 * 24 * 3600)
        for index in 0..<5 { await Self.failLogin(service, as: "baru\(index)@contoh.id") }
        #expect(try await harness.store.load(locked)?.value.consecutiveFailures == 3, "a lock until unlock is kept")
        let refusal = await #expect(throws: VerificationError.self) {
            _ = try await service.login(identifier: "penyusup@contoh.id", password: "Salah-Sandi-2026")
        }
        #expect(refusal?.code == .accountLocked)
        #expect(try await harness.store.load(account)?.value.consecutiveFailures == 2, "the account's count is kept")
        // The account's identifier record went idle and is gone, but the account's count goes on.
        #expect(try await harness.store.load(service.identifierThrottleKey("budi.santoso")) == nil)
        await Self.failLogin(service, as: "budi.santoso")
        #expect(try await harness.store.load(account)?.value.consecutiveFailures == 3)
    }

    @Test(
        "a record idle under the policy that wrote it but not under the policy now is kept, and goes when idle now",
        arguments: StoreKind.allCases)
    func policyChangedSince(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        for _ in 0..<2 { await Self.failLogin(harness.service, as: "tamu@contoh.id") }
        let tamu = harness.service.identifierThrottleKey("tamu@contoh.id")
        let service = Self.service(harness) { $0.failureWindow = .seconds(7 * 24 * 3600) }
        harness.clock.advance(by: 25 * 3600)
        await Self.failLogin(service, as: "baru0@contoh.id")
        #expect(try await harness.store.load(tamu)?.value.failures == 2, "its failures still count for a week")
        harness.clock.advance(by: 6 * 24 * 3600)
        await Self.failLogin(service, as: "baru1@contoh.id")
        #expect(try await harness.store.load(tamu) == nil, "a week after its failures it is idle")
    }

    @Test("a lock longer than the window keeps its record until the lock ends", arguments: StoreKind.allCases)
    func lockLongerThanTheWindow(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = Self.service(harness) { policy in
            policy.lockAfter = 2
            policy.lockDuration = .seconds(48 * 3600)
        }
        for _ in 0..<2 { await Self.failLogin(service, as: "tamu@contoh.id") }
        let tamu = service.identifierThrottleKey("tamu@contoh.id")
        harness.clock.advance(by: 25 * 3600)
        await Self.failLogin(service, as: "baru0@contoh.id")
        #expect(try await harness.store.load(tamu) != nil, "still locked for a day")
        let refusal = await #expect(throws: VerificationError.self) {
            _ = try await service.login(identifier: "tamu@contoh.id", password: "Salah-Sandi-2026")
        }
        #expect(refusal?.code == .loginThrottled)
        harness.clock.advance(by: 25 * 3600)
        await Self.failLogin(service, as: "baru1@contoh.id")
        #expect(try await harness.store.load(tamu) == nil)
    }

    @Test("a window that never ends neither traps nor removes anything", arguments: StoreKind.allCases)
    func endlessWindow(_ kind: StoreKind) async throws {
        let harness = try Harness.make(kind)
        let service = Self.service(harness) { policy in
            policy.failureWindow = .seconds(Int64.max)
            policy.lockDuration = .seconds(Int64.max)
        }
        await Self.failLogin(service, as: "tamu@contoh.id")
        harness.clock.advance(by: 365 * 24 * 3600)
        await Self.failLogin(service, as: "baru@contoh.id")
        #expect(try await harness.store.load(service.identifierThrottleKey("tamu@contoh.id"))?.value.failures == 1)
    }
}
