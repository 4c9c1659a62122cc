import DapodikCrypto

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

extension KeyFile {
    /// One generation of the code key: made by one rotation.
    public struct Generation: Sendable, Equatable {
        /// The key's id (`k1`, `k2`, …), recorded with every code digest it makes.
        public let id: String
        /// When the generation was made.
        public let createdAt: Date
        /// The key's ``CodeKey/checkValue``: shows which key this is without revealing it.
        public let checkValue: String
        /// The 32 secret bytes.
        let material: [UInt8]

        /// A generation with fresh material from the kernel's secure generator, in one request.
        init(id: String, createdAt: Date) {
            let material = Crypto.randomBytes(32)
            // `k<n>` is a valid id and the material is 32 bytes, so the key is always valid.
            self.init(id: id, createdAt: createdAt, material: material, checkValue: "")
        }

        init(id: String, createdAt: Date, material: [UInt8], checkValue: String) {
            self.id = id
            self.createdAt = createdAt
            self.material = material
            self.checkValue =
                checkValue.isEmpty
                ? (try? CodeKey(id: CodeKeyID(id), material: material))?.checkValue ?? "" : checkValue
        }

        /// The key itself.
        func key() throws(CodeError) -> CodeKey { try CodeKey(id: CodeKeyID(id), material: material) }
    }

    /// What a key file holds.
    public struct Contents: Sendable {
        /// The generations, oldest first; the last one is current. Never empty.
        public let generations: [Generation]

        /// The generation that issues (and seals) new codes.
        public var current: Generation { generations[generations.count - 1] }

        init(generations: [Generation]) {
            self.generations = generations
        }

        /// The key ring for ``VerificationService/Configuration``: the current generation issues
        /// codes and seals queued mail, all of them check codes and unseal mail.
        /// - Throws: ``KeyFileError`` (``KeyFileError/Code/damaged``) when two generations share an id.
        public func codeKeyRing() throws(KeyFileError) -> CodeKeyRing {
            do {
                let keys = try generations.map { generation throws(CodeError) in try generation.key() }
                return try CodeKeyRing(current: keys[keys.count - 1], alsoAccepting: Array(keys.dropLast()))
            } catch {
                throw KeyFileError(
                    .damaged, indonesian: "Berkas kunci rusak: \(error.message.indonesian)",
                    english: "The key file is damaged: \(error.message.english)")
            }
        }
    }
}

/// The JSON form of the file: `{"format": 2, "generations": [{"id", "createdAt", "code", "check"}]}`,
/// `code` the base64 material, `check` its check value (``CodeKey/checkValue``).
struct KeyFileDocument: Codable {
    struct Generation: Codable {
        let id: String
        let createdAt: Date
        let code: String
        let check: String
    }

    var format: Int
    var generations: [Generation]
}

