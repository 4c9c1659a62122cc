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
/// directory count, so tests of other stores running at the same time in the process are unaffected.
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
    }

    private struct Plan {
        var directory: String
        var kind: Kind?
        var target: Int
        var action: Action
        var tally = Tally()
    }

    private static let armed = Atomic<Bool>(false)
    private static let plan = LockedValue<Plan?>(nil)

    /// Makes the `target`-th counted call (from 1) on a path inside `directory` take `action`.
    /// - Parameters:
    ///   - directory: Only calls on paths inside it (or on it) count.
    ///   - kind: Only calls of this kind count; every kind when `nil`.
    ///   - target: Which counted call takes the action, from 1.
    ///   - action: Fail the call, or crash after it.
    package static func arm(directory: String, only kind: Kind? = nil, target: Int, action: Action) {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        plan.withLock { $0 = Plan(directory: prefix, kind: kind, target: target, action: action) }
        armed.store(true, ordering: .releasing)
    }

    /// Stops injecting.
    /// - Returns: What the injector saw since ``arm(directory:target:action:)``.
    @discardableResult
    package static func disarm() -> Tally {
        armed.store(false, ordering: .releasing)
        return plan.withLock { plan in
            defer { plan = nil }
            return plan?.tally ?? Tally()
        }
    }

    /// Counts a call and says what to do with it.
    static func next(_ kind: Kind, _ path: String) -> Action? {
        guard armed.load(ordering: .acquiring) else { return nil }
        return plan.withLock { plan -> Action? in
            guard var current = plan, current.kind == nil || current.kind == kind,
                path.hasPrefix(current.directory) || path + "/" == current.directory
            else { return nil }
            current.tally.calls += 1
            let reached = current.tally.calls == current.target
            if reached {
                current.tally.hitKind = kind
                current.tally.hitPath = path
            }
            plan = current
            return reached ? current.action : nil
        }
    }

    /// Counts a call; throws the injected failure when it is the chosen one, and returns whether
    /// the process must crash once the call was made.
    static func before(_ kind: Kind, _ path: String, operation: String) throws(StoreError) -> Bool {
        switch next(kind, path) {
        case .fail(let code): throw .ioFailure(operation, file: path, errno: code)
        case .crashAfter: return true
        case nil: return false
        }
    }

    /// Kills the process at once, as `kill -9` would: no buffers flushed, no handlers run.
    static func crash() -> Never {
        _ = kill(getpid(), SIGKILL)
        _exit(137)
    }
}
