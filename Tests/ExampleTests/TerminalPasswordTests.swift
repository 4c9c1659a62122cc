import Foundation
import Testing

/// On a terminal the password is typed with echo off: run the program on a pseudo-terminal (made by
/// util-linux `script`), answer its prompt, and check that the password never comes back on screen.
@Suite("passwords on a terminal")
struct TerminalPasswordTests {
    @Test("the password prompt does not echo what is typed", .timeLimit(.minutes(1)))
    func noEcho() async throws {
        let school = try await CommandFlowTests.School.make()
        let program = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        process.arguments = [
            "-qec", "'\(program)' ptk list --as siti --data '\(school.data.path)' --lang en", "/dev/null",
        ]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()

        let screen = output.fileHandleForReading
        var seen = Data()
        // Wait for the prompt (not for a length of time), then type the password and Enter.
        while !String(decoding: seen, as: UTF8.self).contains("Password for siti: ") {
            let chunk = screen.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        try input.fileHandleForWriting.write(contentsOf: Data((CommandFlowTests.operatorPassword + "\r").utf8))
        seen.append(screen.readDataToEndOfFile())
        try input.fileHandleForWriting.close()
        process.waitUntilExit()

        let text = String(decoding: seen, as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("Password for siti: "))
        #expect(text.contains("No PTK accounts yet."))
        #expect(!text.contains(CommandFlowTests.operatorPassword))
    }
}
