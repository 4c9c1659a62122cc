internal import CDapodikSystemCalls
internal import DapodikLocking
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
    /// The task was cancelled before the child had all of its input, and the child was killed.
    case cancelled
    /// It could not be started at all.
    case launchFailed(reason: String)
}

/// Runs a program with bytes on its standard input, collecting its output, within a time limit.
///
/// The child is started with `posix_spawn` in a process group of its own, with only its three
/// standard descriptors (nothing else this process has open), default signal handling, and a
/// reduced environment (``passedEnvironment``: no store, database or SMTP password travels to it).
/// One thread of ours feeds its input and drains its two outputs with `poll(2)`, so a chatty child
/// cannot block on a full pipe while we wait (the classic pipe deadlock), and another reaps it with
/// `waitpid(2)`. The exit of the child itself decides: a background process it leaves behind (a
/// sendmail that queues the message and delivers it later) may keep a pipe open, but is not waited
/// for beyond ``stragglerGrace``.
///
/// Every wait is bounded: past the timeout the group gets `SIGTERM`, ``terminationGrace`` later
/// `SIGKILL`. A cancelled task kills the child only while it has not yet been given all of its
/// input: once it has, the send is left to finish within its timeout, because a child killed then
/// may already have passed the message on (the dispatcher stops *between* two sends).
enum ChildProcessRunner {
    /// Output kept per stream; more is dropped from the front, so the last lines survive.
    static let outputLimit = 64 * 1024
    /// How long a child that outlived its timeout gets between `SIGTERM` and `SIGKILL`.
    static let terminationGrace: Duration = .seconds(2)
    /// How long output is still read after the child exited (a process it left behind may hold
    /// the pipes open for as long as it lives).
    static let stragglerGrace: Duration = .milliseconds(250)
    /// How long to wait for a killed child to be reaped before giving up on it.
    static let reapGrace: Duration = .seconds(5)
    /// The environment variables a child gets, when this process has them; every other one (a
    /// `PGPASSWORD`, a `DAPODIK_SMTP_PASSWORD`) stays here.
    static let passedEnvironment: Set<String> = [
        "PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ", "TMPDIR",
        "XDG_CONFIG_HOME",
    ]

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
        guard let pipes = ChildPipes() else {
            return .launchFailed(
                reason: "\(executable) could not be started: no pipes (\(String(cString: strerror(errno))))")
        }
        defer { pipes.closeAll() }
        guard control.register(wake: pipes.wakeWrite) else {
            _ = systemClose(pipes.wakeWrite)  // Not registered: `unregister()` would not close it.
            return .cancelled
        }
        defer { control.unregister() }
        let pid: pid_t
        switch spawn(executable: executable, arguments: arguments, pipes: pipes) {
        case .success(let spawned): pid = spawned
        case .failure(let failure):
            return .launchFailed(
                reason: "\(executable) could not be started: \(String(cString: strerror(failure.code)))")
        }
        pipes.closeChildEnds()
        let reaper = Reaper(pid: pid, control: control)
        var session = ChildSession(pid: pid, pipes: pipes, input: input, timeout: timeout)
        session.run(reaper: reaper, control: control)

