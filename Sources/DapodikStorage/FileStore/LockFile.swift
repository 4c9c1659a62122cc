import Synchronization

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
/// The file's first 8 bytes are the store's **change counter**, mapped shared by every process that
/// has the store open (`Documentation/StorageFormat.md`, "Several processes"): whoever changes the
/// store's files makes it odd before the first change and even again once the change is complete
/// and durable, always under the exclusive lock. A process whose last look found the value it sees
/// now knows that no other process changed anything since: a committer skips reading `CURRENT`
/// and catching up, a reader does not look at the log at all. An odd value seen under the lock
/// means a change was cut short (a crash): the next committer checks the whole log tail.
///
/// Its next 8 bytes are the **acknowledged sequence**: the last commit a committer made durable
/// (every byte of the log up to it synced) before it acknowledged it, written under the exclusive
/// lock. It is never synced itself, so after a power loss it may be older, never newer, than the
/// log. A log that ends below it has lost acknowledged commits (cut short by hand or by a careless
/// copy, or damage at its end): the store refuses it rather than take the loss for a torn tail. And
/// readers without the lock apply no commit beyond it: a writer's frames are in the file before its
/// sync returns.
///
/// A read-only store (``FileRecordStore/Options/readOnly``) opens `LOCK` for reading only, if it is
/// there at all, and maps nothing: it reads the two words once, under a shared lock, into memory of
/// its own (``init(readingOnly:waitPolicy:)``, ``lockSharedAndReadWords()``).
///
/// `@unchecked Sendable` because its state is two file descriptors and a mapping (or memory of its
/// own) fixed at creation and released at `deinit`, when no one can use them any more; `flock` is
/// safe from any thread, and the counter is only read and written with atomic operations.
final class LockFile: @unchecked Sendable {
    /// `LOCK` opened for its lock; -1 for a read-only store whose `LOCK` is missing.
    let fd: Int32
    /// A second description of `LOCK`, for readers' shared locks; -1 for a read-only store.
    private let readerFD: Int32
    let path: String
    /// How long ``lock(exclusive:)`` waits for another process.
    let waitPolicy: LockWaitPolicy
    /// Whether this is a read-only store's: `words` is then memory of its own, not a mapping.
    private let isReadOnly: Bool
    /// The mapped words: the change counter, then the acknowledged sequence.
    private let words: UnsafeMutablePointer<Atomic<UInt64>>
    private var counter: UnsafeMutablePointer<Atomic<UInt64>> { words }
    private var acknowledged: UnsafeMutablePointer<Atomic<UInt64>> { words + 1 }

    /// The bytes of `LOCK` mapped: the counter and the acknowledged sequence.
    static let mappedBytes = 16

    /// Opens the directory's `LOCK`.
    /// - Parameters:
    ///   - directory: The store's directory.
    ///   - waitPolicy: How long ``lock(exclusive:)`` waits.
    ///   - creating: Whether a missing `LOCK` is made. Not for a store that exists: a `LOCK` removed
    ///     while a process used the store would give two processes two locks.
    /// - Throws: ``StoreError/Code-swift.struct/lockFileMissing`` when `LOCK` is missing and may not
    ///   be made; an I/O failure.
    init(directory: String, waitPolicy: LockWaitPolicy, creating: Bool = true) throws(StoreError) {
        path = directory + "/" + FileEngine.lockName
        self.waitPolicy = waitPolicy
        isReadOnly = false
        if creating {
            fd = try SystemCalls.open(path, O_RDWR | O_CREAT)
        } else {
            guard let existing = try SystemCalls.openIfExists(path, O_RDWR) else {
                throw .lockFileMissing(path, whileOpen: false)
            }
            fd = existing
        }
        if let distrust = DirectoryDistrust.checkFile(fd, path: path, in: directory) {
            SystemCalls.close(fd)
            throw .untrusted(distrust)
        }
        do throws(StoreError) {
            readerFD = try SystemCalls.open(path, O_RDONLY)
            do throws(StoreError) {
                // A `LOCK` of an earlier build is empty or holds the counter alone: it grows to hold
                // both words (the new ones zero: nothing known acknowledged). Growing is harmless to
                // run twice at once, and `LOCK` is never shrunk or replaced.
                if try SystemCalls.status(fd, path: path).size < UInt64(Self.mappedBytes) {
                    try SystemCalls.truncate(fd, to: UInt64(Self.mappedBytes), path: path)
                }
                // Blocks for both words before they are mapped: on a full disk this fails with ENOSPC,
                // where the first store into a mapped hole would end the process with SIGBUS.
                try SystemCalls.allocate(fd, length: UInt64(Self.mappedBytes), path: path)
                words = try SystemCalls.mapShared(fd, length: Self.mappedBytes, path: path)
                    .bindMemory(to: Atomic<UInt64>.self, capacity: 2)
            } catch {
                SystemCalls.close(readerFD)
                throw error
            }
        } catch {
            SystemCalls.close(fd)
            throw error
        }
    }

