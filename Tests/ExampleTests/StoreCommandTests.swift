import Foundation
import Testing

/// `store recover`, `store salvage` and `store backup` over a real data directory, and the store's
/// errors as the CLI shows them: advice naming the CLI's command, every word in the chosen language.
@Suite("dapodik-verify store commands")
struct StoreCommandTests {
    typealias School = CommandFlowTests.School

    /// Every file of the store with its size.
    static func listing(_ store: URL) throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: store.path) {
            let attributes = try FileManager.default.attributesOfItem(atPath: store.appendingPathComponent(name).path)
            sizes[name] = (attributes[.size] as! NSNumber).intValue
        }
        return sizes
    }

    @Test(
        "a missing CURRENT: feed refuses and deletes nothing, naming 'store recover'; recover brings every event back",
        .timeLimit(.minutes(10)))
    func missingManifest() async throws {
        let school = try await School.make()
        let store = school.data.appendingPathComponent("store")
        let before = try await school.run(["feed", "--json"])
        #expect(before.status == 0, "\(before.standardError)")
        try FileManager.default.removeItem(at: store.appendingPathComponent("CURRENT"))
        let files = try Self.listing(store)

        let indonesian = try await school.run(["feed", "--json"])
        #expect(indonesian.status != 0)
        #expect(indonesian.standardError.contains("dapodik-verify store recover --yes"), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("tidak ada yang dihapus"))
        #expect(!indonesian.standardError.contains("FileRecordStore"))
        #expect(!indonesian.standardError.contains("nothing was deleted"))
        let english = try await school.run(["feed", "--json"], lang: "en")
        #expect(english.standardError.contains("run 'dapodik-verify store recover --yes'"), "\(english.standardError)")
        #expect(!english.standardError.contains("FileRecordStore"))
        #expect(try Self.listing(store) == files)

        let refused = try await school.run(["store", "recover"])
        #expect(refused.status != 0)
        let recovered = try await school.run(["store", "recover", "--yes"])
        #expect(recovered.status == 0, "\(recovered.standardError)")
        #expect(recovered.standardOutput.contains("Manifest dibangun ulang"), "\(recovered.standardOutput)")
        let after = try await school.run(["feed", "--json"])
        #expect(after.status == 0, "\(after.standardError)")
        #expect(after.standardOutput == before.standardOutput)
        let again = try await school.run(["store", "recover", "--yes"], lang: "en")
        #expect(again.standardOutput.contains("nothing was changed"), "\(again.standardOutput)")
        // A LOCK that was missing is made anew by recover, and it says so rather than "nothing was changed".
        let lock = store.appendingPathComponent("LOCK")
        try FileManager.default.removeItem(at: lock)
        let relocked = try await school.run(["store", "recover", "--yes"], lang: "en")
        #expect(relocked.status == 0, "\(relocked.standardError)")
        #expect(relocked.standardOutput.contains("was made anew"), "\(relocked.standardOutput)")
        #expect(!relocked.standardOutput.contains("nothing was changed"), "\(relocked.standardOutput)")
        #expect(FileManager.default.fileExists(atPath: lock.path))
    }

    @Test(
        "a missing LOCK: the refusal says once, in either language, to stop every process and run 'store recover'",
        .timeLimit(.minutes(10)))
    func missingLockAdvisedOnce() async throws {
        let school = try await School.make()
        try FileManager.default.removeItem(at: school.data.appendingPathComponent("store/LOCK"))
        for (lang, stop) in [("en", "Stop every process"), ("id", "Hentikan setiap proses")] {
            // A command that writes: one that only reads opens the store read-only, as store check does.
            let refused = try await school.run(["outbox", "drain"], lang: lang)
            #expect(refused.status == 74, "\(refused.standardError)")
            #expect(refused.standardError.components(separatedBy: stop).count == 2, "\(refused.standardError)")
            #expect(!refused.standardError.contains("Stop every other"), "\(refused.standardError)")
            #expect(!refused.standardError.contains("Hentikan semua"), "\(refused.standardError)")
            #expect(refused.standardError.contains("dapodik-verify store recover --yes"), "\(refused.standardError)")
            #expect(!refused.standardError.contains("FileRecordStore"), "\(refused.standardError)")
        }
    }

    @Test(
        "store backup copies a store that opens with every event; an existing destination or one in the store is 65",
        .timeLimit(.minutes(10)))
    func backup() async throws {
        let school = try await School.make()
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        // With the keys, so the copy opens on its own (without them it is restored beside the keys).
        let made = try await school.run(["store", "backup", "--with-keys", destination.path])
        #expect(made.status == 0, "\(made.standardError)")
        let original = try await school.run(["feed", "--json"])
        let copy = try await ExampleProcess.run("dapodik-verify", ["feed", "--json", "--data", destination.path])
        #expect(copy.status == 0, "\(copy.standardError)")
        #expect(copy.standardOutput == original.standardOutput)
        let again = try await school.run(["store", "backup", destination.path], lang: "en")
        #expect(again.status == 65, "\(again.standardError)")
        #expect(again.standardError.contains("already exists"))
        // A dangling symbolic link is there too, and a backup inside the store is no backup.
        let link = school.data.deletingLastPathComponent().appendingPathComponent("dangling")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "/nonexistent/backup")
        let linked = try await school.run(["store", "backup", link.path], lang: "en")
        #expect(linked.status == 65, "\(linked.standardError)")
        #expect(linked.standardError.contains("already exists"), "\(linked.standardError)")
        let inside = school.data.appendingPathComponent("store/inner")
        let refused = try await school.run(["store", "backup", inside.path], lang: "en")
        #expect(refused.status == 65, "\(refused.standardError)")
        #expect(refused.standardError.contains("is inside the data directory"), "\(refused.standardError)")
        #expect(!FileManager.default.fileExists(atPath: inside.path))
        // Nor anywhere else in the data directory, also through a link.
        let besideTheStore = school.data.appendingPathComponent("cadangan")
        let throughLink = school.data.deletingLastPathComponent().appendingPathComponent("to-mail")
        try FileManager.default.createSymbolicLink(
            at: throughLink, withDestinationURL: school.data.appendingPathComponent("mail"))
        for target in [besideTheStore, throughLink.appendingPathComponent("cadangan")] {
            let result = try await school.run(["store", "backup", target.path], lang: "en")
            #expect(result.status == 65, "\(target.path): \(result.standardError)")
            #expect(result.standardError.contains("is inside the data directory"), "\(result.standardError)")
            #expect(!FileManager.default.fileExists(atPath: target.path))
        }
    }

    @Test(
        "a store another process holds: a notice after a second, then exit 75 after $DAPODIK_LOCK_WAIT seconds",
        .timeLimit(.minutes(10)))
    func storeHeldByAnotherProcess() async throws {
        let school = try await School.created()
        let before = try await school.run(["feed", "--json"])
        // This test process holds LOCK, as a long compaction or a stopped process would.
        // Close-on-exec: a child another test starts meanwhile must not inherit, and so keep, the lock.
        let descriptor = open(school.data.appendingPathComponent("store/LOCK").path, O_RDWR | O_CLOEXEC)
        try #require(descriptor >= 0)
        try #require(flock(descriptor, LOCK_EX) == 0)
        let held = { (arguments: [String], lang: String, wait: String) async throws -> ExampleProcess.Result in
            try await ExampleProcess.run(
                "dapodik-verify", arguments + ["--data", school.data.path],
                environment: ["DAPODIK_LANG": lang, "DAPODIK_LOCK_WAIT": wait])
        }
        let indonesian = try await held(["feed"], "id", "2")
        #expect(indonesian.status == 75, "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("Menunggu proses lain"), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("lebih dari 2 detik"), "\(indonesian.standardError)")
        #expect(!indonesian.standardError.contains("Waiting"))
        let english = try await held(["store", "compact"], "en", "2")
        #expect(english.status == 75, "\(english.standardError)")
        #expect(english.standardError.contains("Waiting for another process"), "\(english.standardError)")
        #expect(english.standardError.contains("Nothing was changed"), "\(english.standardError)")
        // With --json, standard error is the JSON error alone: no notice of waiting before it.
        let json = try await held(["feed", "--json"], "en", "2")
        #expect(json.status == 75, "\(json.standardError)")
        let body = try JSONSerialization.jsonObject(with: Data(json.standardError.utf8)) as? [String: Any]
        #expect((body?["error"] as? [String: Any])?["code"] as? String == "store.lockTimeout", "\(json.standardError)")
        let invalid = try await held(["feed"], "en", "soon")
        #expect(invalid.status == 65, "\(invalid.standardError)")
        #expect(invalid.standardError.contains("DAPODIK_LOCK_WAIT"), "\(invalid.standardError)")

        close(descriptor)
        let after = try await school.run(["feed", "--json"])
        #expect(after.status == 0, "\(after.standardError)")
        #expect(after.standardOutput == before.standardOutput)
    }

    @Test(
        "a key file another process is rotating: a notice after a second, then exit 75, the keys unchanged",
        .timeLimit(.minutes(10)))
    func keyFileHeldByAnotherProcess() async throws {
        let school = try await School.created()
        let keys = school.data.appendingPathComponent("secret-keys")
        let before = try Data(contentsOf: keys)
        // This test process holds the key file's lock, as a rotation stopped midway would.
        let descriptor = open(keys.path + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        try #require(descriptor >= 0)
        try #require(flock(descriptor, LOCK_EX) == 0)
        for (lang, waiting, refusal) in [
            ("id", "Menunggu proses lain", "lebih dari 2 detik"),
            ("en", "Waiting for another process", "Nothing was changed"),
        ] {
            let rotated = try await ExampleProcess.run(
                "dapodik-verify", ["key", "rotate", "--data", school.data.path],
                environment: ["DAPODIK_LANG": lang, "DAPODIK_LOCK_WAIT": "2"])
            #expect(rotated.status == 75, "\(lang): \(rotated.standardError)")
            #expect(rotated.standardError.contains(waiting), "\(rotated.standardError)")
            #expect(rotated.standardError.contains(refusal), "\(rotated.standardError)")
            #expect(rotated.standardError.contains("secret-keys.lock"), "\(rotated.standardError)")
        }
        #expect(try Data(contentsOf: keys) == before)
        close(descriptor)
        let rotated = try await school.run(["key", "rotate"])
        #expect(rotated.status == 0, "\(rotated.standardError)")
        #expect(try Data(contentsOf: keys) != before)
    }

    @Test(
        "feed on a store restored from an older backup refuses the consumer's newer cursor (65), saying why",
        .timeLimit(.minutes(10)))
    func feedCursorPastOlderBackup() async throws {
        let school = try await School.created()
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        let made = try await school.run(["store", "backup", "--with-keys", destination.path])
        #expect(made.status == 0, "\(made.standardError)")
        // After the backup the operator confirms the address: events the copy never had.
        let requested = try await school.run(
            ["operator", "request-code", "--as", "siti"], input: CommandFlowTests.operatorPassword + "\n")
        #expect(requested.status == 0, "\(requested.standardError)")
        let feed = try await school.run(["feed", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(feed.standardOutput.utf8)) as? [String: Any]
        let next = try #require(object?["next"] as? String)
        let copy = { (lang: String) async throws -> ExampleProcess.Result in
            try await ExampleProcess.run(
                "dapodik-verify", ["feed", "--after", next, "--data", destination.path],
                environment: ["DAPODIK_LANG": lang])
        }
        let indonesian = try await copy("id")
        #expect(indonesian.status == 65, "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("dipulihkan dari cadangan"), "\(indonesian.standardError)")
        #expect(indonesian.standardOutput.isEmpty)
        let english = try await copy("en")
        #expect(english.standardError.contains("restored from an older backup"), "\(english.standardError)")
        // The same cursor reads on the store that gave it.
        let original = try await school.run(["feed", "--after", next])
        #expect(original.status == 0, "\(original.standardError)")
    }
}

extension StoreCommandTests {
    /// The store's current log: `log-<g>`, not a kept copy (`log-<g>.damaged-<o>`).
    static func currentLog(_ store: URL) throws -> URL {
        let name = try #require(
            try FileManager.default.contentsOfDirectory(atPath: store.path).first {
                $0.hasPrefix("log-") && !$0.contains(".")
            })
        return store.appendingPathComponent(name)
    }

    /// Flips one byte in the middle of the store's current log.
    static func damageLog(_ store: URL) throws -> URL {
        let log = try currentLog(store)
        var bytes = try Data(contentsOf: log)
        // The middle of the frames: a preallocated log (format 3) is zero after its last frame.
        let end = (bytes.lastIndex { $0 != 0 } ?? bytes.count - 1) + 1
        bytes[end / 2] ^= 0x5A
        try bytes.write(to: log)
        return log
    }

    @Test(
        "a damaged log: feed names 'store salvage' in the chosen language only; salvage reports what was lost",
        .timeLimit(.minutes(10)))
    func salvageDamagedLog() async throws {
        let school = try await School.make()
        let store = school.data.appendingPathComponent("store")
        _ = try Self.damageLog(store)

        let indonesian = try await school.run(["feed", "--json"])
        #expect(indonesian.status != 0)
        #expect(indonesian.standardError.contains("dapodik-verify store salvage --yes"), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("checksum tidak cocok") || indonesian.standardError.contains("tidak"))
        for english in ["checksum mismatch", "FileRecordStore", "Use ", "corrupted"] {
            #expect(!indonesian.standardError.contains(english), "\(english) in \(indonesian.standardError)")
        }
        let english = try await school.run(["feed", "--json"], lang: "en")
        #expect(english.standardError.contains("run 'dapodik-verify store salvage --yes'"), "\(english.standardError)")

        let salvaged = try await school.run(["store", "salvage", "--yes"])
        #expect(salvaged.status == 0, "\(salvaged.standardError)")
        #expect(salvaged.standardOutput.contains("Hilang:"), "\(salvaged.standardOutput)")
        #expect(salvaged.standardOutput.contains("Masukkan ulang"))
        let json = try await school.run(["store", "salvage", "--yes", "--json"])
        // A second salvage finds nothing to do.
        let second = try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any]
        #expect(second?["file"] == nil, "\(json.standardOutput)")
        #expect(second?["lostCommitCount"] as? Int == 0, "\(json.standardOutput)")
        print(salvaged.standardOutput)
        let feed = try await school.run(["feed", "--json"])
        #expect(feed.status == 0, "\(feed.standardError)")
    }

    /// Cuts the store's log short by hand, just before its last frame (`truncate -s`); returns its path.
    static func cutLogBeforeLastFrame(_ store: URL) throws -> URL {
        let log = try currentLog(store)
        let bytes = [UInt8](try Data(contentsOf: log))
        // After the 32-byte header, frames of 8 + length bytes, the length in their first four.
        var start = 32
        var lastFrame = start
        while start + 8 <= bytes.count {
            let length = bytes[start..<start + 4].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard length > 0 else { break }
            lastFrame = start
            start += 8 + length
        }
        try Data(bytes[..<lastFrame]).write(to: log)
        return log
    }

    @Test(
        "a log cut short is refused naming 'store salvage'; salvage says it was cut short and what was lost",
        .timeLimit(.minutes(10)))
    func salvageLogCutShort() async throws {
        let school = try await School.make()
        let log = try Self.cutLogBeforeLastFrame(school.data.appendingPathComponent("store"))
        let cut = try Data(contentsOf: log)

        let refused = try await school.run(["feed", "--json"], lang: "en")
        #expect(refused.status != 0)
        #expect(refused.standardError.contains("were acknowledged"), "\(refused.standardError)")
        #expect(refused.standardError.contains("run 'dapodik-verify store salvage --yes'"), "\(refused.standardError)")
        #expect(try Data(contentsOf: log) == cut, "the log was changed")

        let salvaged = try await school.run(["store", "salvage", "--yes"])
        #expect(salvaged.status == 0, "\(salvaged.standardError)")
        #expect(salvaged.standardOutput.contains("terpotong"), "\(salvaged.standardOutput)")
        #expect(salvaged.standardOutput.contains("Hilang: 1 commit"), "\(salvaged.standardOutput)")
        let feed = try await school.run(["feed", "--json"])
        #expect(feed.status == 0, "\(feed.standardError)")
    }

    @Test(
        "salvage of a damaged snapshot says so and says to restore a backup, in the chosen language",
        .timeLimit(.minutes(10)))
    func salvageDamagedSnapshot() async throws {
        let school = try await School.make()
        let compacted = try await school.run(["store", "compact"])
        #expect(compacted.status == 0, "\(compacted.standardError)")
        let store = school.data.appendingPathComponent("store")
        let name = try FileManager.default.contentsOfDirectory(atPath: store.path).first { $0.hasPrefix("snapshot-") }!
        var bytes = try Data(contentsOf: store.appendingPathComponent(name))
        bytes[bytes.count - 60] ^= 0x01
        try bytes.write(to: store.appendingPathComponent(name))

        let indonesian = try await school.run(["store", "salvage", "--yes"])
        #expect(indonesian.status != 0)
        #expect(indonesian.standardError.contains(name), "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("Pulihkan dari cadangan"), "\(indonesian.standardError)")
        #expect(!indonesian.standardError.contains("tidak ada yang diubah"))
        let english = try await school.run(["store", "salvage", "--yes"], lang: "en")
        #expect(english.standardError.contains("Restore from a backup"), "\(english.standardError)")
        #expect(!english.standardError.contains("FileRecordStore"))
    }
}

