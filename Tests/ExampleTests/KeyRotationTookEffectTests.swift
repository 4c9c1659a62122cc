import DapodikStorage
import DapodikTestSupport
import DapodikVerification
import Foundation
import Testing

@testable import dapodik_verify

/// `key rotate` whose new key file is written but whose next step (recording the new key's check
/// value in the store) fails: the error says the rotation has taken effect, that running it again only
/// adds one more key, and what to do about the store's error. The store's log write fails for real,
/// with `ENOSPC` injected at it (``SystemCallFaults``, armed on this test's own store directory), so the
/// command runs in this process.
@Suite("dapodik-verify key rotate after the rotation took effect", .timeLimit(.minutes(10)))
struct KeyRotationTookEffectTests {
    @Test(
        "a store that cannot record the new key's check value: the message says the new key is in use, that rotating again only adds a key, and the store's words"
    )
    func rotationTookEffect() async throws {
        let school = try await CommandFlowTests.School.created()
        for (lang, words) in [
            ("en", ["The rotation has taken effect", "only adds one more key", "next command that changes data"]),
            (
                "id",
                ["Rotasi sudah berlaku", "hanya menambah satu kunci lagi", "perintah berikutnya yang mengubah data"]
            ),
        ] {
            let resolution = try CommandLineInterface.resolve(
                ["key", "rotate", "--data", school.data.path, "--lang", lang], root: CommandTree.root,
                environment: [:])
            guard case .run(let path, let invocation) = resolution, let action = path.last?.action else {
                Issue.record("key rotate did not resolve to a command to run")
                return
            }
            let before = try KeyFile(at: school.data.appendingPathComponent("secret-keys")).read().generations.count
            let store = school.data.appendingPathComponent("store").path
            // The store's first write is the commit recording the check value: opening it writes nothing.
            SystemCallFaults.arm(directory: store, only: .write, target: 1, action: .fail(errno: ENOSPC))
            var failure: CLIError?
            do { _ = try await action(invocation) } catch { failure = ErrorClassification.classify(error) }
            let tally = SystemCallFaults.disarm(directory: store)
            #expect(tally.hitKind == .write, "\(tally)")
            let error = try #require(failure, "key rotate succeeded although its store could not write")
            let message = error.message.text(in: invocation.language)
            for word in words { #expect(message.contains(word), "\(message)") }
            // The store's own words are in it, and the new key is in the file: the rotation did take effect.
            #expect(message.lowercased().contains(lang == "en" ? "no space left" : "disk penuh"), "\(message)")
            let keys = try KeyFile(at: school.data.appendingPathComponent("secret-keys")).read()
            #expect(keys.generations.count == before + 1)
            #expect(message.contains(keys.current.id), "\(message)")
        }
    }
}