    /// Opens the directory's `LOCK` for a read-only store: for reading, and only if it is there
    /// (neither made nor grown). Its words read as zero (nothing known) until
    /// ``lockSharedAndReadWords()`` reads them.
    /// - Parameters:
    ///   - directory: The store's directory.
    ///   - waitPolicy: How long ``lockSharedAndReadWords()`` waits for a writer.
    /// - Throws: ``StoreError``: `untrustedDirectory` for a `LOCK` another user could change; an I/O
    ///   failure other than its absence.
    init(readingOnly directory: String, waitPolicy: LockWaitPolicy) throws(StoreError) {
        path = directory + "/" + FileEngine.lockName
        self.waitPolicy = waitPolicy
        isReadOnly = true
        readerFD = -1
        fd = try SystemCalls.openIfExists(path, O_RDONLY) ?? -1
        if fd >= 0, let distrust = DirectoryDistrust.checkFile(fd, path: path, in: directory) {
            SystemCalls.close(fd)
            throw .untrusted(distrust)
        }
        words = .allocate(capacity: 2)
        words.initialize(to: Atomic(0))
        (words + 1).initialize(to: Atomic(0))
    }

    deinit {
        if isReadOnly {
            words.deinitialize(count: 2)
            words.deallocate()
        } else {
            SystemCalls.unmap(UnsafeMutableRawPointer(words), length: Self.mappedBytes)
        }
        if fd >= 0 { SystemCalls.close(fd) }
        if readerFD >= 0 { SystemCalls.close(readerFD) }
    }

    /// For a read-only store's opening: waits (as ``waitPolicy`` allows) for a shared lock, which no
    /// commit or compaction holds at the same time, then reads the counter and the acknowledged
    /// sequence (zero where `LOCK` is shorter, as an earlier release or a backup leaves it). Without
    /// `LOCK` there is nothing to lock, and no writer: a commit checks under its lock that `LOCK` still
    /// has a name before it writes. Release the lock with ``unlock()``.
    /// - Throws: ``StoreError``: `lockTimeout` when a writer held the lock too long; an I/O failure.
    func lockSharedAndReadWords() throws(StoreError) {
        precondition(isReadOnly, "a writable store maps its words")
        guard fd >= 0 else { return }
        try SystemCalls.lock(fd, exclusive: false, path: path, policy: waitPolicy)
        do throws(StoreError) {
            let bytes = try SystemCalls.read(fd, count: Self.mappedBytes, at: 0, path: path)
            for word in 0..<2 where bytes.count >= (word + 1) * 8 {
                (words + word).pointee.store(littleEndian64(bytes, at: word * 8), ordering: .relaxed)
            }
        } catch {
            unlock()
            throw error
        }
    }

    /// The change counter now. Its acquiring load orders every later read of the files after it.
    var changeCounter: UInt64 { counter.pointee.load(ordering: .acquiring) }