        let out = session.stdout.bytes
        let err = session.stderr.bytes
        if session.killedForCancellation { return .cancelled }
        guard !session.timedOut, let status = reaper.status else { return .timedOut(stdout: out, stderr: err) }
        // The layout of a wait status (POSIX `WIFEXITED`, `WEXITSTATUS`, `WTERMSIG`), which Swift does
        // not import as macros.
        let signal = status & 0x7F
        if signal == 0 { return .exited(status: (status >> 8) & 0xFF, stdout: out, stderr: err) }
        return .signaled(signal: signal, stdout: out, stderr: err)
    }

    /// Starts the child in its own process group with the pipes as its standard descriptors.
    /// - Returns: Its pid, or the `errno` of the failure.
    private static func spawn(
        executable: String, arguments: [String], pipes: ChildPipes
    ) -> Result<pid_t, SpawnFailure> {
        #if canImport(Darwin)
            var actions: posix_spawn_file_actions_t = nil  // An opaque pointer there, a struct in glibc.
        #else
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.stdinRead, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.stdoutWrite, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.stderrWrite, 2)
        // Descriptors opened elsewhere without O_CLOEXEC (by Foundation, by another library) must
        // not reach the child, nor anything it leaves running.
        _ = cdapodik_spawn_close_from(&actions, 3)

        #if canImport(Darwin)
            var attributes: posix_spawnattr_t = nil
        #else
            var attributes = posix_spawnattr_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var flags = Int32(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        #if canImport(Darwin)
            flags |= Int32(POSIX_SPAWN_CLOEXEC_DEFAULT)
        #endif
        posix_spawnattr_setflags(&attributes, Int16(flags))
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        // A server that ignores SIGPIPE would pass that on through exec: the child gets the default.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let environment = ProcessInfo.processInfo.environment.filter { passedEnvironment.contains($0.key) }
            .map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer { for pointer in argv + envp { free(pointer) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        return result == 0 ? .success(pid) : .failure(SpawnFailure(code: result))
    }
}

/// The `errno` of a failed `posix_spawn`.
private struct SpawnFailure: Error {
    let code: Int32
}

/// The pipes between this process and the child, and the wake-up pipe of the I/O loop. Every
/// descriptor is `O_CLOEXEC`; the child gets its ends through `dup2`, which clears the flag.
private final class ChildPipes {
    let stdinRead: Int32, stdinWrite: Int32
    let stdoutRead: Int32, stdoutWrite: Int32
    let stderrRead: Int32, stderrWrite: Int32
    let wakeRead: Int32, wakeWrite: Int32
    private var open: Set<Int32>

    init?() {
        var descriptors: [Int32] = []
        for _ in 0..<4 {
            var pair: [Int32] = [-1, -1]
            guard cdapodik_pipe_cloexec(&pair) == 0 else {
                for descriptor in descriptors { _ = systemClose(descriptor) }
                return nil
            }
            descriptors += pair
        }
        (stdinRead, stdinWrite) = (descriptors[0], descriptors[1])
        (stdoutRead, stdoutWrite) = (descriptors[2], descriptors[3])
        (stderrRead, stderrWrite) = (descriptors[4], descriptors[5])
        (wakeRead, wakeWrite) = (descriptors[6], descriptors[7])
        open = Set(descriptors)
        for descriptor in [stdinWrite, stdoutRead, stderrRead, wakeRead, wakeWrite] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
    }

    /// Closes the ends the child got, so that its exit (and its children's) ends our reads.
    func closeChildEnds() {
        for descriptor in [stdinRead, stdoutWrite, stderrWrite] { close(descriptor) }
    }

    /// Closes `descriptor` once.
    func close(_ descriptor: Int32) {
        if open.remove(descriptor) != nil { _ = systemClose(descriptor) }
    }

    func isOpen(_ descriptor: Int32) -> Bool { open.contains(descriptor) }

    /// Closes everything still open but the wake-up pipe's write end, which ``ChildControl`` closes.
    func closeAll() {
        for descriptor in open where descriptor != wakeWrite { _ = systemClose(descriptor) }
        open = open.filter { $0 == wakeWrite }
    }
}

private func systemClose(_ descriptor: Int32) -> Int32 { close(descriptor) }

/// One run of the child: feeding its input, draining its output, and the deadlines.
private struct ChildSession {
    /// What the loop is waiting for, and until when.
    enum Phase {
        case running(until: ContinuousClock.Instant?)
        case terminating(until: ContinuousClock.Instant)
        case killed(until: ContinuousClock.Instant)
        case exited(until: ContinuousClock.Instant)
    }

    let pid: pid_t
    let pipes: ChildPipes
    let input: [UInt8]
    var written = 0
    let stdout = OutputBuffer()
    let stderr = OutputBuffer()
    var phase: Phase
    var timedOut = false
    var killedForCancellation = false
    let clock = ContinuousClock()

    init(pid: pid_t, pipes: ChildPipes, input: [UInt8], timeout: Duration) {
        self.pid = pid
        self.pipes = pipes
        self.input = input
        // A timeout past a century is "practically none": no deadline, and no overflow computing one.
        let deadline = timeout < .seconds(100 * 365 * 86_400) ? ContinuousClock.now + timeout : nil
        phase = .running(until: deadline)
        if input.isEmpty { pipes.close(pipes.stdinWrite) }
    }

    var inputComplete: Bool { written == input.count }

    mutating func run(reaper: Reaper, control: ChildControl) {
        // A child that exits without reading its input makes our write fail with EPIPE, and raise
        // SIGPIPE: blocked on this thread only (pending, it is discarded when the thread ends), so
        // the process-wide disposition is left alone, as a library should.
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        while true {
            if reaper.status != nil {
                switch phase {
                case .running, .terminating: enterExited()
                case .killed: return
                case .exited: break
                }
            }
            if case .exited = phase, !pipes.isOpen(pipes.stdoutRead), !pipes.isOpen(pipes.stderrRead) { return }
            if control.isCancelled, !inputComplete, case .running = phase {
                killedForCancellation = true
                signalGroup(SIGKILL)
                phase = .killed(until: clock.now + ChildProcessRunner.reapGrace)
            }
            if let deadline, clock.now >= deadline {
                guard advancePastDeadline() else { return }
                continue
            }
            pollOnce()
        }
    }

    /// When the current phase ends (`nil`: a child without a timeout, still running).
    var deadline: ContinuousClock.Instant? {
        switch phase {
        case .running(let until): return until
        case .terminating(let until), .killed(let until), .exited(let until): return until
        }
    }

    mutating func enterExited() {
        pipes.close(pipes.stdinWrite)
        phase = .exited(until: clock.now + ChildProcessRunner.stragglerGrace)
    }

    /// Moves on when a deadline has passed: terminate, kill, or stop waiting.
    /// - Returns: Whether to keep waiting.
    mutating func advancePastDeadline() -> Bool {
        switch phase {
        case .running:
            timedOut = true
            signalGroup(SIGTERM)
            phase = .terminating(until: clock.now + ChildProcessRunner.terminationGrace)
            return true
        case .terminating:
            signalGroup(SIGKILL)
            phase = .killed(until: clock.now + ChildProcessRunner.reapGrace)
            return true
        case .killed, .exited:
            return false
        }
    }

    /// Signals the child's process group (it and whatever it started).
    func signalGroup(_ signal: Int32) {
        if kill(-pid, signal) != 0 { _ = kill(pid, signal) }
    }

    /// Waits for the next event (input accepted, output, the child's exit, a cancellation) and
    /// handles it.
    mutating func pollOnce() {
        var descriptors = [pollfd(fd: pipes.wakeRead, events: Int16(POLLIN), revents: 0)]
        if pipes.isOpen(pipes.stdinWrite) {
            descriptors.append(pollfd(fd: pipes.stdinWrite, events: Int16(POLLOUT), revents: 0))
        }
        for descriptor in [pipes.stdoutRead, pipes.stderrRead] where pipes.isOpen(descriptor) {
            descriptors.append(pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0))
        }
        var milliseconds: Int32 = 60_000
        if let deadline {
            let remaining = max(.zero, deadline - clock.now)
            milliseconds = Int32(
                min(
                    60_000,
                    remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000 + 1))
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
        guard ready > 0 else { return }
        for entry in descriptors where entry.revents != 0 {
            switch entry.fd {
            case pipes.wakeRead: drainWake()
            case pipes.stdinWrite: feedInput(failed: entry.revents & Int16(POLLERR | POLLHUP) != 0)
            case pipes.stdoutRead: readOutput(from: entry.fd, into: stdout)
            default: readOutput(from: entry.fd, into: stderr)
            }
        }
    }

    func drainWake() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(pipes.wakeRead, $0.baseAddress, $0.count) }) > 0 {}
    }

    mutating func feedInput(failed: Bool) {
        while !failed, written < input.count {
            let count = input.withUnsafeBytes { write(pipes.stdinWrite, $0.baseAddress! + written, $0.count - written) }
            if count > 0 {
                written += count
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                break  // EPIPE: the child closed its input; its exit status says what that means.
            }
        }
        pipes.close(pipes.stdinWrite)
    }

    func readOutput(from descriptor: Int32, into buffer: OutputBuffer) {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(chunk[0..<count])
            } else if count < 0, errno == EINTR {
                continue
            } else if count < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                return
            } else {
                pipes.close(descriptor)  // End of file (every writer is gone), or a read error.
                return
            }
        }
    }
}

