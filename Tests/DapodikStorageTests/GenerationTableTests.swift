import DapodikStorage
import DapodikTestSupport
import Foundation
import Testing

/// The file store's two layers: the snapshot's stored hash tables and sorted arrays, and the overlay
/// of what the log changed since. Every lookup must answer as one table would.
@Suite("Snapshot and overlay", .timeLimit(.minutes(10)))
struct GenerationTableTests {
    func account(_ n: Int, email: String? = nil, school: String = "S1") -> Mutation {
        .put(
            key("account", "\(n)"), value: bytes("account \(n)"),
            indexes: [
                .unique("account.email", email ?? "guru\(n)@example.sch.id"), .nonUnique("account.school", school),
            ],
            expecting: .any)
    }

    func unique(_ store: FileRecordStore, _ email: String) async throws -> RecordKey? {
        try await store.record(whereUnique: "account.email", equals: email)?.key
    }

    @Test("records are found through the snapshot and the overlay, before and after reopening")
    func lookups() async throws {
        let scratch = try TemporaryDirectory("storage")
        do {
            let store = try FileRecordStore(directory: scratch.store)
            for n in 1...30 { try await store.commit(account(n, school: n % 2 == 0 ? "EVEN" : "ODD")) }
            try await store.compact()
            try await store.commit(account(31, school: "EVEN"))
            try await store.commit(
                .put(
                    key("account", "2"), value: bytes("changed"), indexes: [.unique("account.email", "new2@x")],
                    expecting: .version(1)))
        }
        let store = try FileRecordStore(directory: scratch.store)
        #expect(text(try await store.record(for: key("account", "7"))) == "account 7")
        #expect(text(try await store.record(for: key("account", "2"))) == "changed")
        #expect(try await store.record(for: key("account", "2"))?.version == 2)
        #expect(try await store.record(for: key("account", "32")) == nil)
        #expect(try await store.record(for: key("other", "7")) == nil)
        #expect(try await unique(store, "guru7@example.sch.id") == key("account", "7"))
        #expect(try await unique(store, "guru2@example.sch.id") == nil)
        #expect(try await unique(store, "new2@x") == key("account", "2"))
        #expect(try await unique(store, "guru31@example.sch.id") == key("account", "31"))
        let even = try await store.records(where: "account.school", equals: "EVEN").map(\.key.id)
        #expect(even == ["10", "12", "14", "16", "18", "20", "22", "24", "26", "28", "30", "31", "4", "6", "8"])
        let summaries = try store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
        #expect(summaries.maintained.unique.count == 31)
    }

