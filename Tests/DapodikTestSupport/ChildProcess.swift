public import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a program to completion, or kills it at a time limit, and returns its status and output.
///
/// Its standard input is read from a file and its standard output and error are written to files,
/// so no pipe can fill up and block the child or the test (`/work/shared/notes/thread-sanitizer.md`,
/// point 4), and a child that exits before reading its input raises no SIGPIPE.
public enum ChildProcess {
    /// What a finished run produced.
    public struct Result: Sendable {
        /// The exit status (or the number of the signal that ended it).
        public let status: Int32
        /// Everything it wrote to its standard output.
        public let standardOutput: String
        /// Everything it wrote to its standard error.
        public let standardError: String
    }

    /// A child that was still running at its time limit; it has been killed (SIGKILL).
    public struct TimedOut: Error, CustomStringConvertible {
        /// The command line that was run.
        public let command: [String]
        /// The time limit.
        public let limit: Duration
        /// What it had written to its standard error until then.
        public let standardError: String

        /// Says what ran too long and what it last said.
        public var description: String {
            "\(command.joined(separator: " ")) ran longer than \(limit) and was killed; standard error:\n"
                + standardError
        }
    }

    /// Runs `executable` with `arguments` and waits for it to end.
    /// - Parameters:
    ///   - executable: The program: a path, or a name looked up on `PATH` (through `/usr/bin/env`).
    ///   - arguments: Its arguments.
    ///   - input: What it reads on its standard input; empty by default.
    ///   - environment: Its whole environment; this process's by default.
    ///   - directory: Its working directory; this process's by default.
    ///   - timeout: How long it may run before it is killed.
    /// - Returns: Its exit status and both outputs. A non-zero status is not an error.
    /// - Throws: When it cannot be started, or ``TimedOut`` when it ran past `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        in directory: URL? = nil, timeout: Duration = .seconds(120)
    ) throws -> Result {
        let scratch = try TemporaryDirectory("child")
        let inputURL = scratch.appending("in")
        let outputURL = scratch.appending("out")
        let errorURL = scratch.appending("err")
        try Data(input.utf8).write(to: inputURL)
        for url in [outputURL, errorURL] {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        }
        let standardInput = try FileHandle(forReadingFrom: inputURL)
        let standardOutput = try FileHandle(forWritingTo: outputURL)
        let standardError = try FileHandle(forWritingTo: errorURL)
        defer {
            try? standardInput.close()
            try? standardOutput.close()
            try? standardError.close()
        }

        let process = Process()
        let command = executable.contains("/") ? [executable] : ["/usr/bin/env", executable]
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst()) + arguments
        if let environment { process.environment = environment }
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = standardInput
        process.standardOutput = standardOutput
        process.standardError = standardError
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()

        if exited.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw TimedOut(
                command: [executable] + arguments, limit: timeout,
                standardError: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
        }
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            standardOutput: String(decoding: try Data(contentsOf: outputURL), as: UTF8.self),
            standardError: String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    /// Runs `executable` as ``run(_:_:input:environment:in:timeout:)`` does, waiting on a thread of its
    /// own, so the caller's task does not hold a thread of the shared pool meanwhile.
    /// - Returns: Its exit status and both outputs. A non-zero status is not an error.
    /// - Throws: When it cannot be started, or ``TimedOut`` when it ran past `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        in directory: URL? = nil, timeout: Duration = .seconds(120)
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Swift.Result {
                        try run(
                            executable, arguments, input: input, environment: environment, in: directory,
                            timeout: timeout) as Result
                    })
            }
        }
    }
}

extension Duration {
    /// The duration in seconds, as Dispatch and Foundation count time.
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