extension StoreCommandTests {
    /// A `--store` URL no server answers: the refusals below must come before any connection.
    static let unreachablePostgres = "postgres://dapodik@127.0.0.1:1/dapodik"

    @Test(
        "with --store postgres://…, salvage, recover and backup refuse (exit 64) and leave the file store alone",
        .timeLimit(.minutes(10)))
    func fileStoreCommandsRefusePostgres() async throws {
        let school = try await School.make()
        let store = school.data.appendingPathComponent("store")
        _ = try Self.damageLog(store)
        let damaged = try Self.listing(store)

        let salvage = try await school.run(["store", "salvage", "--yes", "--store", Self.unreachablePostgres])
        #expect(salvage.status == 64, "\(salvage.standardError)")
        #expect(salvage.standardError.contains("hanya untuk penyimpanan berkas"), "\(salvage.standardError)")
        #expect(salvage.standardError.contains("WAL"))
        #expect(try Self.listing(store) == damaged)

        let recover = try await school.run(
            ["store", "recover", "--yes", "--store", Self.unreachablePostgres], lang: "en")
        #expect(recover.status == 64, "\(recover.standardError)")
        #expect(recover.standardError.contains("works only on the file store"), "\(recover.standardError)")
        #expect(try Self.listing(store) == damaged)

        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        let backup = try await school.run(
            ["store", "backup", "--with-keys", destination.path, "--store", Self.unreachablePostgres], lang: "en")
        #expect(backup.status == 64, "\(backup.standardError)")
        #expect(backup.standardError.contains("pg_dump"), "\(backup.standardError)")
        #expect(backup.standardError.contains("nothing was changed"))
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }
}