/// Reaps the child on a thread of its own and wakes the I/O loop when it has.
private final class Reaper: Sendable {
    private let exitStatus = LockedValue<Int32?>(nil)

    init(pid: pid_t, control: ChildControl) {
        Thread { [exitStatus] in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else {
                    status = 0x7F  // Reaped elsewhere (ECHILD): report it as ended by an unknown signal.
                    break
                }
            }
            exitStatus.withLock { $0 = status }
            control.wake()
        }.start()
    }

    /// The child's wait status, once it has been reaped.
    var status: Int32? { exitStatus.withLock { $0 } }
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

/// What a cancelled task and the reaper tell the I/O loop, through its wake-up pipe.
private final class ChildControl: Sendable {
    private struct State {
        var wake: Int32?
        var cancelled = false
    }
    private let state = LockedValue(State())

    /// Records the wake-up pipe; `false`, recording nothing, if the task was cancelled before the
    /// child started.
    func register(wake: Int32) -> Bool {
        state.withLock { state in
            guard !state.cancelled else { return false }
            state.wake = wake
            return true
        }
    }

    /// Closes the wake-up pipe's write end: no one writes to it after this.
    func unregister() {
        state.withLock { state in
            if let wake = state.wake { _ = systemClose(wake) }
            state.wake = nil
        }
    }

    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func cancel() {
        state.withLock { $0.cancelled = true }
        wake()
    }

    /// Wakes the I/O loop, if it still runs.
    func wake() {
        state.withLock { state in
            guard let wake = state.wake else { return }
            var byte: UInt8 = 1
            _ = write(wake, &byte, 1)
        }
    }
}