    @Test("a delete in the overlay hides the snapshot's record and every index entry it had")
    func deletesShadow() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        for n in 1...5 { try await store.commit(account(n)) }
        try await store.compact()
        try await store.commit(.delete(key("account", "3"), expecting: .version(1)))
        for handle in [store, try FileRecordStore(directory: scratch.store)] {
            #expect(try await handle.record(for: key("account", "3")) == nil)
            #expect(try await unique(handle, "guru3@example.sch.id") == nil)
            #expect(
                try await handle.records(where: "account.school", equals: "S1").map(\.key.id) == ["1", "2", "4", "5"])
            #expect(
                try await handle.records(in: "account.school", from: "S", to: "T", limit: 10).map(\.key.id) == [
                    "1", "2", "4", "5",
                ])
        }
        // The freed value and key can be taken again; a re-created key starts at version 1.
        try await store.commit(account(6, email: "guru3@example.sch.id"))
        try await store.commit(.put(key("account", "3"), value: bytes("again"), expecting: .mustNotExist))
        #expect(try await store.record(for: key("account", "3"))?.version == 1)
        #expect(try await unique(store, "guru3@example.sch.id") == key("account", "6"))
        try await store.compact()
        #expect(try await store.record(for: key("account", "3"))?.indexes == [])
        #expect(try await unique(store, "guru3@example.sch.id") == key("account", "6"))
        let summaries = try store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("a unique value moves from a snapshot record to an overlay record, and conflicts name the new holder")
    func uniqueMoves() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        try await store.commit(account(1, email: "a@x"))
        try await store.commit(account(2, email: "b@x"))
        try await store.compact()
        // One batch swaps the two addresses between snapshot records.
        try await store.commit([account(1, email: "b@x"), account(2, email: "a@x")])
        #expect(try await unique(store, "a@x") == key("account", "2"))
        #expect(try await unique(store, "b@x") == key("account", "1"))
        let taken = await #expect(throws: StoreError.self) { try await store.commit(account(3, email: "a@x")) }
        #expect(taken?.code == .uniqueConstraint)
        #expect(taken?.holder == key("account", "2"))
        // Account 1 moves on to a new address; its old one, still in the snapshot's table, is free.
        try await store.commit(account(1, email: "c@x"))
        try await store.commit(account(3, email: "b@x"))
        for handle in [store, try FileRecordStore(directory: scratch.store)] {
            #expect(try await unique(handle, "b@x") == key("account", "3"))
            #expect(try await unique(handle, "c@x") == key("account", "1"))
        }
        try await store.compact()
        #expect(try await unique(store, "a@x") == key("account", "2"))
        #expect(try await unique(store, "b@x") == key("account", "3"))
        let summaries = try store.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    @Test("a range query merges the snapshot's sorted array with the overlay, by value then key, up to the limit")
    func rangesMerge() async throws {
        let scratch = try TemporaryDirectory("storage")
        let store = try FileRecordStore(directory: scratch.store)
        func due(_ id: String, _ value: String) -> Mutation {
            .put(key("outbox", id), value: bytes(id), indexes: [.nonUnique("outbox.due", value)], expecting: .any)
        }
        try await store.commit([due("s1", "t10"), due("s2", "t30"), due("s3", "t50"), due("s4", "t30")])
        try await store.compact()
        try await store.commit([due("o1", "t20"), due("o2", "t30"), due("o3", "t60")])
        try await store.commit(.delete(key("outbox", "s2"), expecting: .any))
        try await store.commit(due("s3", "t05"))
        let all = try await store.records(in: "outbox.due", from: "t", to: "u", limit: 100).map(\.key.id)
        #expect(all == ["s3", "s1", "o1", "o2", "s4", "o3"])
        #expect(
            try await store.records(in: "outbox.due", from: "t10", to: "t60", limit: 3).map(\.key.id) == [
                "s1", "o1", "o2",
            ])
        #expect(
            try await store.records(in: "outbox.due", from: "t30", to: "t31", limit: 100).map(\.key.id) == ["o2", "s4"])
        #expect(try await store.records(where: "outbox.due", equals: "t30").map(\.key.id) == ["o2", "s4"])
        try await store.compact()
        #expect(try await store.records(in: "outbox.due", from: "t", to: "u", limit: 100).map(\.key.id) == all)
    }

    @Test("random work with compactions and reopenings answers exactly as the in-memory reference store")
    func matchesReference() async throws {
        let scratch = try TemporaryDirectory("storage")
        var options = FileRecordStore.Options()
        options.automaticCompaction = false
        var file = try FileRecordStore(directory: scratch.store, options: options)
        let reference = InMemoryRecordStore()
        var random = SeededGenerator(seed: 20_240_831)
        func pick(_ bound: Int) -> Int { Int(random.next() % UInt64(bound)) }
        for step in 0..<400 {
            var batch: [Mutation] = []
            var used: Set<Int> = []
            for _ in 0..<(1 + pick(3)) {
                let n = pick(40)
                guard used.insert(n).inserted else { continue }
                if pick(4) == 0 {
                    batch.append(.delete(key("r", "\(n)"), expecting: .any))
                } else {
                    batch.append(
                        .put(
                            key("r", "\(n)"), value: bytes("\(step)"),
                            indexes: [.unique("r.u", "u\(pick(50))"), .nonUnique("r.g", "g\(pick(6))")],
                            expecting: .any))
                }
            }
            let expected = await outcome { try await reference.commit(batch) }
            let actual = await outcome { try await file.commit(batch) }
            #expect(actual == expected, "step \(step)")
            if step % 60 == 59 { try await file.compact() }
            if step % 90 == 89 { file = try FileRecordStore(directory: scratch.store, options: options) }
            if step % 20 == 19 {
                for n in 0..<40 {
                    #expect(try await file.record(for: key("r", "\(n)")) == reference.record(for: key("r", "\(n)")))
                }
                for u in 0..<50 {
                    #expect(
                        try await file.record(whereUnique: "r.u", equals: "u\(u)")
                            == reference.record(whereUnique: "r.u", equals: "u\(u)"))
                }
                for g in 0..<6 {
                    #expect(
                        try await file.records(where: "r.g", equals: "g\(g)")
                            == reference.records(where: "r.g", equals: "g\(g)"))
                }
                #expect(
                    try await file.records(in: "r.g", from: "g1", to: "g4", limit: 17)
                        == reference.records(in: "r.g", from: "g1", to: "g4", limit: 17))
            }
        }
        let summaries = try file.indexSummaries()
        #expect(summaries.maintained == summaries.rebuilt)
    }

    /// The sequence number, or the error's code and message, of a commit.
    func outcome(_ body: () async throws -> UInt64) async -> String {
        do {
            return "ok \(try await body())"
        } catch {
            return "\(error)"
        }
    }

    @Test("a store of format 1 is refused as unsupported, not read as damage")
    func formatOneRefused() async throws {
        let scratch = try TemporaryDirectory("storage")
        _ = try FileRecordStore(directory: scratch.store)
        let body = "dapodik-store format=1 generation=1"
        let checksum = String(format: "%08x", crc32c(Array(body.utf8)))
        try bytes(body + " crc32c=" + checksum + "\n").write(to: scratch.store.appendingPathComponent("CURRENT"))
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .unsupportedFormat)
    }

    @Test("a damaged index section is refused on open, naming the snapshot")
    func damagedSection() async throws {
        let scratch = try TemporaryDirectory("storage")
        do {
            let store = try FileRecordStore(directory: scratch.store)
            for n in 1...10 { try await store.commit(account(n)) }
            try await store.compact()
        }
        let snapshot = scratch.store.appendingPathComponent("snapshot-2")
        var contents = try Data(contentsOf: snapshot)
        let position = try #require(contents.range(of: bytes("guru5@example.sch.id"))).lowerBound
        contents[position] ^= 0x04
        try contents.write(to: snapshot)
        let error = #expect(throws: StoreError.self) { _ = try FileRecordStore(directory: scratch.store) }
        #expect(error?.code == .corrupted)
        #expect(error?.file == snapshot.path)
    }
}

/// CRC-32C (Castagnoli), bit by bit: an independent check of the manifest's checksum.
func crc32c(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
}
