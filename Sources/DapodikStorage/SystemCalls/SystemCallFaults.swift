import DapodikLocking
import Synchronization

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// I/O fault injection for the file store's tests, the way SQLite tests its I/O errors: the N-th
/// system call ``SystemCalls`` makes on a path inside one directory fails with a chosen `errno`, or
/// the process kills itself with `SIGKILL` right after it. Only calls on paths inside the armed
/// directory count, and each directory has its own plan, so tests of other stores running at the
/// same time in the process are unaffected.
///
/// Disarmed (always, outside tests), each call costs one atomic load.
package enum SystemCallFaults {
    /// The kinds of system call that count.
    package enum Kind: String, Sendable, CaseIterable {
        case open, read, write, sync, rename, unlink, openDirectory, syncDirectory, truncate, lock, makeDirectory
        case listDirectory, readDirectory, syncData, map
    }

    /// What happens at the chosen call.
    package enum Action: Sendable, Equatable {
        /// The call is not made; it fails with this `errno`.
        case fail(errno: Int32)
        /// The call is made, then the process kills itself with `SIGKILL` (a crash at that instant).
        case crashAfter
    }

    /// What an armed injector saw.
    package struct Tally: Sendable, Equatable {
        /// How many calls counted.
        package var calls = 0
        /// The kind of the call the action hit, if it was reached.
        package var hitKind: Kind?
        /// The path of the call the action hit, if it was reached.
        package var hitPath: String?
        /// How many calls of each kind were made on paths inside the directory, whichever kinds count.
        package var seen: [Kind: Int] = [:]
        /// The paths inside the directory opened for writing (`O_WRONLY`, `O_RDWR`, `O_CREAT`,
        /// `O_TRUNC` or `O_APPEND`), in order, whichever kinds count.
        package var writableOpens: [String] = []
    }

    private struct Plan {
        var directory: String
        var kind: Kind?
        var target: Int
        var action: Action
        var tally = Tally()
    }

    private static let armed = Atomic<Bool>(false)
    /// The armed plans by directory (with its trailing `/`): tests of different directories may run
    /// at the same time in one process, each with its own plan, as the suites of one test run do.
    private static let plans = LockedValue<[String: Plan]>([:])

    /// Makes the `target`-th counted call (from 1) on a path inside `directory` take `action`,
    /// replacing what was armed for that directory; plans of other directories stay.
    /// - Parameters:
    ///   - directory: Only calls on paths inside it (or on it) count.
    ///   - kind: Only calls of this kind count; every kind when `nil`.
    ///   - target: Which counted call takes the action, from 1.
    ///   - action: Fail the call, or crash after it.
    package static func arm(directory: String, only kind: Kind? = nil, target: Int, action: Action) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        plans.withLock { plans in
            plans[prefix] = Plan(directory: prefix, kind: kind, target: target, action: action)
            armed.store(true, ordering: .releasing)
        }
    }

    /// Watches the calls on paths inside `directory` (``Tally/seen``, ``Tally/writableOpens``) without
    /// failing any, until ``disarm(directory:)``.
    /// - Parameter directory: Only calls on paths inside it (or on it) are watched.
    package static func observe(directory: String) {
        arm(directory: directory, target: 0, action: .fail(errno: 0))
    }

    /// Stops injecting into `directory`.
    /// - Parameter directory: The directory armed with ``arm(directory:only:target:action:)``.
    /// - Returns: What the injector saw there since.
    @discardableResult
    package static func disarm(directory: String) -> Tally {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return plans.withLock { plans in
            let tally = plans.removeValue(forKey: prefix)?.tally ?? Tally()
            armed.store(!plans.isEmpty, ordering: .releasing)
            return tally
        }
    }

    /// Counts a call and says what to do with it: for the store's own wrappers (``SystemCalls``), and
    /// for the package's other writers of files (`AtomicFile`), so one injector sweeps them all.
    /// - Parameter opensForWriting: Whether the call opens a file for writing (``Tally/writableOpens``).
    package static func next(_ kind: Kind, _ path: String, opensForWriting: Bool = false) -> Action? {
        guard armed.load(ordering: .acquiring) else { return nil }
        return plans.withLock { plans -> Action? in
            // The innermost armed directory holding the path.
            let inside = plans.keys.filter { path.hasPrefix($0) || path + "/" == $0 }
            guard let prefix = inside.max(by: { $0.count < $1.count }), var current = plans[prefix] else {
                return nil
            }
            current.tally.seen[kind, default: 0] += 1
            if opensForWriting { current.tally.writableOpens.append(path) }
            guard current.kind == nil || current.kind == kind else {
                plans[prefix] = current
                return nil
            }
            current.tally.calls += 1
            let reached = current.tally.calls == current.target
            if reached {
                current.tally.hitKind = kind
                current.tally.hitPath = path
            }
            plans[prefix] = current
            return reached ? current.action : nil
        }
    }

    /// Counts a call; throws the injected failure when it is the chosen one, and returns whether
    /// the process must crash once the call was made.
    static func before(
        _ kind: Kind, _ path: String, operation: String, opensForWriting: Bool = false
    ) throws(StoreError) -> Bool {
        switch next(kind, path, opensForWriting: opensForWriting) {
        case .fail(let code): throw .ioFailure(operation, file: path, errno: code)
        case .crashAfter: return true
        case nil: return false
        }
    }

    /// Kills the process at once, as `kill -9` would: no buffers flushed, no handlers run.
    package static func crash() -> Never {
        _ = kill(getpid(), SIGKILL)
        _exit(137)
    }
}