extension KeyFile.Contents {
    /// Reads and checks the file at `url`.
    init(reading url: URL) throws(KeyFileError) {
        let path = url.path
        let bytes = try Self.bytes(of: path)
        let document: KeyFileDocument
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            document = try decoder.decode(KeyFileDocument.self, from: Data(bytes))
        } catch {
            throw KeyFileError.damaged(
                path, "isinya bukan berkas kunci yang utuh (terpotong?)", "it is not a whole key file (truncated?)")
        }
        guard document.format == KeyFile.currentFormat else {
            throw KeyFileError(
                .unsupportedFormat,
                indonesian: "Berkas kunci \(path) berformat \(document.format), tetapi program ini membaca format "
                    + "\(KeyFile.currentFormat). Pakai versi program yang menulisnya; berkas tidak diubah.",
                english: "The key file \(path) has format \(document.format), but this program reads format "
                    + "\(KeyFile.currentFormat). Use the version of the program that wrote it; the file is unchanged.")
        }
        guard !document.generations.isEmpty else {
            throw KeyFileError.damaged(path, "tidak ada kunci di dalamnya", "it holds no key")
        }
        var generations: [KeyFile.Generation] = []
        for entry in document.generations {
            guard let material = Data(base64Encoded: entry.code), material.count >= 32,
                (try? CodeKeyID(entry.id)) != nil
            else {
                throw KeyFileError.damaged(
                    path, "materi kunci \(entry.id) tidak valid", "the material of key \(entry.id) is not valid")
            }
            let generation = KeyFile.Generation(
                id: entry.id, createdAt: entry.createdAt, material: Array(material), checkValue: "")
            if entry.check != generation.checkValue {
                throw KeyFileError.damaged(
                    path, "materi kunci \(entry.id) tidak cocok dengan nilai periksanya",
                    "the material of key \(entry.id) does not match its check value")
            }
            generations.append(generation)
        }
        guard Set(generations.map(\.id)).count == generations.count else {
            throw KeyFileError.damaged(path, "dua kunci memakai id yang sama", "two keys share an id")
        }
        self.init(generations: generations)
    }

    /// The most bytes a key file may have: thousands of generations; a bigger file is not one.
    static let maximumSize = 1 << 20

    /// The file's bytes, read through one descriptor: a regular file (not a directory or a FIFO,
    /// which is opened without waiting for a writer), not readable by other users, at most
    /// ``maximumSize`` bytes. Following a symbolic link is allowed: the checks are of its target.
    /// - Throws: ``KeyFileError/Code/inaccessible`` (with the owner when permission is denied),
    ///   ``KeyFileError/Code/tooPermissive``, or ``KeyFileError/Code/damaged`` for an oversized file.
    static func bytes(of path: String) throws(KeyFileError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let number = errno
            if number == EACCES || number == EPERM { throw KeyFileError.permissionDenied(path, errno: number) }
            throw KeyFileError.inaccessible(path, true, errno: number)
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw KeyFileError.inaccessible(path, true, errno: errno) }
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw KeyFileError(
                .inaccessible,
                indonesian: "Berkas kunci \(path) bukan berkas biasa (direktori, FIFO, atau perangkat); tidak dibaca.",
                english: "The key file \(path) is not a regular file (a directory, FIFO or device); it is not read.")
        }
        let mode = Int(status.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            throw KeyFileError(
                .tooPermissive,
                indonesian: "Berkas kunci \(path) dapat dibaca pengguna lain (mode \(String(mode, radix: 8))). "
                    + "Jalankan: chmod 600 \(path)",
                english: "The key file \(path) is readable by other users (mode \(String(mode, radix: 8))). "
                    + "Run: chmod 600 \(path)")
        }
        guard Int(status.st_size) <= maximumSize else {
            throw KeyFileError.damaged(path, "ukurannya lebih dari 1 MiB", "it is larger than 1 MiB")
        }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size) + 1)
        var count = 0
        while count < bytes.count {
            let read = bytes.withUnsafeMutableBytes {
                systemRead(descriptor, $0.baseAddress! + count, $0.count - count)
            }
            if read < 0 && errno == EINTR { continue }
            guard read >= 0 else { throw KeyFileError.inaccessible(path, true, errno: errno) }
            if read == 0 { break }
            count += read
            if count > maximumSize {
                throw KeyFileError.damaged(path, "ukurannya lebih dari 1 MiB", "it is larger than 1 MiB")
            }
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: 4096)) }
        }
        return Array(bytes[..<count])
    }

    /// Writes the generations in the current format, atomically, mode 0600.
    /// - Parameters:
    ///   - url: The file.
    ///   - exclusive: Fail with ``KeyFileError/Code/alreadyExists`` rather than replace a file.
    func write(to url: URL, exclusive: Bool) throws(KeyFileError) {
        let document = KeyFileDocument(
            format: KeyFile.currentFormat,
            generations: generations.map {
                .init(
                    id: $0.id, createdAt: $0.createdAt, code: Data($0.material).base64EncodedString(),
                    check: $0.checkValue)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do { data = try encoder.encode(document) } catch {
            throw KeyFileError.inaccessible(url.path, false, errno: EINVAL)
        }
        try AtomicFile.write(
            data, to: url, exclusive: exclusive,
            failure: { number in
                number == EEXIST
                    ? KeyFileError(
                        .alreadyExists, indonesian: "Berkas kunci \(url.path) sudah ada; tidak ditimpa.",
                        english: "The key file \(url.path) already exists; it is not replaced.")
                    : number == EACCES || number == EPERM
                        ? KeyFileError.permissionDenied(url.path, reading: false, errno: number)
                        : KeyFileError.inaccessible(url.path, false, errno: number)
            },
            notDurable: { KeyFileError.notDurable(url.path, errno: $0) })
    }
}

/// `read(2)`, named apart from the methods called `read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
