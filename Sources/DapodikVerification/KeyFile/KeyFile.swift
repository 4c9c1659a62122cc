internal import DapodikStorage

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Musl)
    internal import Musl
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// The file that holds a deployment's code keys (``CodeKey``), its one secret: one generation per
/// rotation, the newest issuing codes, the older ones still checking codes already sent.
///
/// The file is JSON, mode 0600, and is never seen half written: every write goes to a temporary
/// file that is `fsync`ed and then renamed over the old one (POSIX `rename(2)` is atomic), and a
/// new file is published with `link(2)`, which fails instead of replacing a file that exists
/// (an exclusive creation). Every change reads, modifies and writes the file holding an exclusive
/// `flock(2)` on `<file>.lock`, so processes rotating at once each add their own generation and
/// never end up with different material under one key id. Each generation carries the key's
/// ``CodeKey/checkValue``; a file whose material does not match it is refused as damaged, and
/// ``Contents/verify(against:)`` refuses a file that belongs to another store.
///
/// A code lives at most 24 hours after issue (``VerificationPolicy/maximumCodeLifetime``), so an
/// old generation may be retired 24 hours after the next one took over, not earlier.
///
/// ```swift
/// let keyFile = KeyFile(at: dataDirectory.appending(path: "secret-keys"))
/// let keys = try await keyFile.readOrCreate(for: store)
/// let configuration = VerificationService.Configuration(
///     store: store, transport: transport, keyRing: try keys.codeKeyRing(), sender: sender)
/// ```
public struct KeyFile: Sendable {
    /// Where the file is.
    public let url: URL

    /// The format this library reads and writes; a file of any other format is refused and left as
    /// it is.
    public static let currentFormat = 2

    /// How long codes issued under a generation may stay valid after the next one took over: the
    /// longest a code lives (24 hours, NIST SP 800-63A's cap for enrollment codes sent by e-mail).
    public static let retirementDelay: Duration = .seconds(24 * 3600)

    /// How long a change waits for another process's change of the same file (`<file>.lock`), and
    /// whom it tells: the store's ``LockWaitPolicy`` (a minute; said after a second). Past it the
    /// change fails with ``KeyFileError/Code/lockTimeout``, having read and written nothing.
    public var lockWait: LockWaitPolicy

    /// A key file at `url`; nothing is read or written until a method is called.
    /// - Parameters:
    ///   - url: The file's location, such as `<data directory>/secret-keys`.
    ///   - lockWait: How long a change waits for another process's; a minute by default.
    public init(at url: URL, lockWait: LockWaitPolicy = LockWaitPolicy()) {
        self.url = url
        self.lockWait = lockWait
    }

    /// Whether the file exists.
    public var exists: Bool { FileManager.default.fileExists(atPath: url.path) }

    /// Reads the file.
    /// - Returns: The generations in it.
    /// - Throws: ``KeyFileError`` when the file is missing (``KeyFileError/Code/missing``), unreadable,
    ///   readable by other users, truncated or damaged, or in another format.
    public func read() throws(KeyFileError) -> Contents {
        try requireTrustedDirectories()
        return try readTrusted()
    }

    /// ``read()`` once the directories have been checked (under ``withLock(_:)``).
    private func readTrusted() throws(KeyFileError) -> Contents {
        guard exists else { throw missing }
        return try Contents(reading: url)
    }

    private var missing: KeyFileError {
        KeyFileError(
            .missing, indonesian: "Berkas kunci \(url.path) tidak ada.",
            english: "The key file \(url.path) does not exist.")
    }

    /// Reads the file, or creates it with one fresh generation (`k1`) when it does not exist.
    ///
    /// Several processes may call this at once on a new directory: one creates the file, under the
    /// lock, and all of them read the same keys. To open the keys of a store, use
    /// ``readOrCreate(for:now:)``, which does not make new keys for a store already used with others.
    /// - Parameter now: The creation time recorded for a new generation.
    /// - Returns: The generations in the file.
    /// - Throws: ``KeyFileError`` as ``read()``, or when the file cannot be created.
    public func readOrCreate(now: Date = Date()) throws(KeyFileError) -> Contents {
        if exists { return try read() }
        return try changing { existing throws(KeyFileError) in
            existing ?? Contents(generations: [Generation(id: "k1", createdAt: now)])
        }.contents
    }

