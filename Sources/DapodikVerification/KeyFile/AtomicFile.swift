import DapodikCrypto
import DapodikStorage

#if canImport(FoundationEssentials)
    package import FoundationEssentials
#else
    package import Foundation
#endif
#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Writes a file so that readers see either the old or the new contents, never a mix, even after a
/// crash: a temporary file (0600) in the same directory, `fsync`, `rename`, `fsync` of the
/// directory (POSIX `rename(2)` is atomic within a file system).
///
/// Each system call passes through the store's test injector (`SystemCallFaults`), so tests can fail
/// or crash at any of them.
package enum AtomicFile {
    /// Writes `data` to `url`.
    /// - Parameters:
    ///   - data: The whole contents.
    ///   - url: The file to write.
    ///   - exclusive: Publish with `link(2)` instead of `rename(2)`, which fails with `EEXIST` instead
    ///     of replacing a file that exists (an exclusive creation of a complete file).
    ///   - failure: The error to throw for a system call's `errno` before the new contents are in place.
    ///   - notDurable: The error to throw when the new contents are in place but the directory's `fsync`
    ///     (or opening the directory for it) failed: readers see them, a power loss may undo them.
    /// - Throws: What `failure` makes of the first failing call; the temporary file is removed and
    ///   `url` is unchanged then. What `notDurable` makes of a failure after that: `url` has the new
    ///   contents then.
    package static func write<Failure: Error>(
        _ data: Data, to url: URL, exclusive: Bool,
        failure: (Int32) -> Failure, notDurable: (Int32) -> Failure
    ) throws(Failure) {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(
            ".\(url.lastPathComponent).\(Crypto.randomUUID().uuidString).tmp"
        ).path
        let descriptor = call(.open, temporary, opensForWriting: true) {
            open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        }
        guard descriptor >= 0 else { throw failure(errno) }
        var error: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = call(.write, temporary) {
                    systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    error = errno
                    return
                }
                offset += written
            }
        }
        if error == 0, call(.sync, temporary, { fsync(descriptor) }) != 0 { error = errno }
        close(descriptor)
        if error == 0,
            call(.rename, url.path, { exclusive ? link(temporary, url.path) : rename(temporary, url.path) }) != 0
        {
            error = errno
        }
        guard error == 0 else {
            unlink(temporary)
            throw failure(error)
        }
        if exclusive { unlink(temporary) }
        let directoryDescriptor = call(.openDirectory, directory.path) { open(directory.path, O_RDONLY | O_CLOEXEC) }
        guard directoryDescriptor >= 0 else { throw notDurable(errno) }
        defer { close(directoryDescriptor) }
        guard call(.syncDirectory, directory.path, { fsync(directoryDescriptor) }) == 0 else {
            throw notDurable(errno)
        }
    }

    /// Makes a system call unless the test injector fails it (then `-1` with its `errno`), and kills
    /// the process after it when the injector says so.
    private static func call<Result: BinaryInteger>(
        _ kind: SystemCallFaults.Kind, _ path: String, opensForWriting: Bool = false, _ body: () -> Result
    ) -> Result {
        let action = SystemCallFaults.next(kind, path, opensForWriting: opensForWriting)
        if case .fail(let code)? = action {
            errno = code
            return -1
        }
        let result = body()
        if action == .crashAfter { SystemCallFaults.crash() }
        return result
    }
}

extension AtomicFile {
    /// Removes what writes of `url` killed midway left beside it: their temporary files
    /// (`.<name>.<UUID>.tmp`, 0600, which may hold secrets). Call it only under a lock every writer of
    /// `url` holds while it writes, so that none of them is a write under way; anything else in the
    /// directory is left alone.
    /// - Parameter url: The file whose leftovers go.
    package static func removeLeftovers(of url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = "." + url.lastPathComponent + "."
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(".tmp".count)
            guard UUID(uuidString: String(middle)) != nil else { continue }
            unlink(directory.appendingPathComponent(name).path)
        }
    }
}

/// `write(2)`, named apart from ``AtomicFile/write(_:to:exclusive:failure:notDurable:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
