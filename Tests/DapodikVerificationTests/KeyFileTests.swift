import DapodikLocking
import DapodikTestSupport
import DapodikVerification
import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The key file: exclusive creation with mode 0600, rotation under a lock, check values, and
/// typed errors that leave the file as it was.
@Suite("KeyFile")
struct KeyFileTests {
    /// A key file in a fresh temporary directory, removed with the fixture.
    struct Fixture {
        let scratch: TemporaryDirectory
        var directory: URL { scratch.url }
        var keyFile: KeyFile { KeyFile(at: directory.appendingPathComponent("secret-keys")) }
        var url: URL { keyFile.url }

        static func make() throws -> Fixture { Fixture(scratch: try TemporaryDirectory("keyfile")) }

        func bytes() throws -> Data { try Data(contentsOf: url) }

        /// The file's names in the directory, so a test sees that no temporary file was left.
        func names() throws -> Set<String> {
            Set(try FileManager.default.contentsOfDirectory(atPath: directory.path))
        }
    }

    static let start = Date(timeIntervalSince1970: 1_787_531_400)
    static let delay = TimeInterval(KeyFile.retirementDelay.components.seconds)

    @Test("a new key file is created with mode 0600 and one current generation k1")
    func creation() throws {
        let fixture = try Fixture.make()
        let keys = try fixture.keyFile.create(now: Self.start)
        let mode = try FileManager.default.attributesOfItem(atPath: fixture.url.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(keys.generations.map(\.id) == ["k1"])
        let written = try JSONSerialization.jsonObject(with: fixture.bytes()) as? [String: Any]
        #expect(written?["format"] as? Int == KeyFile.currentFormat)
        let read = try fixture.keyFile.read()
        #expect(read.generations == keys.generations)
        #expect(try read.codeKeyRing().currentKeyID == CodeKeyID("k1"))
        #expect(try fixture.names() == ["secret-keys", "secret-keys.lock"])
    }

    @Test("creation refuses to replace an existing file and leaves it as it was")
    func refusesToOverwrite() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let before = try fixture.bytes()
        let error = #expect(throws: KeyFileError.self) { try fixture.keyFile.create(now: Self.start) }
        #expect(error?.code == .alreadyExists)
        #expect(try fixture.bytes() == before)
        #expect(try fixture.names() == ["secret-keys", "secret-keys.lock"])
    }

    @Test("readOrCreate creates once; later calls read the same keys")
    func readOrCreate() throws {
        let fixture = try Fixture.make()
        let first = try fixture.keyFile.readOrCreate(now: Self.start)
        let second = try fixture.keyFile.readOrCreate(now: Self.start.addingTimeInterval(60))
        #expect(first.generations == second.generations)
    }

    @Test("threads rotating at once each add one generation; none is lost and ids never repeat")
    func concurrentRotation() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let rotations = 16
        let keyFile = fixture.keyFile
        let failures = LockedValue<[String]>([])
        DispatchQueue.concurrentPerform(iterations: rotations) { _ in
            do { _ = try keyFile.rotate(now: Self.start) } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
        let ids = try fixture.keyFile.read().generations.map(\.id)
        #expect(ids == (1...(rotations + 1)).map { "k\($0)" })
    }

    @Test("a rotation after the file was lost starts at the smallest number the store has not seen")
    func rotationAfterLoss() async throws {
        let fixture = try Fixture.make()
        let store = InMemoryRecordStore()
        try await fixture.keyFile.create(now: Self.start).verify(against: store)
        _ = try fixture.keyFile.rotate(now: Self.start)
        try await fixture.keyFile.read().verify(against: store)
        try FileManager.default.removeItem(at: fixture.url)
        let unused = try await KeyFile.firstUnusedKeyNumber(in: store)
        #expect(unused == 3)
        let rotation = try fixture.keyFile.rotate(now: Self.start, smallestNumber: unused)
        #expect(rotation.previousID == nil)
        #expect(rotation.contents.generations.map(\.id) == ["k3"])
        try await rotation.contents.verify(against: store)
    }

    @Test("another directory's key file is refused by the store's check values")
    func foreignKeys() async throws {
        let ours = try Fixture.make()
        let theirs = try Fixture.make()
        let store = InMemoryRecordStore()
        try await ours.keyFile.create(now: Self.start).verify(against: store)
        let foreign = try theirs.keyFile.create(now: Self.start)
        await #expect(throws: KeyFileError.self) { try await foreign.verify(against: store) }
        do {
            try await foreign.verify(against: store)
        } catch let error as KeyFileError {
            #expect(error.code == .keyMismatch)
            #expect(error.message.english.contains("not the key this store was used with"))
        }
    }