    /// Creates the file with one fresh generation (`k1`), refusing to replace one that exists.
    /// - Parameter now: The creation time recorded for the generation.
    /// - Returns: The new file's generation.
    /// - Throws: ``KeyFileError`` with ``KeyFileError/Code/alreadyExists`` when the file exists (it is
    ///   left as it is), or when it cannot be written.
    public func create(now: Date = Date()) throws(KeyFileError) -> Contents {
        let contents = Contents(generations: [Generation(id: "k1", createdAt: now)])
        try withLock { () throws(KeyFileError) in
            let target = url.resolvingSymlinksInPath()
            try contents.write(to: target, exclusive: true)
        }
        return contents
    }

    /// Adds a new generation, which becomes current; the others still check the codes they issued.
    /// When the file does not exist, it is created with that one generation (a deliberate new start
    /// after the file was lost: codes already sent no longer verify).
    /// - Parameters:
    ///   - now: The creation time of the new generation.
    ///   - smallestNumber: The smallest number the new id `k<n>` may have; pass one the store has
    ///     never seen (``firstUnusedKeyNumber(in:)``), so its check value can be recorded there.
    /// - Returns: The file after the rotation and the id of the generation that was current before.
    /// - Throws: ``KeyFileError`` when the file cannot be read or written; nothing is written then, except
    ///   with ``KeyFileError/Code-swift.struct/notDurable`` (the new file is in place, not yet durable).
    public func rotate(now: Date = Date(), smallestNumber: Int = 1) throws(KeyFileError) -> Rotation {
        try changing { existing throws(KeyFileError) in
            let numbers = existing?.generations.compactMap { Int($0.id.dropFirst()) } ?? []
            let number = max((numbers.max() ?? 0) + 1, smallestNumber)
            let generation = Generation(id: "k\(number)", createdAt: now)
            return Contents(generations: (existing?.generations ?? []) + [generation])
        }
    }

    /// Removes an old generation, once no code it issued can still be valid.
    /// - Parameters:
    ///   - id: The generation to remove.
    ///   - now: The current time.
    /// - Returns: The file after the change.
    /// - Throws: ``KeyFileError`` with ``KeyFileError/Code/unknownKey`` when there is no such
    ///   generation, ``KeyFileError/Code/currentKey`` for the current one, and
    ///   ``KeyFileError/Code/keyStillInUse`` (with ``KeyFileError/retryAt``) earlier than
    ///   ``retirementDelay`` after the next generation took over; nothing is written then.
    public func retire(_ id: String, now: Date = Date()) throws(KeyFileError) -> Contents {
        try changing { existing throws(KeyFileError) in
            guard let existing else { throw missing }
            guard let index = existing.generations.firstIndex(where: { $0.id == id }) else {
                throw KeyFileError(
                    .unknownKey, indonesian: "Tidak ada kunci \(id).", english: "There is no key \(id).")
            }
            guard index != existing.generations.count - 1 else {
                throw KeyFileError(
                    .currentKey,
                    indonesian: "Kunci \(id) sedang aktif; putar kunci dulu, lalu pensiunkan setelah 24 jam.",
                    english: "Key \(id) is current; rotate first, then retire it after 24 hours.")
            }
            let safeFrom = existing.generations[index + 1].createdAt.addingTimeInterval(
                Double(Self.retirementDelay.components.seconds))
            guard now >= safeFrom else {
                throw KeyFileError(
                    .keyStillInUse,
                    indonesian: "Kode yang dikirim dengan kunci \(id) mungkin masih berlaku; pensiunkan mulai "
                        + "\(safeFrom.formatted(.iso8601)).",
                    english: "Codes sent under key \(id) may still be valid; retire it from "
                        + "\(safeFrom.formatted(.iso8601)).", retryAt: safeFrom)
            }
            var generations = existing.generations
            generations.remove(at: index)
            return Contents(generations: generations)
        }.contents
    }

    /// Copies the file to `destination` (mode 0600) under its lock, taken shared, so the copy is never
    /// a mix of two rotations; an existing file at `destination` is replaced. Nothing is written beside
    /// the file, so a key file on read-only media (a backup being copied again) can be copied too.
    /// - Throws: ``KeyFileError`` when the file cannot be read or the copy written, or made durable
    ///   (``KeyFileError/Code-swift.struct/inaccessible``: a copy that may not survive a power loss is
    ///   none; it may be in place then).
    public func copy(to destination: URL) throws(KeyFileError) {
        try withLock(forReading: true) { () throws(KeyFileError) in
            _ = try readTrusted()
            let data: Data
            do { data = try Data(contentsOf: url) } catch {
                throw KeyFileError.inaccessible(url.path, true, errno: EIO)
            }
            try AtomicFile.write(
                data, to: destination, exclusive: false,
                failure: { KeyFileError.inaccessible(destination.path, false, errno: $0) },
                // A copy not made durable is no copy: said as a failed write (a backup then removes it).
                notDurable: { KeyFileError.inaccessible(destination.path, false, errno: $0) })
        }
    }

