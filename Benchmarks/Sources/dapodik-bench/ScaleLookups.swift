import BenchmarkHarness
import BenchmarkReport
import DapodikStorage

/// The national scale's random lookups, the same on every store (the file store's `scale-open`, and
/// PostgreSQL's): by key, by unique e-mail, and the accounts of a school, each on accounts drawn with
/// a fixed seed so every store answers the same questions.
enum ScaleLookups {
    /// Runs `lookups` lookups by key and by e-mail and a tenth as many by school on `store`, which holds
    /// `accounts` accounts made by ``Payloads``, and hands each variant's statistics to `emit`.
    static func run(
        on store: some RecordStore, accounts: Int, lookups: Int, emit: (_ variant: String, Statistics) -> Void
    ) async throws {
        var random = SplitMix64(seed: 0x5EED)
        var keys: [Int] = []
        keys.reserveCapacity(lookups * 3)
        for _ in 0..<(lookups * 3) { keys.append(Int(random.next() % UInt64(accounts))) }
        let shared = keys
        let byKey = try await Measure.concurrent(clients: 1, warmUp: 0, operationsPerClient: lookups) {
            _, iteration in
            let n = shared[iteration]
            guard let record = try await store.record(for: RecordKey(collection: "account", id: Payloads.accountID(n))),
                record.value.count > 100
            else { throw ClientFailure(description: "account \(n) not found by key") }
        }
        emit("by key", byKey)
        let byEmail = try await Measure.concurrent(clients: 1, warmUp: 0, operationsPerClient: lookups) {
            _, iteration in
            let n = shared[lookups + iteration]
            guard let record = try await store.record(whereUnique: "account.email", equals: Payloads.email(n)),
                record.key.id == Payloads.accountID(n)
            else { throw ClientFailure(description: "account \(n) not found by e-mail") }
        }
        emit("by unique e-mail", byEmail)
        let schools = try await Measure.concurrent(clients: 1, warmUp: 0, operationsPerClient: lookups / 10) {
            _, iteration in
            let n = shared[2 * lookups + iteration]
            let records = try await store.records(where: "account.school", equals: Payloads.npsn(n))
            guard records.contains(where: { $0.key.id == Payloads.accountID(n) }) else {
                throw ClientFailure(description: "account \(n) missing from its school")
            }
        }
        emit("accounts of a school", schools)
    }
}
