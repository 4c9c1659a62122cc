import DapodikTestSupport
import Foundation
import Testing

/// With `--json`, a warning is one line of JSON on standard error: data, written as it is like the
/// JSON of an error, never through the escaping of messages, whose `\u{7F}` is no JSON escape.
@Suite("dapodik-verify warnings in JSON", .timeLimit(.minutes(10)))
struct JSONWarningTests {
    @Test(
        "store check --json on a data directory named with DEL and C1 CSI, whose LOCK is missing, warns in valid JSON")
    func warningStaysJSON() async throws {
        let school = try await CommandFlowTests.School.created()
        // DEL and C1 CSI: JSONEncoder writes both as they are, as it may (it escapes only C0).
        let data = school.scratch.appending("data\u{7F}\u{9B}2J", isDirectory: true)
        try FileManager.default.moveItem(at: school.data, to: data)
        try FileManager.default.removeItem(at: data.appendingPathComponent("store/LOCK"))
        let check = try await ExampleProcess.run(
            "dapodik-verify", ["store", "check", "--json", "--data", data.path], environment: ["DAPODIK_LANG": "en"])
        #expect(check.status == 0, "\(check.standardError)")
        let line = try #require(
            check.standardError.split(separator: "\n").first { $0.contains("store.lockFileMissing") },
            "\(check.standardError.debugDescription)")
        let object = try #require(
            try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: [String: String]],
            "not JSON: \(line.debugDescription)")
        #expect(object["warning"]?["code"] == "store.lockFileMissing", "\(object)")
        let lock = data.appendingPathComponent("store/LOCK").path
        #expect(object["warning"]?["message"]?.contains(lock) == true, "\(object)")
    }
}
