#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Thin wrappers of the C library calls the file store makes, retrying `EINTR` and turning failures
/// into ``StoreError/Code-swift.struct/ioFailure`` with the path and `errno`. Every call that can
/// fail passes through ``SystemCallFaults`` first, so tests can fail or crash at any of them.
enum SystemCalls {
    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o600) throws(StoreError) -> Int32 {
        let kind: SystemCallFaults.Kind = flags & O_DIRECTORY != 0 ? .openDirectory : .open
        let writing = flags & (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND) != 0
        let crash = try SystemCallFaults.before(kind, path, operation: "open", opensForWriting: writing)
        while true {
            let fd = path.withCString { sys_open($0, flags | O_CLOEXEC, mode) }
            if crash { SystemCallFaults.crash() }
            if fd >= 0 { return fd }
            if errno != EINTR { throw .ioFailure("open", file: path, errno: errno) }
        }
    }

    /// Opens a file if it exists.
    static func openIfExists(_ path: String, _ flags: Int32) throws(StoreError) -> Int32? {
        do {
            return try open(path, flags)
        } catch  where error.errno == ENOENT {
            return nil
        }
    }

    static func close(_ fd: Int32) {
        _ = sys_close(fd)
    }

    /// A second descriptor of the file open as `fd` (close-on-exec), which stays valid when `fd` is
    /// closed or the file is removed. Counted as an `open` by ``SystemCallFaults``.
    static func duplicate(_ fd: Int32, path: String) throws(StoreError) -> Int32 {
        let crash = try SystemCallFaults.before(.open, path, operation: "dup")
        defer { if crash { SystemCallFaults.crash() } }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw .ioFailure("dup", file: path, errno: errno) }
        return copy
    }

    /// Reads up to `count` bytes at `offset`; fewer only at the end of the file.
    static func read(_ fd: Int32, count: Int, at offset: UInt64, path: String) throws(StoreError) -> [UInt8] {
        let crash = try SystemCallFaults.before(.read, path, operation: "pread")
        defer { if crash { SystemCallFaults.crash() } }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        var failure: Int32 = 0
        buffer.withUnsafeMutableBytes { raw in
            while done < count {
                let result = pread(fd, raw.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if result > 0 {
                    done += result
                } else if result == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
        }
        if failure != 0 { throw .ioFailure("pread", file: path, errno: failure) }
        if done < count { buffer.removeLast(count - done) }
        return buffer
    }

    /// Fills `buffer` from `offset`.
    /// - Returns: The bytes read; fewer than `buffer.count` only at the end of the file.
    static func read(
        _ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: UInt64, path: String
    ) throws(StoreError) -> Int {
        let crash = try SystemCallFaults.before(.read, path, operation: "pread")
        defer { if crash { SystemCallFaults.crash() } }
        var done = 0
        while done < buffer.count {
            let result = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if result > 0 {
                done += result
            } else if result == 0 {
                break
            } else if errno != EINTR {
                throw .ioFailure("pread", file: path, errno: errno)
            }
        }
        return done
    }

    /// Writes all of `bytes` at `offset`.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: UInt64, path: String) throws(StoreError)
    {
        let crash = try SystemCallFaults.before(.write, path, operation: "pwrite")
        defer { if crash { SystemCallFaults.crash() } }
        var done = 0
        while done < bytes.count {
            let result = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if result > 0 {
                done += result
            } else if result < 0 && errno == EINTR {
                continue
            } else {
                throw .ioFailure("pwrite", file: path, errno: result < 0 ? errno : EIO)
            }
        }
    }

    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: UInt64, path: String) throws(StoreError) {
        let failure: StoreError? = bytes.withUnsafeBytes { raw in
            do throws(StoreError) {
                try write(fd, raw, at: offset, path: path)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Makes the file's data durable: `fsync`, or `F_FULLFSYNC` on Darwin, where `fsync` does not
    /// flush the drive's cache (Apple's `fsync(2)` manual page).
    static func sync(_ fd: Int32, path: String) throws(StoreError) {
        try sync(fd, path: path, kind: .sync)
    }

    private static func sync(_ fd: Int32, path: String, kind: SystemCallFaults.Kind) throws(StoreError) {
        let crash = try SystemCallFaults.before(kind, path, operation: "fsync")
        defer { if crash { SystemCallFaults.crash() } }
        #if canImport(Darwin)
            if fcntl(fd, F_FULLFSYNC) == 0 { return }
        #endif
        while fsync(fd) != 0 {
            if errno != EINTR { throw .ioFailure("fsync", file: path, errno: errno) }
        }
    }

    /// Makes the file's data durable without its timestamps: `fdatasync`, or `F_FULLFSYNC` on Darwin.
    /// For a log written in place inside space already allocated (and synced), where only the data
    /// changes: the file's size and blocks are already on disk, so no metadata must be written.
    static func syncData(_ fd: Int32, path: String) throws(StoreError) {
        let crash = try SystemCallFaults.before(.syncData, path, operation: "fdatasync")
        defer { if crash { SystemCallFaults.crash() } }
        #if canImport(Darwin)
            if fcntl(fd, F_FULLFSYNC) == 0 { return }
            while fsync(fd) != 0 {
                if errno != EINTR { throw .ioFailure("fsync", file: path, errno: errno) }
            }
        #else
            while fdatasync(fd) != 0 {
                if errno != EINTR { throw .ioFailure("fdatasync", file: path, errno: errno) }
            }
        #endif
    }

    /// Maps `length` bytes of a file from its start, shared with every process mapping it.
    static func mapShared(_ fd: Int32, length: Int, path: String) throws(StoreError) -> UnsafeMutableRawPointer {
        let crash = try SystemCallFaults.before(.map, path, operation: "mmap")
        defer { if crash { SystemCallFaults.crash() } }
        guard let address = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), address != MAP_FAILED
        else { throw .ioFailure("mmap", file: path, errno: errno) }
        return address
    }

    static func unmap(_ address: UnsafeMutableRawPointer, length: Int) {
        _ = munmap(address, length)
    }

    /// Makes a directory's entries durable (after a file was created, renamed or removed in it).
    static func syncDirectory(_ path: String) throws(StoreError) {
        let fd = try open(path, O_RDONLY | O_DIRECTORY)
        defer { close(fd) }
        try sync(fd, path: path, kind: .syncDirectory)
    }

    static func truncate(_ fd: Int32, to size: UInt64, path: String) throws(StoreError) {
        let crash = try SystemCallFaults.before(.truncate, path, operation: "ftruncate")
        defer { if crash { SystemCallFaults.crash() } }
        while ftruncate(fd, off_t(size)) != 0 {
            if errno != EINTR { throw .ioFailure("ftruncate", file: path, errno: errno) }
        }
    }

    /// Makes the file system give the file's first `length` bytes their blocks now (`posix_fallocate`),
    /// leaving what they hold as it is: a file grown by ``truncate(_:to:path:)`` has none, and storing
    /// into a mapping of it on a full disk would stop the process with `SIGBUS` instead of failing.
    /// Counted as a truncation by the fault injector.
    static func allocate(_ fd: Int32, length: UInt64, path: String) throws(StoreError) {
        let crash = try SystemCallFaults.before(.truncate, path, operation: "fallocate")
        defer { if crash { SystemCallFaults.crash() } }
        var result = posix_fallocate(fd, 0, off_t(length))
        while result == EINTR { result = posix_fallocate(fd, 0, off_t(length)) }
        guard result == 0 else { throw .ioFailure("fallocate", file: path, errno: result) }
    }

    /// The file's size and link count (0 once the file was removed from its directory).
    static func status(_ fd: Int32, path: String) throws(StoreError) -> (size: UInt64, links: UInt64) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .ioFailure("fstat", file: path, errno: errno) }
        return (UInt64(info.st_size), UInt64(info.st_nlink))
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func rename(_ from: String, _ to: String) throws(StoreError) {
        let crash = try SystemCallFaults.before(.rename, to, operation: "rename")
        defer { if crash { SystemCallFaults.crash() } }
        guard sys_rename(from, to) == 0 else { throw .ioFailure("rename", file: from, errno: errno) }
    }

    static func remove(_ path: String) throws(StoreError) {
        let crash = try SystemCallFaults.before(.unlink, path, operation: "unlink")
        defer { if crash { SystemCallFaults.crash() } }
        guard unlink(path) == 0 || errno == ENOENT else { throw .ioFailure("unlink", file: path, errno: errno) }
    }

    /// Creates a directory with mode 0700; an existing one is left as it is.
    /// - Returns: Whether the directory was created.
    static func makeDirectory(_ path: String) throws(StoreError) -> Bool {
        let crash = try SystemCallFaults.before(.makeDirectory, path, operation: "mkdir")
        defer { if crash { SystemCallFaults.crash() } }
        if mkdir(path, 0o700) == 0 { return true }
        if errno == EEXIST { return false }
        throw .ioFailure("mkdir", file: path, errno: errno)
    }

    /// Takes an advisory `flock` lock, waiting for it at most `policy.limit`. `flock` locks belong to
    /// the open file description, so two stores in one process exclude each other as two processes do.
    ///
    /// A blocking `flock` cannot be bounded without a signal, which a library must not install, so
    /// the wait tries the lock again after pauses that double from 20 µs to 1 ms: a lock released
    /// after a commit is taken within a millisecond, at a cost of at most a thousand failed tries a
    /// second while another process holds it for long.
    /// - Throws: ``StoreError/Code-swift.struct/lockTimeout`` when the wait reached its limit,
    ///   ``StoreError/Code-swift.struct/locksUnsupported`` when the file system does not lock (NFS
    ///   without locking), `ioFailure` when `flock` failed otherwise.
    static func lock(_ fd: Int32, exclusive: Bool, path: String, policy: LockWaitPolicy) throws(StoreError) {
        if try tryLock(fd, exclusive: exclusive, path: path) { return }
        let clock = ContinuousClock()
        let start = clock.now
        var pause = Duration.microseconds(20)
        var noticed = false
        while true {
            let waited = clock.now - start
            if waited >= policy.limit { throw .lockTimeout(file: path, waited: policy.limit) }
            if !noticed, waited >= policy.noticeAfter {
                noticed = true
                policy.onLongWait?(path)
            }
            sleep(min(pause, policy.limit - waited))
            pause = min(pause * 2, .milliseconds(1))
            if try tryLock(fd, exclusive: exclusive, path: path) { return }
        }
    }

    /// Sleeps for `duration` (the rest of it again when a signal interrupts).
    private static func sleep(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
    }

    /// Takes an advisory `flock` lock if it is free, without waiting.
    /// - Returns: Whether the lock is now held; `false` when another open file description holds it.
    /// - Throws: ``StoreError/Code-swift.struct/locksUnsupported`` when the file system does not
    ///   lock, `ioFailure` when `flock` failed otherwise (``StoreError/lockFailure(file:errno:)``).
    static func tryLock(_ fd: Int32, exclusive: Bool, path: String) throws(StoreError) -> Bool {
        let crash: Bool
        do {
            crash = try SystemCallFaults.before(.lock, path, operation: "flock")
        } catch {
            throw .lockFailure(file: path, errno: error.errno ?? EIO)
        }
        defer { if crash { SystemCallFaults.crash() } }
        while flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
            if errno == EWOULDBLOCK { return false }
            if errno != EINTR { throw .lockFailure(file: path, errno: errno) }
        }
        return true
    }

    static func unlock(_ fd: Int32) {
        _ = flock(fd, LOCK_UN)
    }

    static func listDirectory(_ path: String) throws(StoreError) -> [String] {
        let crash = try SystemCallFaults.before(.listDirectory, path, operation: "opendir")
        defer { if crash { SystemCallFaults.crash() } }
        guard let directory = opendir(path) else { throw .ioFailure("opendir", file: path, errno: errno) }
        defer { closedir(directory) }
        let fault = SystemCallFaults.next(.readDirectory, path)
        defer { if fault == .crashAfter { SystemCallFaults.crash() } }
        // An injected failure makes the first `readdir` return nothing with `errno` set, as a real one.
        var injectedErrno: Int32? = if case .fail(let code) = fault { code } else { nil }
        var names: [String] = []
        while true {
            errno = 0
            let entry = injectedErrno == nil ? readdir(directory) : nil
            if let code = injectedErrno.take() { errno = code }
            // A failed read is not the listing's end: a short listing would make a store whose
            // `CURRENT` is lost look new, and its files leftovers to delete.
            guard let entry else {
                if errno != 0 { throw .ioFailure("readdir", file: path, errno: errno) }
                return names
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
    }
}

private func sys_open(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    #if canImport(Darwin)
        Darwin.open(path, flags, mode)
    #elseif canImport(Glibc)
        Glibc.open(path, flags, mode)
    #elseif canImport(Musl)
        Musl.open(path, flags, mode)
    #endif
}

private func sys_close(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
        Darwin.close(fd)
    #elseif canImport(Glibc)
        Glibc.close(fd)
    #elseif canImport(Musl)
        Musl.close(fd)
    #endif
}

private func sys_rename(_ from: String, _ to: String) -> Int32 {
    #if canImport(Darwin)
        Darwin.rename(from, to)
    #elseif canImport(Glibc)
        Glibc.rename(from, to)
    #elseif canImport(Musl)
        Musl.rename(from, to)
    #endif
}
