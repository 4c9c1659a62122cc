public import Foundation
import Synchronization

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
        let exited = DispatchSemaphore(value: 0)
        let child = try Child(executable, arguments, input: input, environment: environment, in: directory) { _ in
            exited.signal()
        }
        if exited.wait(timeout: .now() + timeout.timeInterval) == .timedOut {
            child.killIfRunning()
            exited.wait()
        }
        return try child.result(limit: timeout)
    }

    /// Runs `executable` as ``run(_:_:input:environment:in:timeout:)`` does, without holding a thread
    /// while it runs (the tasks of the tests share a few).
    /// - Returns: Its exit status and both outputs. A non-zero status is not an error.
    /// - Throws: When it cannot be started, or ``TimedOut`` when it ran past `timeout`.
    public static func run(
        _ executable: String, _ arguments: [String] = [], input: String = "", environment: [String: String]? = nil,
        in directory: URL? = nil, timeout: Duration = .seconds(120)
    ) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            do {
                let child = try Child(executable, arguments, input: input, environment: environment, in: directory) {
                    child in continuation.resume(with: Swift.Result { try child.result(limit: timeout) })
                }
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout.timeInterval) {
                    child.killIfRunning()
                }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// A started child: its standard input, output and error are files of a directory of its own.
    private final class Child: Sendable {
        private let command: [String]
        private let process = Process()
        private let files: TemporaryDirectory
        private let killed = Atomic<Bool>(false)

        /// Starts the child; `onExit` is called once it has ended.
        init(
            _ executable: String, _ arguments: [String], input: String, environment: [String: String]?,
            in directory: URL?, onExit: @escaping @Sendable (Child) -> Void
        ) throws {
            command = [executable] + arguments
            files = try TemporaryDirectory("child")
            try Data(input.utf8).write(to: files.appending("in"))
            for name in ["out", "err"] {
                _ = FileManager.default.createFile(atPath: files.file(name), contents: nil)
            }
            let standardInput = try FileHandle(forReadingFrom: files.appending("in"))
            let standardOutput = try FileHandle(forWritingTo: files.appending("out"))
            let standardError = try FileHandle(forWritingTo: files.appending("err"))
            // The child has its own descriptors once started.
            defer {
                try? standardInput.close()
                try? standardOutput.close()
                try? standardError.close()
            }
            let launcher = executable.contains("/") ? [executable] : ["/usr/bin/env", executable]
            process.executableURL = URL(fileURLWithPath: launcher[0])
            process.arguments = Array(launcher.dropFirst()) + arguments
            if let environment { process.environment = environment }
            if let directory { process.currentDirectoryURL = directory }
            process.standardInput = standardInput
            process.standardOutput = standardOutput
            process.standardError = standardError
            // A cycle (child, process, handler) until ``result(limit:)`` breaks it: the child lives
            // until it has ended and been read, whoever holds it meanwhile.
            process.terminationHandler = { _ in onExit(self) }
            try process.run()
        }

        /// Kills the child (SIGKILL) if it is still running.
        func killIfRunning() {
            guard process.isRunning else { return }
            killed.store(true, ordering: .sequentiallyConsistent)
            kill(process.processIdentifier, SIGKILL)
        }

        /// What the ended child produced.
        /// - Throws: ``TimedOut`` when it was killed at `limit`; an error reading its output files.
        func result(limit: Duration) throws -> Result {
            process.waitUntilExit()
            process.terminationHandler = nil
            let standardError = String(decoding: try Data(contentsOf: files.appending("err")), as: UTF8.self)
            if killed.load(ordering: .sequentiallyConsistent) {
                throw TimedOut(command: command, limit: limit, standardError: standardError)
            }
            return Result(
                status: process.terminationStatus,
                standardOutput: String(decoding: try Data(contentsOf: files.appending("out")), as: UTF8.self),
                standardError: standardError)
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
