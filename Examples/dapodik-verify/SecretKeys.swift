import DapodikVerification
import Foundation

/// The secret keys of a data directory: the code keys (``CodeKeyRing``), one generation per
/// rotation. They are the directory's only secret: the key that seals a code while its e-mail
/// waits in the outbox is derived from the code key that issued it (HKDF-Expand, RFC 5869 §2.3,
/// in the library), so rotating the code keys rotates the seal too.
///
/// Kept in `<data>/secret-keys`, mode 0600, written atomically (temporary file, `fsync`, `rename`)
/// so a crash never leaves half a key file. The newest generation issues codes (and seals them);
/// the older ones still check codes already sent and unseal messages already queued, until retired
/// (a code lives at most 24 hours, so an old generation may be retired a day after a rotation).
///
/// Format 1 files, written before the seal key was derived, also hold a `seal` key per
/// generation. They still load: the code keys are the same, so every code already sent still
/// verifies. The `seal` material is not read (the service never seals with it again) and the next
/// write (`key rotate`) leaves it out. A message such a directory queued, and did not send, before
/// the upgrade cannot be unsealed; it is retried as misconfigured until its code expires, and the
/// person asks for a new code (see `Documentation/Operations.md`).
struct SecretKeys: Codable, Sendable {
    /// One generation of keys.
    struct Generation: Codable, Sendable {
        let id: String
        let createdAt: Date
        /// 32 random bytes, base64, for code digests and (derived) the outbox seal.
        let code: String
    }

    /// The file format this program writes; it reads this one and older ones.
    static let currentFormat = 2

    var format = Self.currentFormat
    /// Oldest first; the last one is current.
    var generations: [Generation]

    /// A new generation with fresh random material from the system's secure generator.
    static func newGeneration(id: String, now: Date) -> Generation {
        var generator = SystemRandomNumberGenerator()
        let material = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return Generation(id: id, createdAt: now, code: material.base64EncodedString())
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
            let keys = SecretKeys(generations: [newGeneration(id: "k1", now: now)])
            try keys.save(to: url)
            return keys
        }
        return try load(from: url)
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
            guard keys.format <= Self.currentFormat else {
                throw CLIError(
                    .dataDirectory, status: .ioError,
                    indonesian: "Berkas kunci \(url.path) berformat \(keys.format), lebih baru daripada program ini "
                        + "(format \(Self.currentFormat)). Pakai versi dapodik-verify yang menulisnya.",
                    english: "The key file \(url.path) has format \(keys.format), newer than this program's "
                        + "(format \(Self.currentFormat)). Use the version of dapodik-verify that wrote it.")
            }
            guard !keys.generations.isEmpty else { throw CocoaError(.fileReadCorruptFile) }
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

    /// Writes the key file atomically with mode 0600, in the current format (only code keys).
    func save(to url: URL) throws(CLIError) {
        var keys = self
        keys.format = Self.currentFormat
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        do {
            try AtomicFile.write(try encoder.encode(keys), to: url)
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
    static func write(_ data: Data, to url: URL) throws {
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
        guard failure == 0, rename(temporary.path, url.path) == 0 else {
            let code = failure != 0 ? failure : errno
            unlink(temporary.path)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        let directoryDescriptor = open(directory.path, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            _ = fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
