#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// The store's `LOCK` file, open for its `flock(2)`: shared by the store and its engine, so that a
/// committer can wait for another process's lock *without* holding the engine's mutex (reads take
/// that mutex and must never wait for another process, issue 10, defect 4).
///
/// Readers look with a second open file description (`readerFD`): `flock` locks belong to the open
/// file description, so a reader's shared lock on the committer's descriptor would convert, and its
/// unlock release, the committer's exclusive lock; on its own descriptor it simply finds the lock
/// taken, as another process would.
///
/// `Sendable` because its only state is two file descriptors fixed at creation and closed at
/// `deinit`, when no one can use them any more; `flock` itself is safe from any thread.
final class LockFile: Sendable {
    let fd: Int32
    private let readerFD: Int32
    let path: String

    init(directory: String) throws(StoreError) {
        path = directory + "/" + FileEngine.lockName
        fd = try SystemCalls.open(path, O_RDWR | O_CREAT)
        do throws(StoreError) {
            readerFD = try SystemCalls.open(path, O_RDONLY)
        } catch {
            SystemCalls.close(fd)
            throw error
        }
    }

    deinit {
        SystemCalls.close(fd)
        SystemCalls.close(readerFD)
    }

    /// Waits for the lock. Never call it while holding the engine's mutex.
    func lock(exclusive: Bool) throws(StoreError) {
        try SystemCalls.lock(fd, exclusive: exclusive, path: path)
    }

    func unlock() {
        SystemCalls.unlock(fd)
    }

    /// For a reader: takes a shared lock if no one (another process, or this store's committer)
    /// holds the lock exclusively, without waiting. Release it with ``unlockReader()``.
    /// - Returns: Whether the lock is now held.
    func tryLockReader() throws(StoreError) -> Bool {
        try SystemCalls.tryLock(readerFD, exclusive: false, path: path)
    }

    func unlockReader() {
        SystemCalls.unlock(readerFD)
    }
}
