internal import DapodikLocking
internal import Dispatch
internal import Foundation

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// How a child process ended.
enum ChildProcessOutcome: Sendable {
    /// It ran and exited with a status.
    case exited(status: Int32, stdout: [UInt8], stderr: [UInt8])
    /// A signal ended it (not ours).
    case signaled(signal: Int32, stdout: [UInt8], stderr: [UInt8])
    /// It ran past the time limit and was killed.
    case timedOut(stdout: [UInt8], stderr: [UInt8])
    /// The task was cancelled and the child was killed.
    case cancelled
    /// It could not be started at all.
    case launchFailed(reason: String)
}

/// Runs a program with bytes on its standard input, collecting its output, within a time limit.
///
/// Three threads do the blocking work, so none can hold up another: one writes standard input
/// and then closes it, two drain standard output and standard error. Draining both at once is what
/// keeps a chatty child from blocking on a full pipe while we wait for it (the classic pipe
/// deadlock). The writer blocks `SIGPIPE` in its own thread, so a child that exits without reading
/// makes `write(2)` fail with `EPIPE` instead of killing this process; the process-wide signal
/// disposition is left alone, as a library should.
enum ChildProcessRunner {
    /// Output kept per stream; more is dropped from the front, so the last lines survive.
    static let outputLimit = 64 * 1024

    static func run(
        executable: String, arguments: [String], input: [UInt8], timeout: Duration
    ) async -> ChildProcessOutcome {
        let control = ChildControl()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ChildProcessOutcome, Never>) in
                let thread = Thread {
                    continuation.resume(
                        returning: runBlocking(
                            executable: executable, arguments: arguments, input: input, timeout: timeout,
                            control: control))
                }
                thread.start()
            }
        } onCancel: {
            control.cancel()
        }
    }

    private static func runBlocking(
        executable: String, arguments: [String], input: [UInt8], timeout: Duration, control: ChildControl
    ) -> ChildProcessOutcome {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            let exists = FileManager.default.fileExists(atPath: executable)
            return .launchFailed(reason: exists ? "\(executable) is not executable" : "\(executable) does not exist")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in
            control.finished()
            exited.signal()
        }
        do {
            try process.run()
        } catch {
            return .launchFailed(reason: "\(executable) could not be started: \(error.localizedDescription)")
        }
        guard control.started(pid: process.processIdentifier) else {
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
            return .cancelled
        }

        let done = DispatchGroup()
        let outBuffer = OutputBuffer()
        let errBuffer = OutputBuffer()
        spawn(done) { drain(stdout.fileHandleForReading.fileDescriptor, into: outBuffer) }
        spawn(done) { drain(stderr.fileHandleForReading.fileDescriptor, into: errBuffer) }
        let writer = DispatchGroup()
        spawn(writer) {
            writeAll(input, to: stdin.fileHandleForWriting.fileDescriptor)
            try? stdin.fileHandleForWriting.close()
        }

        var timedOut = false
        if exited.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .timedOut {
            timedOut = true
            process.terminate()
            if exited.wait(timeout: .now() + .seconds(2)) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
        }
        // The child is gone. Its output pipes reach end-of-file unless a grandchild kept them open;
        // do not wait for such a straggler for long.
        _ = writer.wait(timeout: .now() + .seconds(5))
        _ = done.wait(timeout: .now() + .seconds(5))
        let out = outBuffer.bytes
        let err = errBuffer.bytes
        if timedOut { return .timedOut(stdout: out, stderr: err) }
        if control.wasCancelled { return .cancelled }
        switch process.terminationReason {
        case .exit: return .exited(status: process.terminationStatus, stdout: out, stderr: err)
        case .uncaughtSignal: return .signaled(signal: process.terminationStatus, stdout: out, stderr: err)
        @unknown default: return .exited(status: process.terminationStatus, stdout: out, stderr: err)
        }
    }

    private static func spawn(_ group: DispatchGroup, _ work: @escaping @Sendable () -> Void) {
        group.enter()
        Thread {
            work()
            group.leave()
        }.start()
    }

    private static func drain(_ descriptor: Int32, into buffer: OutputBuffer) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(chunk[0..<count])
            } else if count == 0 || errno != EINTR {
                return
            }
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        // EPIPE: the child closed its input without reading everything. Not an error in itself:
        // its exit status says what happened. The SIGPIPE this raised is pending on this thread
        // only and is discarded when the thread ends.
        _ = writeFully(bytes, to: descriptor)
    }
}

/// The bytes one stream produced, the last ``ChildProcessRunner/outputLimit`` of them.
private final class OutputBuffer: Sendable {
    private let storage = LockedValue<[UInt8]>([])

    func append(_ chunk: ArraySlice<UInt8>) {
        storage.withLock { bytes in
            bytes += chunk
            if bytes.count > ChildProcessRunner.outputLimit {
                bytes.removeFirst(bytes.count - ChildProcessRunner.outputLimit)
            }
        }
    }

    var bytes: [UInt8] { storage.withLock { $0 } }
}

/// Lets a cancelled task kill the child it started.
private final class ChildControl: Sendable {
    private struct State {
        var pid: Int32?
        var cancelled = false
        var finished = false
    }
    private let state = LockedValue(State())

    /// Records the child; `false` if the task was cancelled before it started.
    func started(pid: Int32) -> Bool {
        state.withLock { state in
            state.pid = pid
            return !state.cancelled
        }
    }

    func finished() { state.withLock { $0.finished = true } }

    var wasCancelled: Bool { state.withLock { $0.cancelled } }

    func cancel() {
        state.withLock { state in
            state.cancelled = true
            if let pid = state.pid, !state.finished { kill(pid, SIGKILL) }
        }
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
