import Foundation
import Testing

/// `dapodik-verify store check`: an intact store's report, a damaged value named with its repair,
/// and the refusal with `--store`.
@Suite("dapodik-verify store check")
struct StoreCheckCommandTests {
    typealias School = CommandFlowTests.School

    /// The JSON the command prints for an intact store.
    struct Report: Decodable {
        let intact: Bool
        let generation: UInt64
        let lastSequence: UInt64
        let snapshotValues: Int
        let logCommits: UInt64
        let bytesRead: UInt64
    }

    @Test("an intact store: exit 0, what was read, in either language and as JSON", .timeLimit(.minutes(10)))
    func intactStore() async throws {
        let school = try await School.withPTK(sendingCode: false)
        let compacted = try await school.run(["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.standardError)")
        let feed = try await school.run(["feed", "--json"])
        #expect(feed.status == 0, "\(feed.standardError)")

        let indonesian = try await school.run(["store", "check"])
        #expect(indonesian.status == 0, "\(indonesian.standardError)")
        #expect(indonesian.standardOutput.contains("Penyimpanan utuh: generasi 2"), "\(indonesian.standardOutput)")
        #expect(indonesian.standardOutput.contains("cocok dengan checksum-nya"))
        let english = try await school.run(["store", "check"], lang: "en")
        #expect(english.standardOutput.contains("The store is intact: generation 2"), "\(english.standardOutput)")
        #expect(!english.standardOutput.contains("Penyimpanan"))

        let json = try await school.run(["store", "check", "--json"])
        #expect(json.status == 0, "\(json.standardError)")
        let report = try JSONDecoder().decode(Report.self, from: Data(json.standardOutput.utf8))
        #expect(report.intact && report.generation == 2)
        #expect(report.snapshotValues > 0 && report.bytesRead > 0)
        #expect(report.lastSequence >= UInt64(report.logCommits))
    }

    @Test(
        "a damaged snapshot value, which opening does not read: 74, the file and offset, restore a backup; nothing changed",
        .timeLimit(.minutes(10)))
    func damagedSnapshotValue() async throws {
        let school = try await School.withPTK(sendingCode: false)
        let compacted = try await school.run(["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.standardError)")
        let store = school.data.appendingPathComponent("store")
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: store.path).first { $0.hasPrefix("snapshot-") })
        let snapshot = store.appendingPathComponent(name)
        var bytes = try Data(contentsOf: snapshot)
        // The PTK's name sits only in the account's value, which opening does not read.
        let value = try #require(bytes.range(of: Data("Budi Santoso".utf8)))
        bytes[value.lowerBound] ^= 0x01
        try bytes.write(to: snapshot)
        let damaged = try StoreCommandTests.listing(store)

        let indonesian = try await school.run(["store", "check"])
        #expect(indonesian.status == 74, "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains(name), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("checksum nilai tidak cocok"), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("Pulihkan dari cadangan"), "\(indonesian.standardError)")
        #expect(indonesian.standardOutput.isEmpty)
        let english = try await school.run(["store", "check", "--json"], lang: "en")
        #expect(english.status == 74)
        #expect(english.standardError.contains("\"code\" : \"store.corrupted\""), "\(english.standardError)")
        #expect(english.standardError.contains("Restore from a backup"), "\(english.standardError)")
        #expect(try StoreCommandTests.listing(store) == damaged)
    }

    @Test(
        "with --store postgres://…, check refuses (64) before any connection, naming pg_amcheck",
        .timeLimit(.minutes(10)))
    func refusedWithPostgres() async throws {
        let school = try await School.make()
        let checked = try await school.run(
            ["store", "check", "--store", StoreCommandTests.unreachablePostgres], lang: "en")
        #expect(checked.status == 64, "\(checked.standardError)")
        #expect(checked.standardError.contains("works only on the file store"), "\(checked.standardError)")
        #expect(checked.standardError.contains("pg_amcheck"))
    }
}
