#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A value guarded by a `pthread_mutex_t`: the drop-in replacement for `Synchronization.Mutex` in
/// this package, with the same `withLock` shape.
///
/// Why not `Mutex`: ThreadSanitizer does not see `Mutex`'s synchronization on the toolchains this
/// package is tested with (Swift 6.3, Linux): two threads updating a counter inside `withLock` get
/// the right total *and* a "Swift access race" report. `pthread_mutex_lock` and `_unlock` are
/// intercepted by every sanitizer runtime, so TSan checks the code behind this lock instead of
/// reporting it (swift-nio's `NIOLock` takes the same way). `CONTRIBUTING.md` says how to run TSan.
///
/// `@unchecked Sendable` is safe for the reason `Mutex` is `Sendable`: the value is reachable only
/// through ``withLock(_:)``, which holds the mutex for the whole of its body, and the value goes in
/// and comes out as `sending`, so no reference to unprotected state escapes with it.
package final class LockedValue<Value>: @unchecked Sendable {
    /// Heap-allocated because a `pthread_mutex_t` must never move once initialized.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    /// How often a thread that finds the mutex held gives up its core (`sched_yield`) and tries again
    /// before it sleeps in `pthread_mutex_lock`; 0 for none.
    ///
    /// A thread of Swift's cooperative pool that sleeps in the kernel leaves its core idle until it is
    /// woken (the pool does not replace it), and glibc's adaptive mutex spins only about twice as long
    /// as its waits have lasted on average. So for a lock whose holders are short and never block, and
    /// whose short and long holds mix (the in-memory store's reads and commits), yielding first keeps
    /// both cores at work; `Documentation/PerformanceHistory.md` ("Waiting for a lock without sleeping") has
    /// the measurements. Where waiters mostly wait for I/O (the file store's locks) yielding bought
    /// nothing measurable, and these locks sleep as before.
    private let yieldsBeforeSleeping: Int

    /// Guards `initialValue`.
    /// - Parameters:
    ///   - initialValue: The value, handed over to the lock.
    ///   - yieldsBeforeSleeping: How often a waiter yields its core and tries again before it sleeps
    ///     (``yieldsBeforeSleeping``); 0, the default, sleeps after glibc's own short spin.
    package init(_ initialValue: consuming sending Value, yieldsBeforeSleeping: Int = 0) {
        precondition(yieldsBeforeSleeping >= 0, "yieldsBeforeSleeping is negative: \(yieldsBeforeSleeping)")
        self.yieldsBeforeSleeping = yieldsBeforeSleeping
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        var attributes = pthread_mutexattr_t()
        pthread_mutexattr_init(&attributes)
        defer { pthread_mutexattr_destroy(&attributes) }
        #if canImport(Glibc)
            // Spin briefly before sleeping: the bodies are microseconds long, and a thread of Swift's
            // cooperative pool that sleeps in the kernel leaves its core idle (the pool does not
            // replace it), so two cores shared by many tasks ran at 1.5 instead of 2. With a type
            // glibc knows this cannot fail; the default type is the fallback either way.
            pthread_mutexattr_settype(&attributes, Int32(PTHREAD_MUTEX_ADAPTIVE_NP))
        #endif
        // This fails only on exhausted system resources (POSIX lists no other case for these
        // attributes), where nothing sensible can continue.
        let status = pthread_mutex_init(mutex, &attributes)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value.
    ///
    /// Not reentrant: calling `withLock` on the same lock inside `body` deadlocks, as with `Mutex`.
    /// - Parameter body: Reads or changes the value; it should be short and must not block on
    ///   anything that could wait for this lock.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (the lock is released either way); nothing else.
    package func withLock<Result, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        lock()
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Takes the mutex: at once when it is free, else after yielding the core up to
    /// ``yieldsBeforeSleeping`` times, else by sleeping until it is released.
    private func lock() {
        guard yieldsBeforeSleeping > 0 else {
            pthread_mutex_lock(mutex)
            return
        }
        if pthread_mutex_trylock(mutex) == 0 { return }
        for _ in 0..<yieldsBeforeSleeping {
            sched_yield()
            if pthread_mutex_trylock(mutex) == 0 { return }
        }
        pthread_mutex_lock(mutex)
    }
}