    @Test(
        "a truncated, edited or unreadable file is a typed error, and a change to it writes nothing",
        arguments: ["truncated", "edited material", "not JSON", "empty", "no generations", "too permissive"])
    func damagedFile(_ damage: String) throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        var bytes = try fixture.bytes()
        var expected = KeyFileError.Code.damaged
        switch damage {
        case "truncated": bytes = bytes.prefix(bytes.count / 2)
        case "edited material":
            var object = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            var generations = try #require(object["generations"] as? [[String: Any]])
            generations[0]["code"] = Data(repeating: 9, count: 32).base64EncodedString()
            object["generations"] = generations
            bytes = try JSONSerialization.data(withJSONObject: object)
        case "not JSON": bytes = Data("secret".utf8)
        case "empty": bytes = Data()
        case "no generations": bytes = Data(#"{"format": 2, "generations": []}"#.utf8)
        default: expected = .tooPermissive
        }
        try bytes.write(to: fixture.url)
        let mode = damage == "too permissive" ? 0o644 : 0o600
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: fixture.url.path)
        let readError = #expect(throws: KeyFileError.self) { try fixture.keyFile.read() }
        #expect(readError?.code == expected)
        let rotateError = #expect(throws: KeyFileError.self) { try fixture.keyFile.rotate(now: Self.start) }
        #expect(rotateError?.code == expected)
        #expect(try fixture.bytes() == bytes)
        #expect(try fixture.names() == ["secret-keys", "secret-keys.lock"])
    }

    @Test("a directory or a FIFO where the file should be is refused at once as no regular file, not as damaged")
    func notARegularFile() throws {
        for kind in ["directory", "fifo"] {
            let fixture = try Fixture.make()
            if kind == "directory" {
                try FileManager.default.createDirectory(at: fixture.url, withIntermediateDirectories: false)
            } else {
                try #require(mkfifo(fixture.url.path, 0o600) == 0)
            }
            // A FIFO opened for reading waits for a writer unless opened without blocking: this returns.
            let error = #expect(throws: KeyFileError.self) { try fixture.keyFile.read() }
            #expect(error?.code == .inaccessible, "\(kind)")
            #expect(error?.message.english.contains("is not a regular file") == true, "\(error?.message.english ?? "")")
            #expect(throws: KeyFileError.self) { try fixture.keyFile.rotate(now: Self.start) }
        }
    }

    @Test("a key file kept elsewhere behind a symbolic link gets the new generation; the link stays a link")
    func symbolicLink() throws {
        let fixture = try Fixture.make()
        let elsewhere = fixture.directory.appendingPathComponent("volume", isDirectory: true)
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: false)
        let real = elsewhere.appendingPathComponent("keys")
        _ = try KeyFile(at: real).create(now: Self.start)
        try FileManager.default.createSymbolicLink(at: fixture.url, withDestinationURL: real)

        let rotated = try fixture.keyFile.rotate(now: Self.start)
        #expect(rotated.contents.generations.map(\.id) == ["k1", "k2"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.url.path) == real.path)
        #expect(try KeyFile(at: real).read().generations.map(\.id) == ["k1", "k2"])
        var status = stat()
        #expect(stat(real.path, &status) == 0 && status.st_mode & 0o777 == 0o600)
        #expect(try Set(FileManager.default.contentsOfDirectory(atPath: elsewhere.path)) == ["keys", "keys.lock"])
    }

    @Test(
        "run as root over another user's directory, the key file is neither read nor written",
        .enabled(if: geteuid() == 0, "needs root, to give the directory to another user"))
    func rootInAnotherUsersDirectory() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let before = try fixture.bytes()
        let nobody: uid_t = 65_534
        try #require(chown(fixture.directory.path, nobody, gid_t(nobody)) == 0)
        // The directory's owner could have turned the file into a link to a file of root's.
        for attempt in [
            { _ = try fixture.keyFile.read() }, { _ = try fixture.keyFile.rotate(now: Self.start) },
            { _ = try fixture.keyFile.readOrCreate(now: Self.start) },
        ] as [() throws -> Void] {
            let error = #expect(throws: KeyFileError.self) { try attempt() }
            #expect(error?.code == .untrustedDirectory)
            #expect(error?.message.english.contains("belongs to nobody, and the program runs as root") == true)
            #expect(error?.message.indonesian.contains("sudo -u nobody") == true)
        }
        #expect(try fixture.bytes() == before)
        #expect(try fixture.names() == ["secret-keys", "secret-keys.lock"])
    }

    @Test("a key file whose directory, or whose link's target directory, others may write is refused; nothing changes")
    func writableDirectory() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let before = try fixture.bytes()
        try #require(chmod(fixture.directory.path, 0o770) == 0)
        let error = #expect(throws: KeyFileError.self) { _ = try fixture.keyFile.rotate(now: Self.start) }
        #expect(error?.code == .untrustedDirectory)
        #expect(error?.message.indonesian.contains("chmod go-w \(fixture.directory.path)") == true)
        #expect(try fixture.bytes() == before)
        try #require(chmod(fixture.directory.path, 0o700) == 0)

        // A link to a key file kept in a directory others may write: the target's directory counts.
        let elsewhere = try TemporaryDirectory("keyfile-target")
        let linked = KeyFile(at: fixture.directory.appendingPathComponent("linked"))
        let target = elsewhere.appending("keys")
        _ = try KeyFile(at: target).create(now: Self.start)
        try FileManager.default.createSymbolicLink(at: linked.url, withDestinationURL: target)
        _ = try linked.read()
        try #require(chmod(elsewhere.path, 0o777) == 0)
        let linkedError = #expect(throws: KeyFileError.self) { _ = try linked.read() }
        #expect(linkedError?.code == .untrustedDirectory)
        #expect(linkedError?.message.english.contains(elsewhere.path) == true)
        // The fix is to keep the file itself where the link is, not to change a directory others
        // rely on (a link into /tmp must not advise `chmod go-w /tmp`).
        let english = linkedError?.message.english ?? ""
        #expect(english.contains("is a symbolic link to \(target.path)"), "\(english)")
        #expect(english.contains("Replace the link with the file itself"), "\(english)")
        #expect(!english.contains("chmod go-w"), "\(english)")
        #expect(linkedError?.message.indonesian.contains("Ganti tautan itu dengan berkasnya sendiri") == true)
    }

    @Test("the temporary copy a rotation killed midway left is removed by the next change; other files stay")
    func leftoversRemoved() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let leftover = fixture.directory.appendingPathComponent(".secret-keys.\(UUID().uuidString).tmp")
        let unrelated = fixture.directory.appendingPathComponent(".secret-keys.notes.tmp")
        try fixture.bytes().write(to: leftover)
        try Data("catatan".utf8).write(to: unrelated)
        _ = try fixture.keyFile.rotate(now: Self.start)
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(FileManager.default.fileExists(atPath: unrelated.path))
    }

    @Test("a file of any other format is refused and left as it is (format 1 was never released)")
    func formats() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        var object = try #require(try JSONSerialization.jsonObject(with: fixture.bytes()) as? [String: Any])
        for format in [1, 3] {
            object["format"] = format
            let bytes = try JSONSerialization.data(withJSONObject: object)
            try bytes.write(to: fixture.url)
            let error = #expect(throws: KeyFileError.self) { try fixture.keyFile.read() }
            #expect(error?.code == .unsupportedFormat)
            let rotation = #expect(throws: KeyFileError.self) { try fixture.keyFile.rotate(now: Self.start) }
            #expect(rotation?.code == .unsupportedFormat)
            #expect(try fixture.bytes() == bytes)
        }
    }

    @Test("an old key retires only 24 hours after the next took over; refusals write nothing")
    func retirement() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let rotatedAt = Self.start.addingTimeInterval(3600)
        _ = try fixture.keyFile.rotate(now: rotatedAt)
        let before = try fixture.bytes()
        for (id, now, code) in [
            ("k9", rotatedAt, KeyFileError.Code.unknownKey), ("k2", rotatedAt, .currentKey),
            ("k1", rotatedAt.addingTimeInterval(Self.delay - 1), .keyStillInUse),
        ] {
            let error = #expect(throws: KeyFileError.self) { try fixture.keyFile.retire(id, now: now) }
            #expect(error?.code == code)
            #expect(try fixture.bytes() == before)
        }
        let early = try? fixture.keyFile.retire("k1", now: rotatedAt)
        #expect(early == nil)
        let retired = try fixture.keyFile.retire("k1", now: rotatedAt.addingTimeInterval(Self.delay))
        #expect(retired.generations.map(\.id) == ["k2"])
    }

    @Test("a copy is the whole file, mode 0600")
    func copy() throws {
        let fixture = try Fixture.make()
        _ = try fixture.keyFile.create(now: Self.start)
        let destination = fixture.directory.appendingPathComponent("backup-keys")
        try fixture.keyFile.copy(to: destination)
        #expect(try Data(contentsOf: destination) == fixture.bytes())
        let mode = try FileManager.default.attributesOfItem(atPath: destination.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
