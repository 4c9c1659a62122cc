import Foundation
import Testing

/// `store backup` against a careless or hostile setting: links into the data directory below
/// directories not made yet, `--with-keys` without a key file, a backup killed midway, a store without
/// `LOCK` (found by attacking the store).
@Suite("dapodik-verify store backup under attack")
struct StoreBackupAttackTests {
    typealias School = CommandFlowTests.School

    @Test(
        "a destination that reaches the data directory through a link, below directories not made yet, is 65 and makes nothing",
        .timeLimit(.minutes(10)))
    func linkBelowDirectoriesToMake() async throws {
        let school = try await School.created()
        let link = school.data.deletingLastPathComponent().appendingPathComponent("to-data")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: school.data)
        let before = try FileManager.default.contentsOfDirectory(atPath: school.data.path).sorted()
        let storeBefore = try StoreCommandTests.listing(school.data.appendingPathComponent("store"))
        for target in ["new/backup", "store/new/backup", "new/../backup"] {
            let result = try await school.run(["store", "backup", link.path + "/" + target], lang: "en")
            #expect(result.status == 65, "\(target): \(result.standardError)")
            #expect(result.standardError.contains("is inside the data directory"), "\(result.standardError)")
            let indonesian = try await school.run(["store", "backup", link.path + "/" + target])
            #expect(indonesian.standardError.contains("ada di dalam direktori data"), "\(indonesian.standardError)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: school.data.path).sorted() == before)
        #expect(try StoreCommandTests.listing(school.data.appendingPathComponent("store")) == storeBefore)
    }

    @Test(
        "--with-keys where there is no key file is 66 before anything is made, in the chosen language",
        .timeLimit(.minutes(10)))
    func withKeysWithoutKeyFile() async throws {
        let school = try await School.created()
        let keys = school.data.appendingPathComponent("secret-keys")
        let aside = school.data.deletingLastPathComponent().appendingPathComponent("keys-aside")
        try FileManager.default.moveItem(at: keys, to: aside)
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("parent/backup")
        let english = try await school.run(["store", "backup", "--with-keys", destination.path], lang: "en")
        #expect(english.status == 66, "\(english.standardError)")
        #expect(english.standardError.contains("the key file \(keys.path) does not exist"), "\(english.standardError)")
        #expect(!english.standardError.contains("WARNING"), "\(english.standardError)")
        let indonesian = try await school.run(["store", "backup", "--with-keys", destination.path])
        #expect(indonesian.status == 66, "\(indonesian.standardError)")
        #expect(
            indonesian.standardError.contains("tidak ada, jadi tidak dapat dicadangkan"), "\(indonesian.standardError)")
        #expect(!FileManager.default.fileExists(atPath: destination.deletingLastPathComponent().path))
    }

    @Test(
        "the keys and settings are in the backup before its store: a backup killed while it waits for the store is no store",
        .timeLimit(.minutes(10)))
    func killedBeforeTheStore() async throws {
        let school = try await School.created()
        // This test process holds LOCK, as a long commit group or compaction would: the backup waits there.
        let descriptor = open(school.data.appendingPathComponent("store/LOCK").path, O_RDWR | O_CLOEXEC)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        try #require(flock(descriptor, LOCK_EX) == 0)
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        let process = Process()
        process.executableURL = ExampleProcess.productsDirectory.appendingPathComponent("dapodik-verify")
        process.arguments = ["store", "backup", "--with-keys", destination.path, "--data", school.data.path]
        var environment = ProcessInfo.processInfo.environment
        environment["DAPODIK_LOCK_WAIT"] = "120"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let keys = destination.appendingPathComponent("secret-keys").path
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: keys), process.isRunning, clock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(FileManager.default.fileExists(atPath: keys), "the keys are copied before the store")
        #expect(FileManager.default.fileExists(atPath: destination.appendingPathComponent("settings.json").path))
        #expect(!FileManager.default.fileExists(atPath: destination.appendingPathComponent("store/CURRENT").path))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // What the killed backup left is refused as a data directory, never checked as an intact store.
        let check = try await ExampleProcess.run(
            "dapodik-verify", ["store", "check", "--data", destination.path], environment: ["DAPODIK_LANG": "en"])
        #expect(check.status != 0, "\(check.standardOutput)")
        #expect(!check.standardOutput.contains("intact"), "\(check.standardOutput)")
    }

    @Test(
        "a store without LOCK is backed up (0) with a warning naming store recover; the backup opens for writing",
        .timeLimit(.minutes(10)))
    func storeWithoutLock() async throws {
        let school = try await School.created()
        let lock = school.data.appendingPathComponent("store/LOCK")
        try FileManager.default.removeItem(at: lock)
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        let made = try await school.run(["store", "backup", "--with-keys", destination.path], lang: "en")
        #expect(made.status == 0, "\(made.standardError)")
        #expect(made.standardError.contains("Warning: the lock file \(lock.path) is missing"), "\(made.standardError)")
        #expect(made.standardError.contains("'dapodik-verify store recover --yes'"), "\(made.standardError)")
        #expect(!FileManager.default.fileExists(atPath: lock.path))
        let indonesian = try await school.run(
            ["store", "backup", destination.path + "-id"])
        #expect(indonesian.status == 0, "\(indonesian.standardError)")
        #expect(indonesian.standardError.contains("Peringatan: berkas kunci"), "\(indonesian.standardError)")
        // The copy has a LOCK of its own: a command that writes works there.
        let compact = try await ExampleProcess.run("dapodik-verify", ["store", "compact", "--data", destination.path])
        #expect(compact.status == 0, "\(compact.standardError)")
    }
}

extension StoreBackupAttackTests {
    @Test(
        "a store whose log is damaged before intact frames is not backed up (74): the store's log and 'store salvage' are named, nothing is left",
        .timeLimit(.minutes(10)))
    func damagedLog() async throws {
        let school = try await School.make()
        let store = school.data.appendingPathComponent("store")
        let log = try StoreCommandTests.damageLog(store)
        let destination = school.data.deletingLastPathComponent().appendingPathComponent("backup")
        let english = try await school.run(["store", "backup", destination.path], lang: "en")
        #expect(english.status == 74, "\(english.standardOutput)")
        #expect(english.standardError.contains("File \(log.path) is corrupted"), "\(english.standardError)")
        #expect(english.standardError.contains("'dapodik-verify store salvage --yes'"), "\(english.standardError)")
        #expect(!english.standardOutput.contains("Backup written"), "\(english.standardOutput)")
        let indonesian = try await school.run(["store", "backup", destination.path])
        #expect(indonesian.status == 74)
        #expect(indonesian.standardError.contains("Berkas \(log.path) rusak"), "\(indonesian.standardError)")
        #expect(!FileManager.default.fileExists(atPath: destination.path))
    }
}
