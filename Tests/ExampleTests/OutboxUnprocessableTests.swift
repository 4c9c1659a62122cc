import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// `dapodik-verify outbox drain` names every message it cannot process, in the person's language,
/// in text and JSON, and exits 74: a damaged message never drops out of the operator's view.
@Suite("dapodik-verify outbox drain, unprocessable messages", .timeLimit(.minutes(10)))
struct OutboxUnprocessableTests {
    /// Writes an outbox record whose stored bytes are not a message, due before every other one.
    static func damageOutbox(of school: CommandFlowTests.School) async throws -> UUID {
        let id = UUID()
        let store = try FileRecordStore(directory: school.data.appendingPathComponent("store"))
        defer { store.close() }
        try await store.commit([
            .put(
                RecordKey(collection: "outbox", id: id.uuidString), value: Data("{rusak".utf8),
                indexes: [.nonUnique("outbox.due", "000000000000001|" + id.uuidString)], expecting: .mustNotExist)
        ])
        return id
    }

    @Test(
        "outbox drain lists a damaged message with its id, an unknown recipient and the reason, in Indonesian and English, and exits 74"
    )
    func damagedMessageListed() async throws {
        let school = try await CommandFlowTests.School.created()
        let requested = try await school.run(
            ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        try #require(requested.status == 0, "\(requested.standardError)")
        let id = try await Self.damageOutbox(of: school)

        let indonesian = try await school.run(["outbox", "drain"])
        #expect(indonesian.status == 74, "\(indonesian.standardError)")
        #expect(
            indonesian.standardOutput.contains(
                "Pesan \(id.uuidString) (penerima tidak diketahui): tidak dapat diproses, dicoba lagi pada putaran "
                    + "berikutnya (Rekaman tersimpan outbox/\(id.uuidString) tidak dapat dibaca"),
            "\(indonesian.standardOutput)")
        let english = try await school.run(["outbox", "drain"], lang: "en")
        #expect(english.status == 74, "\(english.standardError)")
        #expect(
            english.standardOutput.contains(
                "Message \(id.uuidString) (recipient unknown): cannot be processed, tried again next round "
                    + "(The stored record outbox/\(id.uuidString) cannot be read"),
            "\(english.standardOutput)")

        let json = try await school.run(["outbox", "drain", "--json"], lang: "en")
        #expect(json.status == 74, "\(json.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let entries = try #require(object["unprocessable"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["id"] as? String == id.uuidString)
        #expect(entries.first?["recipient"] == nil)
        #expect(entries.first?["code"] as? String == "storage")
        #expect(
            (entries.first?["reason"] as? String)?.contains("The stored record outbox/\(id.uuidString) cannot be read")
                == true, "\(json.standardOutput)")
    }
}
