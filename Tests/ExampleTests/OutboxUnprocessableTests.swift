import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

/// `dapodik-verify outbox drain` names every message it cannot process, in the person's language,
/// in text and JSON, and exits 74: a damaged message never drops out of the operator's view; 75 when
/// the store was only held by another process.
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

    @Test(
        "outbox drain whose hand-over cannot be recorded only because another process holds the store lists the message as busy and exits 75",
        .requires(.flock))
    func busyStoreExits75() async throws {
        let school = try await CommandFlowTests.School.withPTK(sendingCode: false)
        let outside = school.data.deletingLastPathComponent()
        // EX_TEMPFAIL at the first attempt: the message is due again at most 30 seconds later.
        let tempfail = outside.appendingPathComponent("tempfail-sendmail")
        try Data("#!/bin/sh\ncat > /dev/null\nexit 75\n".utf8).write(to: tempfail)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tempfail.path)
        let requested = try await school.run(
            ["--sendmail", tempfail.path, "ptk", "continue", "--as", "budi"], input: CommandFlowTests.ptkPassword + "\n"
        )
        try #require(requested.status == 0, "\(requested.standardError)")
        try await Task.sleep(for: .seconds(31))

        // A sendmail that accepts the message and, before it returns, has another process take the store's
        // LOCK and keep it (a long compaction elsewhere, as far as the drain can tell): the drain leased the
        // message before, and recording the hand-over after finds the store held, at once with a wait of 0.
        let lock = school.data.appendingPathComponent("store/LOCK").path
        let holderPID = outside.appendingPathComponent("holder.pid")
        let locking = outside.appendingPathComponent("locking-sendmail")
        try Data(
            """
            #!/bin/sh
            cat > /dev/null
            exec 9<>'\(lock)'
            flock --nonblock --exclusive 9 || exit 1
            sleep 600 3<&9 9<&- </dev/null >/dev/null 2>&1 &
            echo $! > '\(holderPID.path)'
            exit 0

            """.utf8
        ).write(to: locking)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locking.path)
        // The process holding LOCK is ended however the drain ends, a failure to run it included.
        func lockHolder() -> pid_t? {
            (try? String(contentsOf: holderPID, encoding: .utf8)).flatMap {
                pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        defer { if let holder = lockHolder() { kill(holder, SIGKILL) } }
        let drained = try await ExampleProcess.run(
            "dapodik-verify", ["--sendmail", locking.path, "outbox", "drain", "--json", "--data", school.data.path],
            environment: ["DAPODIK_LANG": "en", "DAPODIK_LOCK_WAIT": "0"])
        let holder = lockHolder()
        #expect(holder != nil, "the sendmail stand-in did not take the lock: \(drained.standardError)")
        #expect(drained.status == 75, "\(drained.standardOutput) \(drained.standardError)")
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(drained.standardOutput.utf8)) as? [String: Any],
            "\(drained.standardOutput) \(drained.standardError)")
        let entries = try #require(object["unprocessable"] as? [[String: Any]])
        #expect(entries.count == 1, "\(entries)")
        #expect(entries.first?["code"] as? String == "busy", "\(entries)")
    }
}
