public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A Python test server (a script of a test target's `Python/` folder) running for one test.
///
/// The script listens on 127.0.0.1 only, at a port of its choosing, prints `ready PORT` once it
/// listens, and ends when its standard input closes. The test reads that line (it does not sleep)
/// and ``stop()`` closes the input, so the server never outlives the test, even when the test process
/// crashes; a server still running after that is killed.
public final class PythonServer: Sendable {
    /// The address every test server listens on.
    public static let host = "127.0.0.1"

    /// The port it listens on.
    public let port: Int
    private let process: Process
    private let input: Pipe
    private let exited = DispatchSemaphore(value: 0)
    private let log: TemporaryDirectory

    /// A server that did not say it was ready.
    public struct StartFailed: Error, CustomStringConvertible {
        /// What went wrong, and what the server wrote to its standard error.
        public let description: String
    }

    /// Starts `script` with `arguments` under `python3` and waits for its `ready PORT` line.
    /// - Parameters:
    ///   - script: The Python script.
    ///   - arguments: Its arguments.
    ///   - startTimeout: How long it may take to start listening.
    /// - Throws: ``StartFailed`` when it ended, or printed something else, or said nothing within
    ///   `startTimeout` (it is then stopped); an error of `Process.run()` when it could not start.
    public init(script: URL, arguments: [String], startTimeout: Duration = .seconds(60)) throws {
        log = try TemporaryDirectory("python-server")
        process = Process()
        input = Pipe()
        let output = Pipe()
        _ = FileManager.default.createFile(atPath: log.file("stderr"), contents: nil)
        let standardError = try FileHandle(forWritingTo: log.appending("stderr"))
        defer { try? standardError.close() }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        process.standardInput = input
        process.standardOutput = output
        process.standardError = standardError
        process.terminationHandler = { [exited] _ in exited.signal() }
        try process.run()

        let line = Self.readLine(from: output.fileHandleForReading.fileDescriptor, within: startTimeout)
        let words = line?.split(separator: " ") ?? []
        guard words.count == 2, words[0] == "ready", let port = Int(words[1]) else {
            port = 0
            stop()
            let said = line.map { "it printed \"\($0)\"" } ?? "it said nothing within \(startTimeout)"
            let errors = (try? String(contentsOf: log.appending("stderr"), encoding: .utf8)) ?? ""
            throw StartFailed(description: "\(script.lastPathComponent) did not start: \(said); stderr:\n\(errors)")
        }
        self.port = port
    }

    /// Closes the server's standard input and waits for it to end; kills it (SIGKILL) when it is
    /// still running ten seconds later. Calling it again does nothing.
    public func stop() {
        try? input.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + 10) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        process.waitUntilExit()
        exited.signal()  // for the next call
    }

    deinit { stop() }

    /// Runs `script` with `arguments` under `python3` to completion (a helper such as a certificate
    /// maker, not a server).
    /// - Throws: ``StartFailed`` when it ends with a non-zero status, ``ChildProcess/TimedOut`` when
    ///   it runs past `timeout`.
    public static func run(script: URL, arguments: [String], timeout: Duration = .seconds(120)) throws {
        let result = try ChildProcess.run("python3", [script.path] + arguments, timeout: timeout)
        guard result.status == 0 else {
            throw StartFailed(
                description: "\(script.lastPathComponent) failed (\(result.status)):\n\(result.standardError)")
        }
    }

    /// The first line read from `descriptor` (without its line end), or `nil` at its end or when no
    /// line came within `limit`.
    private static func readLine(from descriptor: Int32, within limit: Duration) -> String? {
        let deadline = ContinuousClock.now + limit
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return nil }
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left.timeInterval * 1000, 60_000).rounded(.up))
            let ready = poll(&request, 1, milliseconds)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0, read(descriptor, &byte, 1) == 1 else {
                if ready == 0 { continue }
                return nil
            }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }
}
