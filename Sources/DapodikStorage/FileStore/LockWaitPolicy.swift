/// How long a file store waits for another process that holds its lock, and whom it tells.
///
/// Every commit, compaction, import, opening, salvage and manifest recovery holds the store's `LOCK`
/// exclusively, and a backup holds it shared. Another process holds it for a commit's few
/// milliseconds, a compaction's seconds (18.8 s for 3.5 million accounts on the reference machine,
/// `Documentation/PerformanceHistory.md`), or for ever when it was stopped (`SIGSTOP`, a debugger) while
/// holding it. The store waits at most ``limit`` and then fails with
/// ``StoreError/Code-swift.struct/lockTimeout``, having changed nothing; a wait that lasts
/// ``noticeAfter`` is reported once to ``onLongWait`` so that a person waiting is told why.
public struct LockWaitPolicy: Sendable {
    /// The longest wait for the lock before the operation fails with
    /// ``StoreError/Code-swift.struct/lockTimeout``. Default 60 s: three times a compaction of the
    /// national store on the reference machine.
    public var limit: Duration
    /// How long a wait lasts before ``onLongWait`` is called. Default 1 s: far beyond a commit, so a
    /// report means that something long or stuck holds the store.
    public var noticeAfter: Duration
    /// Called once in a wait that lasts ``noticeAfter``, on the waiting thread, with the path of the
    /// store's `LOCK` file; it must return quickly (print a line, log).
    public var onLongWait: (@Sendable (_ lockFile: String) -> Void)?

    /// Creates a policy.
    /// - Parameters:
    ///   - limit: The longest wait; zero or less: fail at once when another process holds the lock.
    ///   - noticeAfter: How long a wait lasts before `onLongWait` is called.
    ///   - onLongWait: Called once per long wait with the `LOCK` file's path.
    public init(
        limit: Duration = .seconds(60), noticeAfter: Duration = .seconds(1),
        onLongWait: (@Sendable (_ lockFile: String) -> Void)? = nil
    ) {
        self.limit = limit
        self.noticeAfter = noticeAfter
        self.onLongWait = onLongWait
    }
}

extension LockWaitPolicy {
    /// Takes a `flock(2)` on `fd` under `policy`, exclusive unless `exclusive` is `false`: at once when
    /// it is free, else tried again after short pauses, `onLongWait` told once the wait lasts
    /// `noticeAfter`, given up at `limit`. For the package's other lock files (the key file's), the way
    /// the store waits for its `LOCK`.
    /// - Throws: ``StoreError/Code-swift.struct/lockTimeout`` at the limit,
    ///   ``StoreError/Code-swift.struct/locksUnsupported`` when the file system does not lock,
    ///   `ioFailure` when `flock` failed otherwise.
    package static func lock(_ fd: Int32, path: String, policy: LockWaitPolicy, exclusive: Bool = true)
        throws(StoreError)
    {
        try SystemCalls.lock(fd, exclusive: exclusive, path: path, policy: policy)
    }
}
