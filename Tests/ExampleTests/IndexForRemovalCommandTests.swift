import DapodikVerification
import Foundation
import Testing

/// `dapodik-verify store index-for-removal`: records an earlier version wrote get the entry by which
/// they are removed, once.
@Suite("dapodik-verify store index-for-removal")
struct IndexForRemovalCommandTests {
    /// The JSON the command prints.
    struct Report: Decodable {
        let changesRead: Int
        let recordsRead: Int
        let recordsIndexed: Int
        let complete: Bool
    }

    @Test(
        "over a store whose address quotas lack their entries, the command gives them theirs, and a second run reads nothing",
        .timeLimit(.minutes(10)))
    func indexesOnce() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: true)
        let stripped = try await Self.stripQuotaEntries(in: school)
        #expect(stripped > 0)

        let first = try await school.run(["store", "index-for-removal"])
        #expect(first.status == 0, "\(first.standardError)")
        #expect(first.standardOutput.contains("rekaman diberi tanda: \(stripped). Selesai."), "\(first.standardOutput)")
        #expect(try await Self.quotasWithoutEntry(in: school) == 0)

        let again = try await school.run(["store", "index-for-removal", "--json"], lang: "en")
        #expect(again.status == 0, "\(again.standardError)")
        let report = try JSONDecoder().decode(Report.self, from: Data(again.standardOutput.utf8))
        #expect(report.changesRead == 0 && report.recordsIndexed == 0 && report.complete)
    }

    /// The address quotas of `school`'s store, opened directly.
    static func quotas(in school: CommandFlowTests.School) async throws -> (FileRecordStore, [Record]) {
        let store = try FileRecordStore(directory: school.data.appendingPathComponent("store"))
        var keys = Set<RecordKey>()
        for batch in try await store.changes(after: 0, limit: 100_000) {
            for record in batch.puts where record.key.collection == "addressQuota" { keys.insert(record.key) }
        }
        var records: [Record] = []
        for key in keys { if let record = try await store.record(for: key) { records.append(record) } }
        return (store, records)
    }

    /// Writes every address quota again without its `addressQuota.idleFrom` entry, as an earlier
    /// version wrote it.
    /// - Returns: How many there are.
    static func stripQuotaEntries(in school: CommandFlowTests.School) async throws -> Int {
        let (store, records) = try await quotas(in: school)
        defer { store.close() }
        try await store.commit(
            records.map {
                .put(
                    $0.key, value: $0.value, indexes: $0.indexes.filter { $0.name != "addressQuota.idleFrom" },
                    expecting: .version($0.version))
            })
        return records.count
    }

    /// How many address quotas lack their entry.
    static func quotasWithoutEntry(in school: CommandFlowTests.School) async throws -> Int {
        let (store, records) = try await quotas(in: school)
        defer { store.close() }
        return records.filter { !$0.indexes.contains { $0.name == "addressQuota.idleFrom" } }.count
    }
}