    /// The result of ``rotate(now:smallestNumber:)``.
    public struct Rotation: Sendable {
        /// The file after the rotation.
        public let contents: Contents
        /// The id of the generation that was current before, or `nil` when the file was created.
        public let previousID: String?
    }

    /// Reads the file afresh under its lock, lets `change` compute the new generations, and writes
    /// them in the current format; a missing file is created exclusively.
    ///
    /// A symbolic link at ``url`` stays one: the file it points to is what is replaced, so a key
    /// file kept elsewhere (a secrets volume) gets the new generation, not a copy beside the link.
    /// Neither directory may be one another user could change (``requireTrustedDirectories()``),
    /// so root never writes where the data directory's owner could point it.
    private func changing(
        _ change: (Contents?) throws(KeyFileError) -> Contents
    ) throws(KeyFileError) -> Rotation {
        try withLock { () throws(KeyFileError) -> Rotation in
            let existing = exists ? try readTrusted() : nil
            let changed = try change(existing)
            if existing.map({ $0.generations == changed.generations }) != true {
                let target = url.resolvingSymlinksInPath()
                try changed.write(to: target, exclusive: existing == nil)
            }
            return Rotation(contents: changed, previousID: existing?.current.id)
        }
    }

    /// Refuses to use the file when a user other than this process's could change its directory, or
    /// the directory of the file a symbolic link at ``url`` points to (``DirectoryDistrust``): that
    /// user could replace the keys, or, with root writing, turn a rotation onto a system file.
    private func requireTrustedDirectories() throws(KeyFileError) {
        if let distrust = DirectoryDistrust.check(url.deletingLastPathComponent().path) {
            throw KeyFileError.untrusted(distrust)
        }
        let target = url.resolvingSymlinksInPath()
        if let distrust = DirectoryDistrust.check(target.deletingLastPathComponent().path) {
            throw target.path == url.path
                ? KeyFileError.untrusted(distrust)
                : KeyFileError.untrustedLinkTarget(link: url.path, target: target.path, distrust)
        }
    }

    /// Runs `body` holding an exclusive `flock(2)` on `<file>.lock` (created 0600 if needed).
    /// - Parameters:
    ///   - reading: For a `body` that only reads: the lock is taken shared, on `<file>.lock` opened for
    ///     reading, and nothing is created or removed. Without `<file>.lock` it runs without a lock: a
    ///     change replaces the file by `rename(2)`, so one read sees one whole generation list anyway.
    ///   - body: What runs under the lock.
    private func withLock<Result>(
        forReading reading: Bool = false, _ body: () throws(KeyFileError) -> Result
    ) throws(KeyFileError) -> Result {
        try requireTrustedDirectories()
        let lock =
            reading
            ? open(url.path + ".lock", O_RDONLY | O_CLOEXEC)
            : open(url.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if lock < 0, reading, errno == ENOENT { return try body() }
        guard lock >= 0 else {
            let number = errno
            if number == EACCES || number == EPERM {
                throw KeyFileError.permissionDenied(url.path + ".lock", reading: reading, errno: number)
            }
            throw KeyFileError.inaccessible(url.path + ".lock", reading, errno: number)
        }
        defer { close(lock) }
        do {
            try LockWaitPolicy.lock(lock, path: url.path + ".lock", policy: lockWait, exclusive: !reading)
        } catch  where error.code == .lockTimeout {
            throw KeyFileError.lockTimeout(url.path + ".lock", waited: lockWait.limit)
        } catch  where error.code == .locksUnsupported {
            // The store's words: the file system does not lock, and where the directory belongs instead.
            throw KeyFileError(.inaccessible, indonesian: error.message.indonesian, english: error.message.english)
        } catch {
            throw KeyFileError.inaccessible(url.path + ".lock", reading, errno: error.errno ?? EIO)
        }
        defer { flock(lock, LOCK_UN) }
        // A write killed midway left its temporary copy of the keys: no writer is under way now.
        if !reading { AtomicFile.removeLeftovers(of: url.resolvingSymlinksInPath()) }
        return try body()
    }
}
