import DapodikTestSupport
import Foundation
import Testing

/// A caller's path or argument holding control characters (here LF and ESC, which could start a fake
/// line or drive the terminal) is echoed escaped by every message: errors, the program's own and the
/// library's, and what a command says when it succeeds.
@Suite("dapodik-verify control characters in echoed values", .timeLimit(.minutes(10)))
struct ControlCharacterEchoTests {
    /// A name holding LF and ESC (a CSI that would clear the screen), and how messages show it.
    static let name = "a\nb\u{1B}[2Jc"
    static let shown = #"a\nb\u{1B}[2Jc"#

    /// Whether `text` holds a control character other than the LF that ends each of its lines.
    static func hasRawControl(_ text: String) -> Bool {
        text.split(separator: "\n", omittingEmptySubsequences: false).contains { line in
            line.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
    }

    @Test("a --data path and an unknown command name with LF and ESC are echoed escaped, in one line each")
    func errorsEchoEscaped() async throws {
        let scratch = try TemporaryDirectory("control-echo")
        let data = scratch.appending(Self.name)
        let missing = try await ExampleProcess.run(
            "dapodik-verify", ["--data", data.path, "feed"], environment: ["DAPODIK_LANG": "en"])
        #expect(missing.status == 66, "\(missing.standardError)")
        #expect(missing.standardError.contains(Self.shown), "\(missing.standardError)")
        #expect(!Self.hasRawControl(missing.standardError), "\(missing.standardError.debugDescription)")
        #expect(missing.standardError.filter { $0 == "\n" }.count == 1, "\(missing.standardError.debugDescription)")

        let unknown = try await ExampleProcess.run("dapodik-verify", [Self.name], environment: ["DAPODIK_LANG": "id"])
        #expect(unknown.status == 64, "\(unknown.standardError)")
        #expect(unknown.standardError.contains("Perintah tidak dikenal"), "\(unknown.standardError)")
        #expect(unknown.standardError.contains(Self.shown), "\(unknown.standardError)")
        #expect(!Self.hasRawControl(unknown.standardError), "\(unknown.standardError.debugDescription)")
    }

    @Test("store backup to a path with LF and ESC says where the backup is, escaped")
    func successEchoesEscaped() async throws {
        let school = try await CommandFlowTests.School.created()
        let destination = school.scratch.appending(Self.name)
        let backup = try await school.run(["store", "backup", destination.path], lang: "en")
        #expect(backup.status == 0, "\(backup.standardError)")
        #expect(FileManager.default.fileExists(atPath: destination.path))
        #expect(backup.standardOutput.contains("Backup written to "), "\(backup.standardOutput)")
        #expect(backup.standardOutput.contains(Self.shown), "\(backup.standardOutput)")
        #expect(!Self.hasRawControl(backup.standardOutput), "\(backup.standardOutput.debugDescription)")
        #expect(!Self.hasRawControl(backup.standardError), "\(backup.standardError.debugDescription)")
    }
}
