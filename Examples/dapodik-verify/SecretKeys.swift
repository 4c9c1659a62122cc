import DapodikVerification
import Foundation

/// The secret keys of a data directory: the code keys (``CodeKeyRing``), one generation per
/// rotation. They are the directory's only secret: the key that seals a code while its e-mail
/// waits in the outbox is derived from the code key that issued it (HKDF-Expand, RFC 5869 §2.3,
/// in the library), so rotating the code keys rotates the seal too.
///
/// Kept in `<data>/secret-keys`, mode 0600, written atomically (temporary file, `fsync`, `rename`)
/// so a crash never leaves half a key file. It is created exclusively (`link(2)` of a complete
/// temporary file, which fails if the name exists), and every change (creation, `key rotate`)
/// reads, modifies and writes it holding an exclusive `flock(2)` on `<data>/secret-keys.lock`, so
/// two processes can never end up with different material under one key id. Each generation
/// carries its ``CodeKey/checkValue``; a file whose material does not match it is refused, and the
/// store records the check value of every key it was used with (``KeyCheck``), so a key file that
/// belongs to another store is refused too. The newest generation issues codes (and seals them);
/// the older ones still check codes already sent and unseal messages already queued, until retired
/// (a code lives at most 24 hours, so an old generation may be retired a day after a rotation).
struct SecretKeys: Codable, Sendable {
    /// One generation of keys.
    struct Generation: Codable, Sendable {
        let id: String
        let createdAt: Date
        /// 32 random bytes, base64, for code digests and (derived) the outbox seal.
        let code: String
        /// The key's ``CodeKey/checkValue``; `nil` only in files written before check values.
        var check: String?
    }

    /// The file format this program writes, and the only one it reads (no other was released).
    static let currentFormat = 2

    var format = Self.currentFormat
    /// Oldest first; the last one is current.
    var generations: [Generation]

    /// A new generation with fresh random material from the system's secure generator.
    static func newGeneration(id: String, now: Date) -> Generation {
        var generator = SystemRandomNumberGenerator()
        let material = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // The id comes from `nextID` and the material is 32 bytes, so the key is always valid.
        let check = (try? CodeKey(id: CodeKeyID(id), material: material))?.checkValue
        return Generation(id: id, createdAt: now, code: Data(material).base64EncodedString(), check: check)
    }

    /// The id for the next generation: `k1`, `k2`, ….
    var nextID: String {
        let numbers = generations.compactMap { Int($0.id.dropFirst()) }
        return "k\((numbers.max() ?? 0) + 1)"
    }

    /// Reads the key file, creating it with one generation if it does not exist and `create` allows.
    ///
    /// A data directory whose store exists but whose key file is missing is refused rather than
    /// given new keys silently: that would make every outstanding code and queued e-mail useless
    /// (restore the file from a backup, or make new keys deliberately with `key rotate`).
    /// - Throws: ``CLIError`` (status 74) when it cannot be read, parsed or written, or its mode
    ///   lets other users read it, or it is missing and `create` is false.
    static func loadOrCreate(at url: URL, create: Bool, now: Date = Date()) throws(CLIError) -> SecretKeys {
        if !FileManager.default.fileExists(atPath: url.path) {
            guard create else {
                throw CLIError(
                    .dataDirectory, status: .ioError,
                    indonesian: "Berkas kunci \(url.path) tidak ada, padahal toko datanya ada. Pulihkan dari "
                        + "cadangan, atau buat kunci baru dengan 'dapodik-verify key rotate' (kode yang sudah "
                        + "dikirim tidak berlaku lagi).",
                    english: "The key file \(url.path) is missing although the store exists. Restore it from a "
                        + "backup, or make new keys with 'dapodik-verify key rotate' (codes already sent stop "
                        + "working).")
            }
            return try withLock(on: url) { () throws(CLIError) -> SecretKeys in
                // Another process may have created it while this one waited for the lock.
                if FileManager.default.fileExists(atPath: url.path) { return try load(from: url) }
                let keys = SecretKeys(generations: [newGeneration(id: "k1", now: now)])
                try keys.save(to: url, exclusive: true)
                return keys
            }
        }
        return try load(from: url)
    }

    /// Changes the key file under its lock: reads it afresh (`nil` when it does not exist), lets
    /// `change` compute the new contents, and writes them; creation is exclusive.
    /// - Returns: The keys as written.
    /// - Throws: ``CLIError`` (status 74) when the lock, the file or the write fails; whatever
    ///   `change` throws, after which nothing is written.
    static func update(
        at url: URL, _ change: (SecretKeys?) throws(CLIError) -> SecretKeys
    ) throws(CLIError) -> SecretKeys {
        try withLock(on: url) { () throws(CLIError) -> SecretKeys in
            let existing = FileManager.default.fileExists(atPath: url.path) ? try load(from: url) : nil
            let keys = try change(existing)
            try keys.save(to: url, exclusive: existing == nil)
            return keys
        }
    }