    /// Marks a change as begun (the counter becomes odd, and differs from every earlier value).
    /// Only under the exclusive lock, before the first byte of the change is written.
    /// - Returns: The odd value, for ``endChange(_:)``.
    func beginChange() -> UInt64 {
        let current = counter.pointee.load(ordering: .relaxed)
        let odd = current & 1 == 0 ? current &+ 1 : current &+ 2
        counter.pointee.store(odd, ordering: .sequentiallyConsistent)
        return odd
    }

    /// Marks the change begun with `odd` as complete: every byte of it was written (and is durable)
    /// before this releasing store, so a process that sees the new value also sees the change.
    /// - Returns: The new, even value.
    func endChange(_ odd: UInt64) -> UInt64 {
        let even = odd &+ 1
        counter.pointee.store(even, ordering: .releasing)
        return even
    }

    /// The last sequence a committer made durable and acknowledged (0 when none is known). Its
    /// acquiring load orders the reads of the log after it: every frame up to it is there to read.
    var acknowledgedSequence: UInt64 { acknowledged.pointee.load(ordering: .acquiring) }

    /// Records that every commit up to `sequence` is durable: after the log's sync, before the
    /// commits are acknowledged, under the exclusive lock. Never lowered: salvage goes on after it.
    func setAcknowledgedSequence(_ sequence: UInt64) {
        acknowledged.pointee.store(sequence, ordering: .releasing)
    }

    /// Waits for the lock, at most as long as ``waitPolicy`` allows. Never call it while holding the
    /// engine's mutex.
    /// - Throws: ``StoreError/Code-swift.struct/lockTimeout`` when another process held it too long;
    ///   ``StoreError/Code-swift.struct/lockFileMissing`` when `LOCK` was removed or shortened since it
    ///   was opened (the lock is then released).
    func lock(exclusive: Bool) throws(StoreError) {
        try SystemCalls.lock(fd, exclusive: exclusive, path: path, policy: waitPolicy)
        try requireStillTheLock()
    }

    /// Takes the lock exclusively if no one holds it, without waiting.
    /// - Returns: Whether the lock is now held.
    /// - Throws: As ``lock(exclusive:)``.
    func tryLockExclusive() throws(StoreError) -> Bool {
        guard try SystemCalls.tryLock(fd, exclusive: true, path: path) else { return false }
        try requireStillTheLock()
        return true
    }

    /// Checks, with the lock held, that the file locked is still the directory's `LOCK` and still
    /// holds the counter: a `LOCK` removed (by hand, by a cleaner of old files) lets the next process
    /// make and lock a new one, and a shortened one would end this process at its next look at the
    /// mapped counter (`SIGBUS`). Either way this process stops writing.
    private func requireStillTheLock() throws(StoreError) {
        let status: (size: UInt64, links: UInt64)
        do throws(StoreError) {
            status = try SystemCalls.status(fd, path: path)
        } catch {
            unlock()
            throw error
        }
        guard status.links > 0, status.size >= UInt64(Self.mappedBytes) else {
            unlock()
            throw .lockFileMissing(path, whileOpen: true)
        }
    }

    func unlock() {
        if fd >= 0 { SystemCalls.unlock(fd) }
    }

    /// Runs `body` as one change of a maintenance command (salvage, manifest recovery): holds the
    /// directory's lock exclusively, makes the change counter odd so that every process looks again
    /// afterwards (none should have the store open, but a change they could miss is never made), and
    /// makes it even only when `body` returns; a failure leaves the counter odd.
    static func withExclusiveChange<Result>(
        directory: String, waitPolicy: LockWaitPolicy, _ body: (LockFile) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try StoreError.requireTrusted(directory)
        let lock = try LockFile(directory: directory, waitPolicy: waitPolicy)
        try lock.lock(exclusive: true)
        defer { lock.unlock() }
        let change = lock.beginChange()
        let result = try body(lock)
        _ = lock.endChange(change)
        return result
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
