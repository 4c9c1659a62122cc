import DapodikTestSupport
import Foundation
import Testing

/// On a terminal the password is typed with echo off: run the program on a pseudo-terminal (made by
/// util-linux `script`), answer its prompt, and check that the password never comes back on screen.
@Suite("passwords on a terminal")
struct TerminalPasswordTests {
    @Test("the password prompt does not echo what is typed", .timeLimit(.minutes(10)))
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

/// Ctrl-C at the password prompt, on a pseudo-terminal made by Python's `pty` (which, unlike
/// `script` fed from a pipe, delivers Ctrl-C to the foreground process group as a terminal does).
@Suite("passwords on a terminal, interrupted", .requires(.python3))
struct TerminalInterruptTests {
    static let driver = """
        import os, pty, select, sys, time
        program, data = sys.argv[1], sys.argv[2]
        pid, fd = pty.fork()
        if pid == 0:
            command = "trap 'echo interrupted' INT; '%s' ptk list --as siti --data '%s' --lang en; " \\
                "echo status $?; stty -a" % (program, data)
            os.execv("/bin/sh", ["sh", "-c", command])
        seen, deadline = b"", time.time() + 30
        while b"Password for siti: " not in seen and time.time() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                seen += os.read(fd, 4096)
        os.write(fd, b"\\x03")
        while select.select([fd], [], [], 5)[0]:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        sys.stdout.write(seen.decode(errors="replace"))
        """

    @Test(
        "Ctrl-C at the password prompt ends the program by SIGINT and leaves the terminal's echo on",
        .timeLimit(.minutes(10)))
    func interruptRestoresEcho() async throws {
        let school = try await CommandFlowTests.School.make()
        let program = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.driver, program, school.data.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(text.contains("Password for siti: "), "\(text)")
        #expect(text.contains("status 130"), "\(text)")  // ended by SIGINT, as without the handler
        let settings = text.split(whereSeparator: \.isWhitespace).map(String.init)
        #expect(settings.contains("echo") && !settings.contains("-echo"), "\(text)")
    }
}