    /// Runs `body` holding an exclusive `flock(2)` on `<key file>.lock` (created 0600 if needed),
    /// so no other process reads-modifies-writes the key file meanwhile.
    private static func withLock<Result>(
        on url: URL, _ body: () throws(CLIError) -> Result
    ) throws(CLIError) -> Result {
        let lock = open(url.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard lock >= 0 else { throw keyFileError(url, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)) }
        defer { close(lock) }
        while flock(lock, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw keyFileError(url, POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO))
            }
        }
        defer { flock(lock, LOCK_UN) }
        return try body()
    }

    private static func keyFileError(_ url: URL, _ error: any Error) -> CLIError {
        CLIError(
            .dataDirectory, status: .ioError,
            indonesian: "Berkas kunci \(url.path) tidak dapat ditulis: \(error.localizedDescription)",
            english: "Cannot write the key file \(url.path): \(error.localizedDescription)")
    }

    /// Reads an existing key file.
    static func load(from url: URL) throws(CLIError) -> SecretKeys {
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw CLIError(
                    .dataDirectory, status: .ioError,
                    indonesian: "Berkas kunci \(url.path) dapat dibaca pengguna lain (mode \(String(mode, radix: 8))). "
                        + "Jalankan: chmod 600 \(url.path)",
                    english: "The key file \(url.path) is readable by other users (mode \(String(mode, radix: 8))). "
                        + "Run: chmod 600 \(url.path)")
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let keys = try decoder.decode(SecretKeys.self, from: Data(contentsOf: url))
            guard keys.format == Self.currentFormat else {
                throw CLIError(
                    .dataDirectory, status: .ioError,
                    indonesian: "Berkas kunci \(url.path) berformat \(keys.format), sedangkan program ini membaca "
                        + "format \(Self.currentFormat). Pakai versi dapodik-verify yang menulisnya.",
                    english: "The key file \(url.path) has format \(keys.format), but this program reads "
                        + "format \(Self.currentFormat). Use the version of dapodik-verify that wrote it.")
            }
            guard !keys.generations.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
            for generation in keys.generations {
                guard let check = generation.check else { continue }
                let key = try CodeKey(id: CodeKeyID(generation.id), material: Self.bytes(generation.code))
                guard key.checkValue == check else {
                    throw CLIError(
                        .dataDirectory, status: .ioError,
                        indonesian: "Berkas kunci \(url.path) rusak atau diubah: materi kunci \(generation.id) tidak "
                            + "cocok dengan nilai periksanya. Pulihkan berkas itu dari cadangan.",
                        english: "The key file \(url.path) is damaged or edited: the material of key \(generation.id) "
                            + "does not match its check value. Restore the file from a backup.")
                }
            }
            return keys
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Berkas kunci \(url.path) tidak dapat dibaca: \(error.localizedDescription)",
                english: "Cannot read the key file \(url.path): \(error.localizedDescription)")
        }
    }

    /// Writes the key file atomically with mode 0600, in the current format (only code keys, each
    /// with its check value). Call it through ``update(at:_:)``, which holds the lock.
    /// - Parameter exclusive: Fail rather than replace an existing file.
    private func save(to url: URL, exclusive: Bool) throws(CLIError) {
        var keys = self
        keys.format = Self.currentFormat
        for index in keys.generations.indices where keys.generations[index].check == nil {
            let generation = keys.generations[index]
            keys.generations[index].check =
                (try? CodeKey(id: CodeKeyID(generation.id), material: Self.bytes(generation.code)))?.checkValue
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try AtomicFile.write(try encoder.encode(keys), to: url, exclusive: exclusive)
        } catch {
            throw CLIError(
                .dataDirectory, status: .ioError,
                indonesian: "Berkas kunci \(url.path) tidak dapat ditulis: \(error.localizedDescription)",
                english: "Cannot write the key file \(url.path): \(error.localizedDescription)")
        }
    }

    private static func bytes(_ base64: String) throws(CLIError) -> Data {
        guard let data = Data(base64Encoded: base64), data.count >= 32 else {
            throw CLIError(
                .dataDirectory, status: .ioError, indonesian: "Berkas kunci rusak: materi kunci tidak valid.",
                english: "The key file is damaged: invalid key material.")
        }
        return data
    }

    /// The key ring for code digests and the outbox seal: the newest generation issues (and
    /// seals), all of them check (and unseal).
    func codeKeyRing() throws -> CodeKeyRing {
        let keys = try generations.map { generation in
            try CodeKey(id: CodeKeyID(generation.id), material: Self.bytes(generation.code))
        }
        return try CodeKeyRing(current: keys.last!, alsoAccepting: Array(keys.dropLast()))
    }
}

/// Writes a file so that readers see either the old or the new contents, never a mix, even
/// after a crash: a temporary file (0600) in the same directory, `fsync`, `rename`, `fsync` of the
/// directory (POSIX `rename(2)` is atomic within a file system).
enum AtomicFile {
    /// - Parameter exclusive: Publish with `link(2)` instead of `rename(2)`, which fails with
    ///   `EEXIST` instead of replacing a file that exists (an exclusive creation of a complete file).
    static func write(_ data: Data, to url: URL, exclusive: Bool = false) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        if failure == 0, fsync(descriptor) != 0 { failure = errno }
        close(descriptor)
        let published =
            failure == 0 && (exclusive ? link(temporary.path, url.path) : rename(temporary.path, url.path)) == 0
        guard published else {
            let code = failure != 0 ? failure : errno
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        if exclusive { unlink(temporary.path) }
        let directoryDescriptor = open(directory.path, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
